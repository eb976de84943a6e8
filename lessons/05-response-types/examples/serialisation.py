"""With a return model and no response_class, Pydantic writes the bytes."""

import json

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel


class Report(BaseModel):
    id: int
    title: str


class PrettyJSON(JSONResponse):
    def render(self, content) -> bytes:
        return json.dumps(content, indent=2).encode()


app = FastAPI()
REPORT = {"id": 1, "title": "Fruit", "owner": "ada"}


@app.get("/fast")
def fast() -> Report:
    return REPORT  # (1)!


@app.get("/pretty", response_class=PrettyJSON)
def pretty() -> Report:
    return REPORT  # (2)!


@app.get("/untyped")
def untyped():
    return REPORT  # (3)!
