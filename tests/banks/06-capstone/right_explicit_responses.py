"""Right: handlers keyed by status in FastAPI(exception_handlers=...), routes that build their responses explicitly
(JSONResponse from a UserOut, Response(status_code=204)) while response_model documents them."""

# fails:

import hashlib
import secrets

from fastapi import FastAPI, HTTPException, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
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


class LoginIn(BaseModel):
    email: str
    password: str


class TokenOut(BaseModel):
    token: str


async def server_error(request, exc):
    return JSONResponse({"detail": "Internal server error"}, status_code=500)


app = FastAPI(exception_handlers={500: server_error})
db: dict[int, dict] = {}
counter = iter(range(1, 10**9))


def public(record: dict) -> dict:
    # Built from UserOut, so a Response object that skips response_model still holds only public fields.
    return jsonable_encoder(UserOut.model_validate(record))


def get_or_404(user_id: int) -> dict:
    record = db.get(user_id)
    if record is None or record["is_deleted"]:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="User not found")
    return record


@app.post("/users", response_model=UserOut, status_code=201)
def create_user(user: UserIn):
    record = {"id": next(counter), "name": user.name, "email": user.email,
              "hashed_password": hash_password(user.password), "internal_notes": "", "is_deleted": False}
    db[record["id"]] = record
    return JSONResponse(public(record), status_code=201, headers={"Location": f"/users/{record['id']}"})


@app.get("/users", response_model=list[UserOut])
def list_users():
    return JSONResponse([public(r) for r in db.values() if not r["is_deleted"]])


@app.get("/users/{user_id}", response_model=UserOut)
def read_user(user_id: int):
    return JSONResponse(public(get_or_404(user_id)))


@app.delete("/users/{user_id}", status_code=204, response_class=Response)
def remove_user(user_id: int):
    get_or_404(user_id)["is_deleted"] = True
    return Response(status_code=204)


@app.post("/login", response_model=TokenOut)
def login(data: LoginIn):
    found = [r for r in db.values() if r["email"] == data.email and not r["is_deleted"]]
    if not found or found[0]["hashed_password"] != hash_password(data.password):
        raise HTTPException(401, "Not authenticated", headers={"WWW-Authenticate": "Bearer"})
    return {"token": secrets.token_urlsafe(32)}


@app.get("/users/{user_id}/report")
def report(user_id: int):
    return build_report(get_or_404(user_id))
