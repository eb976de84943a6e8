"""Users API: it works, but it breaks the response contract almost everywhere.

Grade it as it is to see what is wrong, then fix it (in this cell or in the
next one: the last `app` defined is the one that is graded).
"""

import hashlib
import traceback

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool


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


# An in-memory SQLite database on one shared connection (StaticPool), so
# every session sees the same data. It starts empty in each new process.
engine = create_engine(
    "sqlite://",
    connect_args={"check_same_thread": False},
    poolclass=StaticPool,
)
Base.metadata.create_all(engine)


def get_db():
    with Session(engine) as db:
        yield db


class UserIn(BaseModel):
    name: str
    email: str
    password: str


class LoginIn(BaseModel):
    email: str
    password: str


app = FastAPI(title="Users API")


@app.exception_handler(Exception)
async def show_error(request: Request, exc: Exception):
    # Handy while debugging: the whole traceback, right in the response.
    return JSONResponse(
        {"error": repr(exc), "traceback": traceback.format_exc()},
        status_code=500,
    )


@app.post("/users")
def create_user(user: UserIn, db: Session = Depends(get_db)):
    row = User(
        name=user.name,
        email=user.email,
        hashed_password=hash_password(user.password),
        internal_notes="signed up through the public API",
    )
    db.add(row)
    db.commit()
    db.refresh(row)
    return row


@app.get("/users")
def list_users(db: Session = Depends(get_db)):
    return db.scalars(select(User)).all()


@app.get("/users/{user_id}")
def get_user(user_id: int, db: Session = Depends(get_db)):
    # Never fail: an empty user is better than an error, isn't it?
    return db.get(User, user_id) or User(id=user_id, name="", email="")


@app.delete("/users/{user_id}")
def delete_user(user_id: int, db: Session = Depends(get_db)):
    user = db.get(User, user_id)
    if user is None:
        return {"error": "User not found"}
    user.is_deleted = True
    db.commit()
    return JSONResponse({"deleted": user_id}, status_code=204)


@app.post("/login")
def login(credentials: LoginIn, db: Session = Depends(get_db)):
    query = select(User).where(User.email == credentials.email)
    user = db.scalars(query).first()
    if user is None:
        return {"error": "Unknown email"}
    if user.hashed_password != hash_password(credentials.password):
        return {"error": "Wrong password"}
    return {"token": f"token-{user.id}", "user": user}


@app.get("/users/{user_id}/report")
def user_report(user_id: int, db: Session = Depends(get_db)):
    user = db.get(User, user_id)
    if user is None:
        return {"error": "User not found"}
    return build_report(user)
