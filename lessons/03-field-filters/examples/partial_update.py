"""PATCH: merge only the fields the client sent, nulls included."""

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel


class Profile(BaseModel):
    username: str
    email: str
    bio: str | None = None
    theme: str = "light"
    newsletter: bool = False


class ProfileUpdate(BaseModel):
    email: str | None = None
    bio: str | None = None
    theme: str | None = None
    newsletter: bool | None = None


app = FastAPI()
PROFILES = {"ada": Profile(username="ada", email="ada@example.com", bio="Engines", theme="dark", newsletter=True)}


@app.patch("/profiles/{username}", response_model=Profile, response_model_exclude_none=True)
def update_profile(username: str, changes: ProfileUpdate) -> Profile:
    if username not in PROFILES:
        raise HTTPException(status_code=404, detail="Profile not found")
    sent = changes.model_dump(exclude_unset=True)  # {"bio": None} when the client sent "bio": null
    PROFILES[username] = PROFILES[username].model_copy(update=sent)
    return PROFILES[username]


@app.patch("/broken/{username}", response_model=Profile, response_model_exclude_none=True)
def broken_update(username: str, changes: ProfileUpdate) -> Profile:
    # model_dump() without exclude_unset: every field not sent is overwritten with None.
    PROFILES[username] = PROFILES[username].model_copy(update=changes.model_dump())
    return PROFILES[username]
