"""Every route returns the stored record as it is, with no response model: hashes and internal fields go out."""
# fails: create-returns-user-out, list-users, get-user, openapi-user-out, no-leaks
# says: extra ['created_at', 'hashed_password', 'is_admin']|key 'hashed_password'

import hashlib
from datetime import datetime, timezone

from fastapi import FastAPI, HTTPException, status
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


def store(user: UserIn) -> dict:
    if any(u["username"] == user.username for u in USERS.values()):
        raise HTTPException(status_code=409, detail="Username already taken")
    record = {
        "id": len(USERS) + 1,
        "username": user.username,
        "email": user.email,
        "hashed_password": hash_password(user.password),
        "is_admin": False,
        "created_at": datetime.now(timezone.utc).isoformat(),
    }
    USERS[record["id"]] = record
    return record


@app.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(user: UserIn) -> dict:
    return store(user)


@app.get("/users")
def list_users() -> list:
    return list(USERS.values())


@app.get("/users/{user_id}")
def get_user(user_id: int) -> dict:
    if user_id not in USERS:
        raise HTTPException(status_code=404, detail="User not found")
    return USERS[user_id]
