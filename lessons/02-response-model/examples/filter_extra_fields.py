"""response_model validates the return value and keeps only its fields."""

from fastapi import FastAPI
from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    username: str
    email: str


app = FastAPI()

RECORD = {
    "id": 1,
    "username": "ada",
    "email": "ada@example.com",
    "hashed_password": "5e884898da28047151d0e56f8dc629...",
    "is_admin": False,
}


@app.get("/users/1", response_model=UserOut)
def get_user():
    return RECORD  # the extra keys are dropped on the way out
