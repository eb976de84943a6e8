"""FastAPI's own 422: useful, and it echoes what the client sent in `input`."""

from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI()


class SignUp(BaseModel):
    email: str
    password: str = Field(min_length=12)


@app.post("/signups", status_code=201)
def sign_up(form: SignUp):
    return {"email": form.email}
