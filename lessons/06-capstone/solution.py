"""Fix the leaky API: the reference solution of lesson 06 (capstone).

The two helpers are the starter's, kept as they are. The code after them is
the repaired app, complete on its own: its own database, ORM model, Pydantic
models and `app`, which replace the leaky ones of the starter cell.
"""

import hashlib


def hash_password(password: str) -> str:
    return hashlib.sha256(("capstone:" + password).encode()).hexdigest()


def build_report(user: "User") -> dict:
    """Starter report code: assumes every name has a first and a last part."""
    first, last = user.name.split(" ", 1)
    return {
        "user_id": user.id,
        "initials": first[0] + last[0],
        "email_domain": user.email.split("@")[1],
    }


### BEGIN SOLUTION
import secrets
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool


class Base(DeclarativeBase):
    pass


class User(Base):
    """The stored row: UserOut's fields and three that never go out."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    email: Mapped[str]
    hashed_password: Mapped[str]
    internal_notes: Mapped[str] = mapped_column(default="")
    is_deleted: Mapped[bool] = mapped_column(default=False)


# One shared in-memory connection: every session sees the same data.
engine = create_engine(
    "sqlite://",
    connect_args={"check_same_thread": False},
    poolclass=StaticPool,
)
Base.metadata.create_all(engine)


def get_db():
    with Session(engine) as db:
        yield db


DB = Annotated[Session, Depends(get_db)]


class UserIn(BaseModel):
    name: str
    email: str
    password: str


class UserOut(BaseModel):
    id: int
    name: str
    email: str


class Credentials(BaseModel):
    email: str
    password: str


class Token(BaseModel):
    token: str


app = FastAPI(title="Users API")
TOKENS: dict[str, int] = {}


@app.exception_handler(Exception)
async def hide_internal_errors(request: Request, exc: Exception):
    # The server still logs the traceback (Starlette re-raises after this
    # handler answers); the client learns only that something failed.
    return JSONResponse(
        {"detail": "Internal server error"},
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def find_user(db: Session, user_id: int) -> User:
    """The row, or 404: a deleted user is as gone as one that never was."""
    user = db.get(User, user_id)
    if user is None or user.is_deleted:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="User not found"
        )
    return user


# response_model=UserOut reads id, name and email from the returned User row
# (FastAPI validates a return value with from_attributes) and sends only those.
@app.post(
    "/users", status_code=status.HTTP_201_CREATED, response_model=UserOut
)
def create_user(user: UserIn, response: Response, db: DB):
    row = User(
        name=user.name,
        email=user.email,
        hashed_password=hash_password(user.password),
        internal_notes="signed up through the public API",
    )
    db.add(row)
    db.commit()
    response.headers["Location"] = f"/users/{row.id}"
    return row


@app.get("/users", response_model=list[UserOut])
def list_users(db: DB):
    return db.scalars(select(User).where(User.is_deleted.is_(False))).all()


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int, db: DB):
    return find_user(db, user_id)


@app.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_user(user_id: int, db: DB) -> None:
    find_user(db, user_id).is_deleted = True
    db.commit()


@app.post("/login")
def login(credentials: Credentials, db: DB) -> Token:
    hashed = hash_password(credentials.password)
    query = select(User).where(
        User.email == credentials.email, User.is_deleted.is_(False)
    )
    for user in db.scalars(query):
        if secrets.compare_digest(user.hashed_password, hashed):
            # Random: never derived from the password or its hash.
            token = secrets.token_urlsafe(24)
            TOKENS[token] = user.id
            return Token(token=token)
    # One answer for a wrong email and a wrong password: no hint which exists.
    raise HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Wrong email or password",
        headers={"WWW-Authenticate": "Bearer"},
    )


@app.get("/users/{user_id}/report")
def user_report(user_id: int, db: DB) -> dict:
    return build_report(find_user(db, user_id))
### END SOLUTION
