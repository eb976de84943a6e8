"""Soft delete: the record stays, flagged is_deleted; one lookup makes it gone everywhere."""

from fastapi import FastAPI, HTTPException, status
from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    name: str
    email: str


app = FastAPI()
USERS = {
    1: {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com", "is_deleted": False},
    2: {"id": 2, "name": "Alan Turing", "email": "alan@example.com", "is_deleted": False},
}


def find_user(user_id: int) -> dict:
    """The lookup every /users/{user_id} route uses: deleted is as missing as unknown."""
    user = USERS.get(user_id)
    if user is None or user["is_deleted"]:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    return user


@app.get("/users", response_model=list[UserOut])
def list_users():
    return [user for user in USERS.values() if not user["is_deleted"]]


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int):
    return find_user(user_id)


@app.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_user(user_id: int) -> None:
    find_user(user_id)["is_deleted"] = True  # deleting twice answers 404 too
