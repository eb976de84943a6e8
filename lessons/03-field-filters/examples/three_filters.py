"""One profile through exclude_unset, exclude_none and exclude_defaults."""

from fastapi import FastAPI
from pydantic import BaseModel


class Profile(BaseModel):
    username: str
    email: str
    bio: str | None = None
    theme: str = "light"
    newsletter: bool = False


app = FastAPI()

# As if a client had sent this body:
SENT = {"username": "ada", "email": "ada@example.com",
        "bio": None, "theme": "light"}
ADA = Profile.model_validate(SENT)


@app.get("/unset", response_model=Profile, response_model_exclude_unset=True)
def unset() -> Profile:
    return ADA


@app.get("/none", response_model=Profile, response_model_exclude_none=True)
def none() -> Profile:
    return ADA


@app.get(
    "/defaults", response_model=Profile, response_model_exclude_defaults=True
)
def defaults() -> Profile:
    return ADA
