"""Login: a random token on success; on any failure, 401 with
WWW-Authenticate and one message."""

import hashlib
import secrets

from fastapi import FastAPI, HTTPException, status
from pydantic import BaseModel


def hash_password(password: str) -> str:
    return hashlib.sha256(("capstone:" + password).encode()).hexdigest()


class Credentials(BaseModel):
    email: str
    password: str


class Token(BaseModel):
    token: str


app = FastAPI()
USERS = {
    1: {
        "id": 1,
        "email": "ada@example.com",
        "hashed_password": hash_password("analytical-engine"),
    },
}
TOKENS: dict[str, int] = {}


@app.post("/login")
def login(credentials: Credentials) -> Token:
    for user in USERS.values():
        if user["email"] == credentials.email and secrets.compare_digest(
            user["hashed_password"], hash_password(credentials.password)
        ):
            # Random, so it reveals nothing about the password.
            token = secrets.token_urlsafe(24)
            TOKENS[token] = user["id"]
            # Exactly {"token": ...}: not the user record.
            return Token(token=token)
    raise HTTPException(
        # The credentials failed: 401, not 403.
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Wrong email or password",  # the same words whichever was wrong
        headers={"WWW-Authenticate": "Bearer"},
    )
