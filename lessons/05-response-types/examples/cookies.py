"""Cookies: set on the Response parameter or on a response you return."""

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse

app = FastAPI()


@app.post("/login")
def login(response: Response) -> dict:
    response.set_cookie(  # (1)!
        "session",
        "s3cr3t-session-id",
        max_age=3600,
        httponly=True,  # (2)!
        secure=True,  # (3)!
        samesite="strict",  # (4)!
    )
    return {"logged_in": True}


@app.post("/login-returned")
def login_returned() -> JSONResponse:
    reply = JSONResponse({"logged_in": True})
    reply.set_cookie("session", "s3cr3t-session-id", httponly=True,
                     secure=True, samesite="strict")  # (5)!
    return reply


@app.post("/logout")
def logout(response: Response) -> dict:
    response.delete_cookie("session", httponly=True, secure=True,
                           samesite="strict")  # (6)!
    return {"logged_in": False}
