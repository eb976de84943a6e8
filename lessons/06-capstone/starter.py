"""Users API: it works, but it breaks the response contract almost everywhere.

Grade it as it is to see what is wrong, then fix it (in this cell or in the
next one: the last `app` defined is the one that is graded).
"""

import hashlib
import traceback

from fastapi import FastAPI, Request
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


class LoginIn(BaseModel):
    email: str
    password: str


app = FastAPI(title="Users API")

USERS: dict[int, dict] = {}


@app.exception_handler(Exception)
async def show_error(request: Request, exc: Exception):
    # Handy while debugging: the whole traceback, right in the response.
    return JSONResponse({"error": repr(exc), "traceback": traceback.format_exc()}, status_code=500)


@app.post("/users")
def create_user(user: UserIn):
    user_id = len(USERS) + 1
    USERS[user_id] = {
        "id": user_id,
        "name": user.name,
        "email": user.email,
        "hashed_password": hash_password(user.password),
        "internal_notes": "signed up through the public API",
        "is_deleted": False,
    }
    return USERS[user_id]


@app.get("/users")
def list_users():
    return list(USERS.values())


@app.get("/users/{user_id}")
def get_user(user_id: int):
    # Never fail: an empty user is better than an error, isn't it?
    return USERS.get(user_id, {"id": user_id, "name": "", "email": ""})


@app.delete("/users/{user_id}")
def delete_user(user_id: int):
    if user_id not in USERS:
        return {"error": "User not found"}
    USERS[user_id]["is_deleted"] = True
    return JSONResponse({"deleted": user_id}, status_code=204)


@app.post("/login")
def login(credentials: LoginIn):
    for user in USERS.values():
        if user["email"] == credentials.email:
            if user["hashed_password"] == hash_password(credentials.password):
                return {"token": f"token-{user['id']}", "user": user}
            return {"error": "Wrong password"}
    return {"error": "Unknown email"}


@app.get("/users/{user_id}/report")
def user_report(user_id: int):
    if user_id not in USERS:
        return {"error": "User not found"}
    return build_report(USERS[user_id])
