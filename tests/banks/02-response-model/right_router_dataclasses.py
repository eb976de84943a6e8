"""Right: an APIRouter, dataclass records, response_model= on each route."""
# fails:

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from fastapi import APIRouter, FastAPI, HTTPException, status
from pydantic import BaseModel


def hash_password(password: str) -> str:
    return hashlib.sha256(("course-salt:" + password).encode()).hexdigest()


class UserIn(BaseModel):
    username: str
    email: str
    password: str


class UserBase(BaseModel):
    username: str
    email: str


class UserOut(UserBase):
    id: int


@dataclass
class Record:
    id: int
    username: str
    email: str
    hashed_password: str
    is_admin: bool = False
    created_at: datetime = field(default_factory=datetime.now)


USERS: dict[int, Record] = {}
router = APIRouter(prefix="/users", tags=["users"])


@router.post("", response_model=UserOut, status_code=status.HTTP_201_CREATED)
def create_user(user: UserIn):
    if any(r.username == user.username for r in USERS.values()):
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="Username already taken")
    record = Record(id=max(USERS, default=0) + 1, username=user.username, email=user.email,
                    hashed_password=hash_password(user.password))
    USERS[record.id] = record
    return record


@router.get("", response_model=list[UserOut])
def list_users():
    return list(USERS.values())


@router.get("/{user_id}", response_model=UserOut)
def get_user(user_id: int):
    if user_id not in USERS:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    return USERS[user_id]


app = FastAPI()
app.include_router(router)
