"""Login: a random token on success; 401 with WWW-Authenticate, and one message, on any failure."""

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
    1: {"id": 1, "email": "ada@example.com", "hashed_password": hash_password("analytical-engine")},
}
TOKENS: dict[str, int] = {}


@app.post("/login")
def login(credentials: Credentials) -> Token:
    for user in USERS.values():
        if user["email"] == credentials.email and secrets.compare_digest(
            user["hashed_password"], hash_password(credentials.password)
        ):
            token = secrets.token_urlsafe(24)  # random, so it reveals nothing about the password
            TOKENS[token] = user["id"]
            return Token(token=token)  # exactly {"token": ...}: not the user record
    raise HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,  # the credentials failed: 401, not 403
        detail="Wrong email or password",  # the same words whichever was wrong
        headers={"WWW-Authenticate": "Bearer"},
    )
