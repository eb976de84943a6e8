"""extra="forbid": a misspelled key is a 422 instead of a silent drop."""

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict


class SignupLoose(BaseModel):
    username: str
    newsletter: bool = False


class SignupStrict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # (1)!

    username: str
    newsletter: bool = False


app = FastAPI()


@app.post("/loose")
def loose(signup: SignupLoose) -> SignupLoose:
    return signup  # (2)!


@app.post("/strict")
def strict(signup: SignupStrict) -> SignupStrict:
    return signup  # (3)!
