"""Right (though the docs page prefers a separate model): the card uses an include set,
and PATCH re-validates the merged profile instead of model_copy."""
# fails:

from fastapi import FastAPI, HTTPException, status
from pydantic import BaseModel


class Profile(BaseModel):
    username: str
    email: str
    bio: str | None = None
    theme: str = "light"
    newsletter: bool = False
    deleted_at: str | None = None


class ProfilePatch(BaseModel):
    email: str | None = None
    bio: str | None = None
    theme: str | None = None
    newsletter: bool | None = None
    deleted_at: str | None = None


app = FastAPI()

PROFILES: dict[str, Profile] = {}


def lookup(username: str) -> Profile:
    profile = PROFILES.get(username)
    if profile is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Profile not found")
    return profile


@app.post("/profiles", response_model=Profile, response_model_exclude_unset=True, status_code=201)
async def create_profile(profile: Profile):
    if profile.username in PROFILES:
        raise HTTPException(status.HTTP_409_CONFLICT, "Username already taken")
    PROFILES[profile.username] = profile
    return profile


@app.get("/profiles/{username}", response_model=Profile, response_model_exclude_none=True)
async def get_profile(username: str):
    return lookup(username)


@app.get("/profiles/{username}/settings", response_model=Profile, response_model_exclude_defaults=True)
async def get_settings(username: str):
    return lookup(username)


@app.get("/profiles/{username}/card", response_model=Profile, response_model_include={"username", "bio"})
async def get_card(username: str):
    return lookup(username)


@app.patch("/profiles/{username}", response_model=Profile, response_model_exclude_none=True)
async def update_profile(username: str, patch: ProfilePatch):
    merged = {**lookup(username).model_dump(), **patch.model_dump(exclude_unset=True)}
    PROFILES[username] = Profile.model_validate(merged)
    return PROFILES[username]
