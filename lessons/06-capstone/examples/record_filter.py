"""The stored record holds secrets: returned as it is, all of it goes out; through UserOut,
only id, name and email."""

import hashlib

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    name: str
    email: str


app = FastAPI()
USERS = {
    1: {
        "id": 1,
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "hashed_password": hashlib.sha256(b"capstone:analytical-engine").hexdigest(),
        "internal_notes": "asked for a refund twice",
        "is_deleted": False,
    },
}


def find_user(user_id: int) -> dict:
    if user_id not in USERS:
        raise HTTPException(status_code=404, detail="User not found")
    return USERS[user_id]


@app.get("/leaky/users/{user_id}")
def leaky_user(user_id: int):
    return find_user(user_id)  # no response model: every key of the record is sent


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int):
    return find_user(user_id)  # validated against UserOut, then only its fields are sent
