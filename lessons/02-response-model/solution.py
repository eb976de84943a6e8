"""Accounts API: the reference solution of lesson 02 (response models).

The marked region below is what the learner writes;
the rest is the starter code of the exercise notebook.
"""

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


app = FastAPI(title="Accounts API")

USERS: dict = {}  # user id -> stored record

### BEGIN SOLUTION
class UserOut(BaseModel):
    id: int
    username: str
    email: str


class UserInDB(UserOut):
    # What the server keeps. It extends UserOut, so a UserInDB is a valid
    # UserOut: response_model=UserOut validates it and drops these fields.
    hashed_password: str
    is_admin: bool = False
    created_at: datetime


@app.post("/users", response_model=UserOut, status_code=status.HTTP_201_CREATED)
def create_user(user: UserIn) -> UserInDB:
    if any(stored.username == user.username for stored in USERS.values()):
        # Say what is wrong without echoing anything the client sent.
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="Username already taken")
    stored = UserInDB(
        id=max(USERS, default=0) + 1,
        username=user.username,
        email=user.email,
        hashed_password=hash_password(user.password),
        created_at=datetime.now(timezone.utc),
    )
    USERS[stored.id] = stored
    return stored


@app.get("/users", response_model=list[UserOut])
def list_users() -> list[UserInDB]:
    return list(USERS.values())


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int) -> UserInDB:
    if user_id not in USERS:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    return USERS[user_id]
### END SOLUTION
