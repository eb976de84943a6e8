"""Right: stored records are Pydantic models that extend UserOut; return annotations (no response_model) do the filtering."""

# fails:

import hashlib
import secrets
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel


def hash_password(password: str) -> str:
    return hashlib.sha256(("capstone:" + password).encode()).hexdigest()


def build_report(user: dict) -> dict:
    """Starter report code: assumes every name has a first and a last part."""
    first, last = user["name"].split(" ", 1)
    return {"user_id": user["id"], "initials": first[0] + last[0], "email_domain": user["email"].split("@")[1]}


class UserIn(BaseModel):
    name: str
    email: str
    password: str


class UserOut(BaseModel):
    id: int
    name: str
    email: str


class UserRecord(UserOut):
    hashed_password: str
    internal_notes: str = ""
    is_deleted: bool = False


class Login(BaseModel):
    email: str
    password: str


class Token(BaseModel):
    token: str


app = FastAPI()
USERS: dict[int, UserRecord] = {}


@app.exception_handler(Exception)
async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(status_code=500, content={"detail": "Internal server error"})


def live_user(user_id: int) -> UserRecord:
    record = USERS.get(user_id)
    if record is None or record.is_deleted:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "User not found")
    return record


LiveUser = Annotated[UserRecord, Depends(live_user)]


@app.post("/users", status_code=status.HTTP_201_CREATED)
async def create_user(user: UserIn, response: Response) -> UserOut:
    record = UserRecord(
        id=max(USERS, default=0) + 1,
        name=user.name,
        email=user.email,
        hashed_password=hash_password(user.password),
        internal_notes="new",
    )
    USERS[record.id] = record
    response.headers["Location"] = f"/users/{record.id}"
    return record  # a UserRecord; the UserOut annotation serialises only UserOut's fields


@app.get("/users")
async def list_users() -> list[UserOut]:
    return [record for record in USERS.values() if not record.is_deleted]


@app.get("/users/{user_id}")
async def get_user(record: LiveUser) -> UserOut:
    return record


@app.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_user(record: LiveUser) -> None:
    record.is_deleted = True


@app.post("/login")
async def login(body: Login) -> Token:
    match = next((r for r in USERS.values() if r.email == body.email and not r.is_deleted), None)
    if match is None or not secrets.compare_digest(match.hashed_password, hash_password(body.password)):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Invalid credentials", headers={"WWW-Authenticate": "Bearer"})
    return Token(token=secrets.token_hex(16))


@app.get("/users/{user_id}/report")
async def report(record: LiveUser) -> dict:
    return build_report(record.model_dump())
