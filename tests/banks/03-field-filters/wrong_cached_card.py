"""The card is cached with functools.cache: after a PATCH the card still shows the old bio."""
# fails: card-username-bio
# says: the card after a patch

from functools import cache

from fastapi import FastAPI, HTTPException, status
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


class ProfileCard(BaseModel):
    username: str
    bio: str | None


app = FastAPI()

PROFILES: dict[str, Profile] = {}


def find(username: str) -> Profile:
    if username not in PROFILES:
        raise HTTPException(status_code=404, detail="Profile not found")
    return PROFILES[username]


@cache
def card_for(username: str) -> ProfileCard:
    # "Cards are read a lot and rarely change."
    profile = find(username)
    return ProfileCard(username=profile.username, bio=profile.bio)


@app.post("/profiles", status_code=status.HTTP_201_CREATED, response_model=Profile, response_model_exclude_unset=True)
def create_profile(profile: Profile) -> Profile:
    if profile.username in PROFILES:
        raise HTTPException(status_code=409, detail="Username already taken")
    PROFILES[profile.username] = profile
    return profile


@app.get("/profiles/{username}", response_model=Profile, response_model_exclude_none=True)
def get_profile(username: str) -> Profile:
    return find(username)


@app.get("/profiles/{username}/settings", response_model=Profile, response_model_exclude_defaults=True)
def get_settings(username: str) -> Profile:
    return find(username)


@app.get("/profiles/{username}/card")
def get_card(username: str) -> ProfileCard:
    return card_for(username)


@app.patch("/profiles/{username}", response_model=Profile, response_model_exclude_none=True)
def update_profile(username: str, changes: ProfileUpdate) -> Profile:
    PROFILES[username] = find(username).model_copy(update=changes.model_dump(exclude_unset=True))
    return PROFILES[username]
