"""Right: JSONResponse bodies built from model_dump with the matching exclude_* flags, and the
set of fields the client sent kept alongside each stored profile."""
# fails:

from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse
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

PROFILES: dict[str, Profile] = {}


def fetch(username: str) -> Profile:
    if username not in PROFILES:
        raise HTTPException(404, "Profile not found")
    return PROFILES[username]


@app.post("/profiles")
def create_profile(profile: Profile) -> JSONResponse:
    if profile.username in PROFILES:
        return JSONResponse({"detail": "Username already taken"}, status_code=409)
    PROFILES[profile.username] = profile
    return JSONResponse(profile.model_dump(exclude_unset=True), status_code=201)


@app.get("/profiles/{username}")
def get_profile(username: str) -> JSONResponse:
    return JSONResponse(fetch(username).model_dump(exclude_none=True))


@app.get("/profiles/{username}/settings")
def get_settings(username: str) -> JSONResponse:
    return JSONResponse(fetch(username).model_dump(exclude_defaults=True))


@app.get("/profiles/{username}/card")
def get_card(username: str) -> JSONResponse:
    return JSONResponse(fetch(username).model_dump(include={"username", "bio"}))


@app.patch("/profiles/{username}")
def update_profile(username: str, changes: ProfileUpdate) -> JSONResponse:
    updated = fetch(username).model_copy(update=changes.model_dump(exclude_unset=True))
    PROFILES[username] = updated
    return JSONResponse(updated.model_dump(exclude_none=True))
