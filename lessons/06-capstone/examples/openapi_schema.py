"""OpenAPI is public too: response_model_include filters the body, not
the documented model."""

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    name: str
    email: str


class UserRecord(UserOut):
    hashed_password: str
    internal_notes: str
    is_deleted: bool


app = FastAPI()
USERS = {
    1: {
        "id": 1,
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "hashed_password": "5e1f…",
        "internal_notes": "VIP",
        "is_deleted": False,
    },
}


def find_user(user_id: int) -> dict:
    if user_id not in USERS:
        raise HTTPException(status_code=404, detail="User not found")
    return USERS[user_id]


@app.get(
    "/leaky/users/{user_id}",
    response_model=UserRecord,
    response_model_include={"id", "name", "email"},
)
def leaky_schema(user_id: int):
    # The body is filtered; OpenAPI documents UserRecord, secrets and all.
    return find_user(user_id)


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int):
    return find_user(user_id)  # body and schema both say: id, name, email
