"""A RequestValidationError handler: names the fields, echoes nothing."""

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

app = FastAPI()


@app.exception_handler(RequestValidationError)
async def validation_failed(request: Request, exc: RequestValidationError):
    errors = [
        {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}  # (1)!
        for e in exc.errors()
    ]
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,  # (2)!
        content={"detail": errors},
    )


class SignUp(BaseModel):
    email: str
    password: str = Field(min_length=12)


@app.post("/signups", status_code=201)
def sign_up(form: SignUp):
    return {"email": form.email}
