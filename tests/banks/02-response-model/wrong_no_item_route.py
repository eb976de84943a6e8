"""GET /users/{user_id} was never written: the 404 for an unknown id comes from FastAPI's router, not from the app."""
# fails: get-user, get-unknown-404, openapi-user-out
# says: No route for GET /users/{user_id}: define it

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


@app.post("/users", response_model=UserOut, status_code=status.HTTP_201_CREATED)
def create_user(user: UserIn):
    return store(user)


@app.get("/users", response_model=list[UserOut])
def list_users():
    return list(USERS.values())
