"""Right: an APIRouter, a dependency that finds the profile or raises 404, and separate output models."""
# fails:

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException
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
    bio: str | None = None


PROFILES: dict[str, Profile] = {}
router = APIRouter(prefix="/profiles")


def existing_profile(username: str) -> Profile:
    try:
        return PROFILES[username]
    except KeyError:
        raise HTTPException(status_code=404, detail="Profile not found") from None


Existing = Annotated[Profile, Depends(existing_profile)]


@router.post("", status_code=201, response_model_exclude_unset=True)
def create_profile(profile: Profile) -> Profile:
    if profile.username in PROFILES:
        raise HTTPException(status_code=409, detail="Username already taken")
    PROFILES[profile.username] = profile
    return profile


@router.get("/{username}", response_model_exclude_none=True)
def get_profile(profile: Existing) -> Profile:
    return profile


@router.get("/{username}/settings", response_model_exclude_defaults=True)
def get_settings(profile: Existing) -> Profile:
    return profile


@router.get("/{username}/card")
def get_card(profile: Existing) -> ProfileCard:
    # Built explicitly from the stored profile; FastAPI would also accept the Profile itself.
    return ProfileCard(username=profile.username, bio=profile.bio)


@router.patch("/{username}", response_model_exclude_none=True)
def update_profile(profile: Existing, changes: ProfileUpdate) -> Profile:
    updated = profile.model_copy(update=changes.model_dump(exclude_unset=True))
    PROFILES[updated.username] = updated
    return updated


app = FastAPI()
app.include_router(router)
