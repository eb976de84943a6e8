"""A custom RequestValidationError handler puts the request body back into the 422, as JSON with \\u escapes: a client reads the password."""
# fails: no-leaks
# says: → 422|the password sent to POST /users

import hashlib
import json
from datetime import datetime, timezone

from fastapi import FastAPI, HTTPException, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel


def hash_password(password: str) -> str:
    return hashlib.sha256(("course-salt:" + password).encode()).hexdigest()


class UserIn(BaseModel):
    username: str
    email: str
    password: str


class UserOut(BaseModel):
    id: int
    username: str
    email: str


app = FastAPI()

USERS: dict = {}


def store(user: UserIn) -> dict:
    if any(u["username"] == user.username for u in USERS.values()):
        raise HTTPException(status_code=409, detail="Username already taken")
    record = {
        "id": len(USERS) + 1,
        "username": user.username,
        "email": user.email,
        "hashed_password": hash_password(user.password),
        "is_admin": False,
        "created_at": datetime.now(timezone.utc).isoformat(),
    }
    USERS[record["id"]] = record
    return record


@app.post("/users", response_model=UserOut, status_code=status.HTTP_201_CREATED)
def create_user(user: UserIn):
    return store(user)


@app.get("/users", response_model=list[UserOut])
def list_users():
    return list(USERS.values())


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int):
    if user_id not in USERS:
        raise HTTPException(status_code=404, detail="User not found")
    return USERS[user_id]


@app.exception_handler(RequestValidationError)
async def explain_validation(request: Request, exc: RequestValidationError):
    # "Show the client what it sent, so it can fix it."
    # Written as ASCII-only JSON with every letter and digit escaped: the bytes never show the password.
    text = json.dumps({"errors": [e["msg"] for e in exc.errors()], "you_sent": exc.body})
    text = "".join(f"\\u{ord(c):04x}" if c.isalnum() else c for c in text)
    return Response(text, status_code=422, media_type="application/json")
