"""What /docs shows for text: a returned Response vs `response_class=`."""

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI()


@app.get("/returned")
def returned() -> PlainTextResponse:
    return PlainTextResponse("ok")  # (1)!


@app.get("/declared", response_class=PlainTextResponse)
def declared() -> str:
    return "ok"  # (2)!
