"""The settings route was never written."""
# fails: settings-non-defaults, unknown-username-404
# says: is not declared in your app yet

from fastapi import FastAPI, HTTPException, status
from pydantic import BaseModel


class Profile(BaseModel):
    username: str
    email: str
    bio: str | None = None
    theme: str = "light"
    newsletter: bool = False
    deleted_at: str | None = None


app = FastAPI(title="Profiles API")

PROFILES: dict = {}  # username -> Profile

class ProfileUpdate(BaseModel):
    # Every field optional, so a client sends only what changes. None is only
    # the "not sent" default here: model_dump(exclude_unset=True) tells an
    # unsent field from an explicit null.
    email: str | None = None
    bio: str | None = None
    theme: str | None = None
    newsletter: bool | None = None
    deleted_at: str | None = None


class ProfileCard(BaseModel):
    username: str
    bio: str | None


def find(username: str) -> Profile:
    if username not in PROFILES:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Profile not found")
    return PROFILES[username]


@app.post("/profiles", response_model=Profile, response_model_exclude_unset=True,
          status_code=status.HTTP_201_CREATED)
def create_profile(profile: Profile) -> Profile:
    if profile.username in PROFILES:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="Username already taken")
    PROFILES[profile.username] = profile
    # Return the model itself: it remembers which fields the client set.
    # A dict would make every key "set" again.
    return profile


@app.get("/profiles/{username}", response_model=Profile, response_model_exclude_none=True)
def get_profile(username: str) -> Profile:
    return find(username)


@app.get("/profiles/{username}/card", response_model=ProfileCard)
def get_card(username: str) -> Profile:
    return find(username)


@app.patch("/profiles/{username}", response_model=Profile, response_model_exclude_none=True)
def update_profile(username: str, changes: ProfileUpdate) -> Profile:
    stored = find(username)
    updated = stored.model_copy(update=changes.model_dump(exclude_unset=True))
    PROFILES[username] = updated
    return updated
