"""The "catch-all" handler is registered for ValueError, the one crash build_report raised in testing: any other exception gets Starlette's plain-text 500."""

# fails: report-500-hidden
# says: registered for `Exception` itself

import hashlib
import secrets
from itertools import count

from fastapi import FastAPI, HTTPException, Request, Response, status
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


class Credentials(BaseModel):
    email: str
    password: str


class Token(BaseModel):
    token: str


app = FastAPI(title="Users API")

# Stored records hold UserOut's fields plus hashed_password, internal_notes and
# is_deleted; response_model=UserOut is what keeps those three out of responses.
USERS: dict[int, dict] = {}
TOKENS: dict[str, int] = {}
new_ids = count(1)


@app.exception_handler(ValueError)
async def hide_internal_errors(request: Request, exc: ValueError) -> JSONResponse:
    # The server still logs the traceback (Starlette re-raises after this
    # handler answers); the client learns only that something failed.
    return JSONResponse({"detail": "Internal server error"}, status_code=status.HTTP_500_INTERNAL_SERVER_ERROR)


def find_user(user_id: int) -> dict:
    """The stored record, or 404: a deleted user is as gone as one that never existed."""
    user = USERS.get(user_id)
    if user is None or user["is_deleted"]:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    return user


@app.post("/users", status_code=status.HTTP_201_CREATED, response_model=UserOut)
def create_user(user: UserIn, response: Response):
    user_id = next(new_ids)
    USERS[user_id] = {
        "id": user_id,
        "name": user.name,
        "email": user.email,
        "hashed_password": hash_password(user.password),
        "internal_notes": "signed up through the public API",
        "is_deleted": False,
    }
    response.headers["Location"] = f"/users/{user_id}"
    return USERS[user_id]


@app.get("/users", response_model=list[UserOut])
def list_users():
    return [user for user in USERS.values() if not user["is_deleted"]]


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int):
    return find_user(user_id)


@app.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_user(user_id: int) -> None:
    find_user(user_id)["is_deleted"] = True


@app.post("/login")
def login(credentials: Credentials) -> Token:
    for user_id, user in USERS.items():
        if (
            not user["is_deleted"]
            and user["email"] == credentials.email
            and secrets.compare_digest(user["hashed_password"], hash_password(credentials.password))
        ):
            token = secrets.token_urlsafe(24)  # random: never derived from the password or its hash
            TOKENS[token] = user_id
            return Token(token=token)
    # One answer for a wrong email and a wrong password: no hint which one exists.
    raise HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Wrong email or password",
        headers={"WWW-Authenticate": "Bearer"},
    )


@app.get("/users/{user_id}/report")
def user_report(user_id: int) -> dict:
    return build_report(find_user(user_id))
