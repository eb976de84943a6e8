"""A route that answers one of two shapes: a Union response model."""

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    username: str


class AdminOut(UserOut):
    permissions: list[str]


app = FastAPI()
ACCOUNTS = {
    1: {"id": 1, "username": "ada", "hashed_password": "h1"},
    2: {"id": 2, "username": "root", "hashed_password": "h2",
        "permissions": ["users:delete"]},
}


@app.get("/accounts/{account_id}")
def get_account(account_id: int) -> AdminOut | UserOut:  # (1)!
    if account_id not in ACCOUNTS:
        raise HTTPException(status_code=404, detail="Account not found")
    return ACCOUNTS[account_id]  # (2)!


@app.get("/general-first/{account_id}")
def general_first(account_id: int) -> UserOut | AdminOut:  # (3)!
    return ACCOUNTS[account_id]
