"""Three models for one user: what the client sends, the table, what the
client sees."""

import hashlib

from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy import create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool


def hash_password(password: str) -> str:
    # Teaching only: real code uses argon2 or bcrypt (e.g. pwdlib).
    return hashlib.sha256(("course-salt:" + password).encode()).hexdigest()


class Base(DeclarativeBase):
    pass


class User(Base):  # the table: never a response model
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str]
    email: Mapped[str]
    hashed_password: Mapped[str]
    is_admin: Mapped[bool] = mapped_column(default=False)


class UserIn(BaseModel):  # the request body
    username: str
    email: str
    password: str


class UserOut(BaseModel):  # every response
    # Only for UserOut.model_validate(row): a response model reads
    # attributes without it.
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    email: str


engine = create_engine(
    "sqlite://",
    connect_args={"check_same_thread": False},
    poolclass=StaticPool,
)
Base.metadata.create_all(engine)


def get_db():
    with Session(engine) as db:
        yield db  # still open while FastAPI reads the returned row


app = FastAPI()


@app.post(
    "/users", status_code=status.HTTP_201_CREATED, response_model=UserOut
)
def create_user(user: UserIn, db: Session = Depends(get_db)):
    row = User(
        username=user.username,
        email=user.email,
        hashed_password=hash_password(user.password),
    )
    db.add(row)
    db.commit()
    return row  # the row, hash and all: UserOut picks three attributes


@app.get("/users")
def list_users(db: Session = Depends(get_db)) -> list[UserOut]:
    return db.scalars(select(User)).all()


@app.get("/users/{user_id}/export")
def export_user(user_id: int, db: Session = Depends(get_db)) -> JSONResponse:
    row = db.get(User, user_id)
    if row is None:
        raise HTTPException(status_code=404, detail="User not found")
    # A Response skips the response model: convert the row yourself.
    user = UserOut.model_validate(row)
    headers = {"Cache-Control": "no-store"}
    return JSONResponse(user.model_dump(), headers=headers)
