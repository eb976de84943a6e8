"""Login: a random token on success; on any failure, 401 with
WWW-Authenticate and one message, at the cost of one hash either way."""

import hashlib
import secrets

from fastapi import FastAPI, HTTPException, status
from pydantic import BaseModel


def hash_password(password: str) -> str:
    # Teaching only: real code uses argon2 or bcrypt (e.g. pwdlib).
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
# Compared with when the email is unknown: no password hashes to it.
NO_SUCH_HASH = hash_password(secrets.token_urlsafe(32))


@app.post("/login")
def login(credentials: Credentials) -> Token:
    user = next(
        (u for u in USERS.values() if u["email"] == credentials.email), None
    )
    stored = user["hashed_password"] if user else NO_SUCH_HASH
    given = hash_password(credentials.password)  # (1)!
    if not secrets.compare_digest(stored, given) or user is None:  # (2)!
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,  # (3)!
            detail="Wrong email or password",  # the same words for both
            headers={"WWW-Authenticate": "Bearer"},
        )
    token = secrets.token_urlsafe(24)  # (4)!
    TOKENS[token] = user["id"]
    return Token(token=token)  # exactly {"token": ...}, not the record
