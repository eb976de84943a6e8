"""A list route needs list[UserOut]; a missing user is a 404."""

from fastapi import FastAPI, HTTPException, status
from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    username: str


app = FastAPI()

USERS = {
    1: {"id": 1, "username": "ada", "hashed_password": "h1"},
    2: {"id": 2, "username": "grace", "hashed_password": "h2"},
}


@app.get("/users", response_model=list[UserOut])
def list_users():
    return list(USERS.values())  # every item is filtered


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int):
    if user_id not in USERS:
        # Raising skips the response model; a made-up user would pass it.
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="User not found")
    return USERS[user_id]


@app.get("/wrong-list", response_model=UserOut)
def wrong_list():
    return list(USERS.values())  # a list is not a UserOut: 500
