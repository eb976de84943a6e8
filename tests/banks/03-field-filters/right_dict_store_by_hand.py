"""Right: dicts in the store, every filter written by hand with model_dump, no response_model."""
# fails:

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel


class Profile(BaseModel):
    username: str
    email: str
    bio: str | None = None
    theme: str = "light"
    newsletter: bool = False
    deleted_at: str | None = None


class ProfileUpdate(BaseModel):
    email: str | None = None
    bio: str | None = None
    theme: str | None = None
    newsletter: bool | None = None
    deleted_at: str | None = None


app = FastAPI()

PROFILES: dict[str, dict] = {}
DEFAULTS = {name: field.default for name, field in Profile.model_fields.items() if not field.is_required()}


def record_of(username: str) -> dict:
    if username not in PROFILES:
        raise HTTPException(404, f"No profile {username!r}")
    return PROFILES[username]


def without_nulls(record: dict) -> dict:
    return {key: value for key, value in record.items() if value is not None}


@app.post("/profiles", status_code=201)
def create_profile(profile: Profile) -> dict:
    if profile.username in PROFILES:
        raise HTTPException(409, "Username already taken")
    PROFILES[profile.username] = profile.model_dump()
    return profile.model_dump(exclude_unset=True)


@app.get("/profiles/{username}")
def get_profile(username: str) -> dict:
    return without_nulls(record_of(username))


@app.get("/profiles/{username}/settings")
def get_settings(username: str) -> dict:
    record = record_of(username)
    return {key: value for key, value in record.items() if key not in DEFAULTS or value != DEFAULTS[key]}


@app.get("/profiles/{username}/card")
def get_card(username: str) -> dict:
    record = record_of(username)
    return {"username": record["username"], "bio": record["bio"]}


@app.patch("/profiles/{username}")
def update_profile(username: str, changes: ProfileUpdate) -> dict:
    record = record_of(username)
    record.update(changes.model_dump(exclude_unset=True))
    return without_nulls(record)
