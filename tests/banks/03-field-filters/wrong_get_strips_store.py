"""GET drops null fields by deleting them from the stored dict: the card route then crashes
(KeyError, 500) for any profile that has been read once."""
# fails: card-username-bio
# says: 500

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


app = FastAPI()

PROFILES: dict = {}


def find(username: str) -> dict:
    if username not in PROFILES:
        raise HTTPException(status_code=404, detail="Profile not found")
    return PROFILES[username]


@app.post("/profiles", status_code=status.HTTP_201_CREATED, response_model=Profile, response_model_exclude_unset=True)
def create_profile(profile: Profile):
    if profile.username in PROFILES:
        raise HTTPException(status_code=409, detail="Username already taken")
    PROFILES[profile.username] = profile.model_dump()
    return profile


@app.get("/profiles/{username}")
def get_profile(username: str) -> dict:
    record = find(username)
    for key in [key for key, value in record.items() if value is None]:
        del record[key]  # "exclude_none", by hand, on the stored record
    return record


@app.get("/profiles/{username}/settings")
def get_settings(username: str) -> dict:
    record = find(username)
    defaults = {name: field.default for name, field in Profile.model_fields.items() if not field.is_required()}
    return {key: value for key, value in record.items() if key not in defaults or value != defaults[key]}


@app.get("/profiles/{username}/card")
def get_card(username: str) -> dict:
    record = find(username)
    return {"username": record["username"], "bio": record["bio"]}


@app.patch("/profiles/{username}")
def update_profile(username: str, changes: ProfileUpdate) -> dict:
    record = find(username)
    record.update(changes.model_dump(exclude_unset=True))
    return {key: value for key, value in record.items() if value is not None}
