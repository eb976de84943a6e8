"""A Response object is sent as it is: returning a JSONResponse skips
response_model's filter."""

from fastapi import Depends, FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy import create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    email: Mapped[str]
    hashed_password: Mapped[str]
    internal_notes: Mapped[str] = mapped_column(default="")


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)  # for model_validate(row)

    id: int
    name: str
    email: str


engine = create_engine(
    "sqlite://",
    connect_args={"check_same_thread": False},
    poolclass=StaticPool,
)
Base.metadata.create_all(engine)
with Session(engine) as db:
    db.add(User(name="Ada Lovelace", email="ada@example.com",
                hashed_password="5e1f…", internal_notes="VIP"))
    db.add(User(name="Alan Turing", email="alan@example.com",
                hashed_password="9c0a…"))
    db.commit()


def get_db():
    with Session(engine) as db:
        yield db


app = FastAPI()


@app.get("/leaky/users", response_model=list[UserOut])
def leaky_list(db: Session = Depends(get_db)):
    rows = db.scalars(select(User)).all()
    # A row is not JSON: jsonable_encoder turns it into every loaded column,
    # and nothing filters a Response. OpenAPI still documents UserOut.
    return JSONResponse(jsonable_encoder(rows))


@app.get("/users", response_model=list[UserOut])
def list_users(db: Session = Depends(get_db)):
    return db.scalars(select(User)).all()  # filtered through list[UserOut]


@app.get("/users/as-response", response_model=list[UserOut])
def list_users_as_response(db: Session = Depends(get_db)):
    # When you need a Response object, build its content from UserOut.
    rows = db.scalars(select(User)).all()
    public = [UserOut.model_validate(row).model_dump() for row in rows]
    return JSONResponse(public, headers={"Cache-Control": "no-store"})
