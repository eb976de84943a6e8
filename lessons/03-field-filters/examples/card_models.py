"""A smaller view: an include set filters the body only; a separate model
fixes the schema too."""

from fastapi import FastAPI
from pydantic import BaseModel


class Profile(BaseModel):
    username: str
    email: str
    bio: str | None = None
    theme: str = "light"


class ProfileCard(BaseModel):
    username: str
    bio: str | None


app = FastAPI()
ADA = Profile(username="ada", email="ada@example.com")


@app.get(
    "/card-include",
    response_model=Profile,
    response_model_include={"username", "bio"},
)
def card_include() -> Profile:
    return ADA  # body: username, bio; schema: the whole Profile


@app.get("/card", response_model=ProfileCard)
def card() -> Profile:
    return ADA  # body and schema: username, bio (null included)
