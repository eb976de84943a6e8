"""response_model_exclude filters the body but not the OpenAPI schema."""

from fastapi import FastAPI
from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    username: str


class UserInDB(UserOut):
    hashed_password: str


app = FastAPI()
STORED = UserInDB(id=1, username="ada", hashed_password="not-for-clients")


@app.get(
    "/excluded",
    response_model=UserInDB,
    response_model_exclude={"hashed_password"},
)
def excluded():
    return STORED  # body: no hash; schema: UserInDB, hash included


@app.get("/separate", response_model=UserOut)
def separate():
    return STORED  # body and schema agree: UserOut
