"""Right: handlers build their JSONResponse bodies by hand from an allow-list; response_model= keeps the docs right,
and a custom exception for conflicts is turned into a 409 by a handler that echoes nothing."""
# fails:

import hashlib
from datetime import datetime, timezone

from fastapi import FastAPI, HTTPException, Request
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


class UsernameTaken(Exception):
    pass


app = FastAPI()

USERS: dict = {}
PUBLIC = ("id", "username", "email")


def public(record: dict) -> dict:
    return {key: record[key] for key in PUBLIC}


@app.exception_handler(UsernameTaken)
async def username_taken(request: Request, exc: UsernameTaken) -> JSONResponse:
    return JSONResponse(status_code=409, content={"detail": "Username already taken"})


@app.post("/users", response_model=UserOut, status_code=201)
def create_user(user: UserIn):
    if any(r["username"] == user.username for r in USERS.values()):
        raise UsernameTaken()
    record = {"id": len(USERS) + 1, "username": user.username, "email": user.email,
              "hashed_password": hash_password(user.password), "is_admin": False,
              "created_at": datetime.now(timezone.utc).isoformat()}
    USERS[record["id"]] = record
    return JSONResponse(status_code=201, content=public(record))


@app.get("/users", response_model=list[UserOut])
def list_users():
    return JSONResponse([public(r) for r in USERS.values()])


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int):
    if user_id not in USERS:
        raise HTTPException(status_code=404, detail="User not found")
    return JSONResponse(public(USERS[user_id]))
