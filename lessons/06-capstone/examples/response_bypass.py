"""A Response object is sent as it is: returning JSONResponse skips response_model's filter."""

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    name: str
    email: str


app = FastAPI()
USERS = {
    1: {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com",
        "hashed_password": "5e1f…", "internal_notes": "VIP"},
    2: {"id": 2, "name": "Alan Turing", "email": "alan@example.com",
        "hashed_password": "9c0a…", "internal_notes": ""},
}


@app.get("/leaky/users", response_model=list[UserOut])
def leaky_list():
    # response_model still documents UserOut in OpenAPI, but this body is never filtered.
    return JSONResponse(list(USERS.values()))


@app.get("/users", response_model=list[UserOut])
def list_users():
    return list(USERS.values())  # a plain value: FastAPI filters it through list[UserOut]


@app.get("/users/as-response", response_model=list[UserOut])
def list_users_as_response():
    # When you do need a Response object, build its content from the output model yourself.
    public = [UserOut.model_validate(user) for user in USERS.values()]
    return JSONResponse(jsonable_encoder(public), headers={"Cache-Control": "no-store"})
