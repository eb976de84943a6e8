"""response_model_exclude_unset: exactly the fields the client sent."""

from fastapi import FastAPI, status
from pydantic import BaseModel


class Profile(BaseModel):
    username: str
    email: str
    bio: str | None = None
    theme: str = "light"
    newsletter: bool = False


app = FastAPI()


@app.post("/profiles", response_model=Profile,
          response_model_exclude_unset=True,
          status_code=status.HTTP_201_CREATED)
def create_profile(profile: Profile) -> Profile:
    return profile  # the model remembers which fields were sent


@app.post("/profiles-as-dict", response_model=Profile,
          response_model_exclude_unset=True,
          status_code=status.HTTP_201_CREATED)
def create_profile_as_dict(profile: Profile) -> dict:
    return profile.model_dump()  # a dict has every key: all "set" again
