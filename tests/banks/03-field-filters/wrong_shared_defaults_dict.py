"""Profiles are built on one module-level DEFAULTS dict that is updated in place instead of copied:
the first profile works, the second overwrites it, and earlier profiles then read back wrong."""
# fails: get-profile, settings-non-defaults, card-username-bio, patch-returns-profile
# says: GET /profiles/

from fastapi import FastAPI, HTTPException, status
from pydantic import BaseModel


class Profile(BaseModel):
    username: str
    email: str
    bio: str | None = None
    theme: str = "light"
    newsletter: bool = False
    deleted_at: str | None = None


app = FastAPI()

PROFILES: dict = {}
DEFAULTS = {"bio": None, "theme": "light", "newsletter": False, "deleted_at": None}


@app.post("/profiles", status_code=status.HTTP_201_CREATED)
def create_profile(profile: Profile) -> dict:
    if profile.username in PROFILES:
        raise HTTPException(status_code=409, detail="Username already taken")
    sent = profile.model_dump(exclude_unset=True)
    record = DEFAULTS  # meant: dict(DEFAULTS)
    record.update(sent)
    PROFILES[profile.username] = record
    return sent


def find(username: str) -> dict:
    if username not in PROFILES:
        raise HTTPException(status_code=404, detail="Profile not found")
    return PROFILES[username]


@app.get("/profiles/{username}", response_model=Profile, response_model_exclude_none=True)
def get_profile(username: str):
    return find(username)


@app.get("/profiles/{username}/settings", response_model=Profile, response_model_exclude_defaults=True)
def get_settings(username: str):
    return find(username)


class ProfileCard(BaseModel):
    username: str
    bio: str | None


@app.get("/profiles/{username}/card", response_model=ProfileCard)
def get_card(username: str):
    return find(username)


class ProfileUpdate(BaseModel):
    email: str | None = None
    bio: str | None = None
    theme: str | None = None
    newsletter: bool | None = None
    deleted_at: str | None = None


@app.patch("/profiles/{username}", response_model=Profile, response_model_exclude_none=True)
def update_profile(username: str, changes: ProfileUpdate):
    record = find(username)
    record.update(changes.model_dump(exclude_unset=True))
    return record
