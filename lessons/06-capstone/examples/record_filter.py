"""The starter's leak: a User row returned as it is sends every loaded
column; through UserOut, only id, name and email."""

import hashlib

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel
from sqlalchemy import create_engine
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
    is_deleted: Mapped[bool] = mapped_column(default=False)


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
with Session(engine) as db:
    db.add(User(
        name="Ada Lovelace",
        email="ada@example.com",
        hashed_password=hashlib.sha256(b"capstone:engine").hexdigest(),
        internal_notes="asked for a refund twice",
    ))
    db.commit()


def get_db():
    with Session(engine) as db:
        yield db


def find_user(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise HTTPException(status_code=404, detail="User not found")
    return user


app = FastAPI()


@app.get("/leaky/users/{user_id}")
def leaky_user(user_id: int, db: Session = Depends(get_db)):
    # No response model: jsonable_encoder sends every loaded column.
    return find_user(db, user_id)


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int, db: Session = Depends(get_db)):
    # UserOut reads id, name and email from the row; nothing else goes out.
    return find_user(db, user_id)
