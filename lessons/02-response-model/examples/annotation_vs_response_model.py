"""One model decides the response: response_model, else the annotation."""

from fastapi import FastAPI
from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    username: str


class UserInDB(UserOut):
    hashed_password: str


app = FastAPI()
STORED = UserInDB(id=1, username="ada", hashed_password="not-for-clients")


@app.get("/annotated")
def annotated() -> UserOut:
    return STORED  # filtered by the annotation: no hash


@app.get("/both", response_model=UserOut)
def both() -> UserInDB:
    return STORED  # response_model wins: no hash, and the editor is happy


@app.get("/trap", response_model=UserInDB)
def trap() -> UserOut:
    return STORED  # response_model wins here too: the hash is sent!
