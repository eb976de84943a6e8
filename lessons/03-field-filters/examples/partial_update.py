"""PATCH: merge only the fields the client sent, nulls included."""

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict


class Profile(BaseModel):
    username: str
    email: str
    bio: str | None = None
    theme: str = "light"
    newsletter: bool = False
    deleted_at: str | None = None


class ProfileUpdate(BaseModel):  # (1)!
    model_config = ConfigDict(extra="forbid")

    email: str | None = None
    bio: str | None = None
    theme: str | None = None
    newsletter: bool | None = None
    deleted_at: str | None = None


app = FastAPI()
PROFILES = {
    "ada": Profile(username="ada", email="ada@example.com", bio="Engines",
                   theme="dark", newsletter=True),
}


@app.patch("/profiles/{username}", response_model=Profile,
           response_model_exclude_none=True)
def update_profile(username: str, changes: ProfileUpdate) -> Profile:
    if username not in PROFILES:
        raise HTTPException(status_code=404, detail="Profile not found")
    sent = changes.model_dump(exclude_unset=True)  # (2)!
    PROFILES[username] = PROFILES[username].model_copy(update=sent)
    return PROFILES[username]


@app.patch("/broken/{username}", response_model=Profile,
           response_model_exclude_none=True)
def broken_update(username: str, changes: ProfileUpdate) -> Profile:
    everything = changes.model_dump()  # (3)!
    PROFILES[username] = PROFILES[username].model_copy(update=everything)
    return PROFILES[username]  # (4)!
