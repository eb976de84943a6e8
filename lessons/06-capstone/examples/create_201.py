"""POST creates: 201 Created, a Location header, the new row as a UserOut."""

import hashlib

from fastapi import Depends, FastAPI, Response, status
from pydantic import BaseModel
from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    # SQLite's AUTOINCREMENT never hands out an id twice, even after the
    # newest row is deleted (without it, that id comes back).
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    email: Mapped[str]
    hashed_password: Mapped[str]


class UserIn(BaseModel):
    name: str
    email: str
    password: str


class UserOut(BaseModel):
    id: int
    name: str
    email: str


engine = create_engine(
    "sqlite://",
    connect_args={"check_same_thread": False},
    poolclass=StaticPool,
)
Base.metadata.create_all(engine)


def get_db():
    with Session(engine) as db:
        yield db


app = FastAPI()


@app.post(
    "/users", status_code=status.HTTP_201_CREATED, response_model=UserOut
)
def create_user(
    user: UserIn, response: Response, db: Session = Depends(get_db)
):
    # The course's fast hash, for teaching only: real code uses argon2.
    password = ("capstone:" + user.password).encode()
    row = User(
        name=user.name,
        email=user.email,
        hashed_password=hashlib.sha256(password).hexdigest(),
    )
    db.add(row)
    db.commit()  # the database gives the row its id
    response.headers["Location"] = f"/users/{row.id}"
    return row  # the whole row; response_model=UserOut sends three fields
