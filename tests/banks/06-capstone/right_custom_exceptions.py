"""Right: custom exception classes with their own handlers, add_exception_handler, dataclass storage, documented errors."""

# fails:

import hashlib
import secrets
from dataclasses import asdict, dataclass, field

from fastapi import FastAPI, Request, Response, status
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


class Message(BaseModel):
    detail: str


@dataclass
class StoredUser:
    id: int
    name: str
    email: str
    hashed_password: str
    internal_notes: str = field(default="")
    is_deleted: bool = False


class UserNotFound(Exception):
    pass


class BadCredentials(Exception):
    pass


app = FastAPI()
STORE: dict[int, StoredUser] = {}


async def not_found(request: Request, exc: UserNotFound) -> JSONResponse:
    return JSONResponse({"detail": "User not found"}, status_code=status.HTTP_404_NOT_FOUND)


async def unauthorized(request: Request, exc: BadCredentials) -> JSONResponse:
    return JSONResponse({"detail": "Bad credentials"}, status_code=401, headers={"WWW-Authenticate": "Bearer"})


async def crashed(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": "Internal server error"}, status_code=500)


app.add_exception_handler(UserNotFound, not_found)
app.add_exception_handler(BadCredentials, unauthorized)
app.add_exception_handler(Exception, crashed)

NOT_FOUND_DOC = {404: {"model": Message, "description": "No such user"}}


def fetch(user_id: int) -> StoredUser:
    user = STORE.get(user_id)
    if not user or user.is_deleted:
        raise UserNotFound(user_id)
    return user


@app.post("/users", status_code=status.HTTP_201_CREATED, response_model=UserOut)
async def create(user: UserIn, response: Response):
    stored = StoredUser(id=len(STORE) + 1, name=user.name, email=user.email, hashed_password=hash_password(user.password))
    STORE[stored.id] = stored  # soft delete only, so len() + 1 never reuses an id
    response.headers["location"] = f"/users/{stored.id}"
    return asdict(stored)


@app.get("/users", response_model=list[UserOut])
async def index():
    return [asdict(u) for u in STORE.values() if not u.is_deleted]


@app.get("/users/{user_id}", response_model=UserOut, responses=NOT_FOUND_DOC)
async def show(user_id: int):
    return asdict(fetch(user_id))


@app.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND_DOC)
async def destroy(user_id: int) -> None:
    fetch(user_id).is_deleted = True


@app.get("/users/{user_id}/report", responses=NOT_FOUND_DOC)
async def report(user_id: int) -> dict:
    return build_report(asdict(fetch(user_id)))


@app.post("/login", responses={401: {"model": Message}})
async def login(credentials: Credentials) -> dict:
    for user in STORE.values():
        if user.email == credentials.email and not user.is_deleted:
            if secrets.compare_digest(user.hashed_password, hash_password(credentials.password)):
                return {"token": secrets.token_urlsafe()}
    raise BadCredentials()
