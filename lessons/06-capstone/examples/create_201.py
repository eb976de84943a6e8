"""POST creates: 201 Created, a Location header, and the new user as a UserOut."""

import hashlib
from itertools import count

from fastapi import FastAPI, Response, status
from pydantic import BaseModel


class UserIn(BaseModel):
    name: str
    email: str
    password: str


class UserOut(BaseModel):
    id: int
    name: str
    email: str


app = FastAPI()
USERS: dict[int, dict] = {}
new_ids = count(1)  # never reuses an id, even after deletes


@app.post("/users", status_code=status.HTTP_201_CREATED, response_model=UserOut)
def create_user(user: UserIn, response: Response):
    user_id = next(new_ids)
    USERS[user_id] = {
        "id": user_id,
        "name": user.name,
        "email": user.email,
        "hashed_password": hashlib.sha256(("capstone:" + user.password).encode()).hexdigest(),
        "internal_notes": "",
        "is_deleted": False,
    }
    response.headers["Location"] = f"/users/{user_id}"
    return USERS[user_id]  # the whole record; response_model=UserOut sends id, name and email
