"""A str is JSON-encoded unless the response class says otherwise."""

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI()


@app.get("/json-string")
def json_string() -> str:
    return "ok"  # (1)!


@app.get("/ping", response_class=PlainTextResponse)  # (2)!
def ping() -> str:
    return "ok"


@app.get("/version")
def version() -> PlainTextResponse:
    return PlainTextResponse("1.4.2")  # (3)!
