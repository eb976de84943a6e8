"""A SQLAlchemy row returned as it is: FastAPI sends what is loaded on it."""

import hashlib

from fastapi import Depends, FastAPI
from pydantic import BaseModel
from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str]
    email: Mapped[str]
    hashed_password: Mapped[str]
    is_admin: Mapped[bool] = mapped_column(default=False)


class UserOut(BaseModel):
    id: int
    username: str
    email: str


# In-memory SQLite on one shared connection: every session sees the data.
engine = create_engine(
    "sqlite://",
    connect_args={"check_same_thread": False},
    poolclass=StaticPool,
)
Base.metadata.create_all(engine)
with Session(engine) as db:
    hashed = hashlib.sha256(b"course-salt:s3cret").hexdigest()
    db.add(User(username="ada", email="ada@x.org", hashed_password=hashed))
    db.commit()


def get_db():
    with Session(engine) as db:
        yield db


app = FastAPI()


@app.get("/leaky/users/{user_id}")
def leaky_user(user_id: int, db: Session = Depends(get_db)):
    return db.get(User, user_id)  # every loaded column goes out


@app.post("/leaky/users/{user_id}/promote")
def leaky_promote(user_id: int, db: Session = Depends(get_db)):
    user = db.get(User, user_id)
    user.is_admin = True
    db.commit()  # expires the row: nothing is loaded on it any more
    return user  # so the body is {}


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int, db: Session = Depends(get_db)):
    return db.get(User, user_id)  # UserOut reads id, username, email


@app.post("/closed/users/{user_id}/promote", response_model=UserOut)
def closed_promote(user_id: int):
    with Session(engine) as db:  # the route's own session, not get_db
        user = db.get(User, user_id)
        user.is_admin = True
        db.commit()
    return user  # expired, and its session is closed: a 500


@app.post("/closed-leaky/users/{user_id}/promote")
def closed_leaky_promote(user_id: int):
    with Session(engine) as db:
        user = db.get(User, user_id)
        user.is_admin = True
        db.commit()
    return user  # no response model: 200 and {}
