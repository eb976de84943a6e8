"""A missing user: three ways to hide it, and the one answer that tells
the truth."""

from fastapi import FastAPI, HTTPException, status
from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    name: str
    email: str


app = FastAPI()
USERS = {1: {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"}}


@app.get("/placeholder/users/{user_id}")
def placeholder(user_id: int):
    # 200 with an invented user.
    return USERS.get(user_id, {"id": user_id, "name": "", "email": ""})


@app.get("/error-dict/users/{user_id}")
def error_dict(user_id: int):
    if user_id not in USERS:
        # 200: every client reads this as a success.
        return {"error": "User not found"}
    return USERS[user_id]


@app.get("/returned/users/{user_id}", response_model=UserOut)
def returned(user_id: int):
    if user_id not in USERS:
        # Returned, not raised: it fails validation against UserOut, so a 500.
        return HTTPException(status_code=404, detail="User not found")
    return USERS[user_id]


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int):
    if user_id not in USERS:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="User not found"
        )
    return USERS[user_id]
