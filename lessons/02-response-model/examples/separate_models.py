"""Three models: what comes in, what goes out, what is stored."""

import hashlib
from datetime import datetime, timezone

from fastapi import FastAPI, status
from pydantic import BaseModel


def hash_password(password: str) -> str:
    # Teaching only: real code uses argon2 or bcrypt (e.g. pwdlib).
    return hashlib.sha256(("course-salt:" + password).encode()).hexdigest()


class UserIn(BaseModel):  # the request body
    username: str
    email: str
    password: str


class UserOut(BaseModel):  # every response
    id: int
    username: str
    email: str


class UserInDB(UserOut):  # only ever on the server
    hashed_password: str
    is_admin: bool = False
    created_at: datetime


app = FastAPI()
USERS: dict[int, UserInDB] = {}


@app.post(
    "/users", response_model=UserOut, status_code=status.HTTP_201_CREATED
)
def create_user(user: UserIn) -> UserInDB:
    stored = UserInDB(
        id=max(USERS, default=0) + 1,  # never a stored id, even after a delete
        username=user.username,
        email=user.email,
        hashed_password=hash_password(user.password),
        created_at=datetime.now(timezone.utc),
    )
    USERS[stored.id] = stored
    return stored  # response_model=UserOut strips the stored-only fields
