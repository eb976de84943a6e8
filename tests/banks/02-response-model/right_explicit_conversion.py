"""Right: records are dicts and every route builds its UserOut explicitly."""
# fails:

import hashlib
import itertools
import time

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel


def hash_password(password: str) -> str:
    return hashlib.sha256(("course-salt:" + password).encode()).hexdigest()


class UserIn(BaseModel):
    username: str
    email: str
    password: str


class UserOut(BaseModel):
    id: int
    username: str
    email: str


app = FastAPI()

USERS: dict = {}
IDS = itertools.count(100)


def to_out(record: dict) -> UserOut:
    return UserOut(id=record["id"], username=record["username"], email=record["email"])


@app.post("/users", status_code=201, response_model=UserOut)
def create_user(user: UserIn) -> UserOut:
    for record in USERS.values():
        if record["username"] == user.username:
            raise HTTPException(409, "That username is taken")
    record = {"id": next(IDS), "username": user.username, "email": user.email,
              "hashed_password": hash_password(user.password), "is_admin": False, "created_at": time.time()}
    USERS[record["id"]] = record
    return to_out(record)


@app.get("/users", response_model=list[UserOut])
def list_users() -> list[UserOut]:
    return [to_out(record) for record in USERS.values()]


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int) -> UserOut:
    record = USERS.get(user_id)
    if record is None:
        raise HTTPException(404, "No such user")
    return to_out(record)
