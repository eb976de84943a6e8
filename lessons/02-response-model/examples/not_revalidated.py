"""An instance of the response model is trusted: not validated again."""

from fastapi import FastAPI
from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    username: str
    email: str


app = FastAPI()


@app.get("/from-dict")
def from_dict() -> UserOut:
    return {"id": 1, "username": "ada"}  # (1)!


@app.get("/constructed")
def constructed() -> UserOut:
    return UserOut.model_construct(id=1, username="ada")  # (2)!


@app.get("/copied")
def copied() -> UserOut:
    user = UserOut(id=1, username="ada", email="ada@example.com")
    return user.model_copy(update={"email": None})  # (3)!


@app.get("/checked")
def checked() -> UserOut:
    user = UserOut(id=1, username="ada", email="ada@example.com")
    changed = {**user.model_dump(), "email": None}
    return UserOut.model_validate(changed)  # (4)!
