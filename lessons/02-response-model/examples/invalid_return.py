"""A return value that does not fit the response model: 500, not 422."""

from fastapi import FastAPI
from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    username: str
    email: str


app = FastAPI()


@app.get("/users/1", response_model=UserOut)
def get_user():
    return {"id": 1, "username": "ada"}  # no email: ResponseValidationError
