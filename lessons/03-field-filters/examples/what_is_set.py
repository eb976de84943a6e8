"""What "set" means in Pydantic 2: given by the client, whatever the value."""

from fastapi import FastAPI
from pydantic import BaseModel


class Profile(BaseModel):
    username: str
    email: str
    bio: str | None = None
    theme: str = "light"
    newsletter: bool = False


app = FastAPI()


@app.post("/inspect")
def inspect(profile: Profile) -> dict:
    return {
        "fields_set": sorted(profile.model_fields_set),
        "exclude_unset": profile.model_dump(exclude_unset=True),
        "exclude_none": profile.model_dump(exclude_none=True),
        "exclude_defaults": profile.model_dump(exclude_defaults=True),
    }
