"""Right: an APIRouter, hard delete, an absolute Location from url_for, and a middleware (not an exception handler) as the catch-all."""

# fails:

import hashlib
import logging
import uuid

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
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


class LoginIn(BaseModel):
    email: str
    password: str


log = logging.getLogger("users")
app = FastAPI()
router = APIRouter(prefix="/users")
USERS: dict[int, dict] = {}
SESSIONS: dict[str, int] = {}
last_id = 0


@app.middleware("http")
async def hide_errors(request: Request, call_next):
    try:
        return await call_next(request)
    except Exception:
        log.exception("unhandled error on %s", request.url.path)  # the details stay in the log
        return JSONResponse({"detail": "Internal server error"}, status_code=500)


def lookup(user_id: int) -> dict:
    if user_id not in USERS:
        raise HTTPException(404, detail="User not found")
    return USERS[user_id]


@router.post("", status_code=201, response_model=UserOut)
def create_user(user: UserIn, request: Request, response: Response):
    global last_id
    last_id += 1
    USERS[last_id] = {**user.model_dump(exclude={"password"}), "id": last_id,
                      "hashed_password": hash_password(user.password), "internal_notes": "", "is_deleted": False}
    response.headers["Location"] = str(request.url_for("get_user", user_id=last_id))
    return USERS[last_id]


@router.get("", response_model=list[UserOut])
def list_users():
    return list(USERS.values())


@router.get("/{user_id}", response_model=UserOut)
def get_user(user_id: int):
    return lookup(user_id)


@router.delete("/{user_id}", status_code=204)
def delete_user(user_id: int):
    lookup(user_id)
    del USERS[user_id]  # hard delete: nothing to filter later


@router.get("/{user_id}/report")
def report(user_id: int):
    return build_report(lookup(user_id))


@app.post("/login")
def login(credentials: LoginIn) -> dict[str, str]:
    for user_id, user in USERS.items():
        if user["email"] == credentials.email and user["hashed_password"] == hash_password(credentials.password):
            token = uuid.uuid4().hex
            SESSIONS[token] = user_id
            return {"token": token}
    raise HTTPException(401, detail="Invalid email or password", headers={"WWW-Authenticate": 'Bearer realm="users"'})


app.include_router(router)
