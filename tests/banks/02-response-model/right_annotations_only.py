"""Right: return annotations instead of response_model=, and a stored model that extends UserOut."""
# fails:

import hashlib
from datetime import datetime, timezone

from fastapi import FastAPI, HTTPException, status
from pydantic import BaseModel, Field


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


class StoredUser(UserOut):
    hashed_password: str
    is_admin: bool = False
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))


app = FastAPI()

USERS: dict[int, StoredUser] = {}


@app.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(user: UserIn) -> UserOut:
    if user.username in {u.username for u in USERS.values()}:
        raise HTTPException(status.HTTP_409_CONFLICT, "Username already taken")
    stored = StoredUser(id=len(USERS) + 1, username=user.username, email=user.email,
                        hashed_password=hash_password(user.password))
    USERS[stored.id] = stored
    return stored  # a StoredUser is a UserOut; the annotation filters it


@app.get("/users")
def list_users() -> list[UserOut]:
    return list(USERS.values())


@app.get("/users/{user_id}")
def get_user(user_id: int) -> UserOut:
    try:
        return USERS[user_id]
    except KeyError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "User not found") from None
