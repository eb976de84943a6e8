"""A returned Response is sent as it is: the decorator's status_code and the
Response parameter no longer apply."""

from fastapi import FastAPI, Response, status
from fastapi.responses import JSONResponse

app = FastAPI()


@app.post("/wrong/notes", status_code=status.HTTP_201_CREATED)
def create_note_wrong(response: Response) -> JSONResponse:
    response.headers["Location"] = "/notes/1"  # (1)!
    return JSONResponse({"id": 1, "text": "buy milk"})  # (2)!


@app.post("/notes", status_code=status.HTTP_201_CREATED)
def create_note() -> JSONResponse:
    return JSONResponse(
        {"id": 1, "text": "buy milk"},
        status_code=status.HTTP_201_CREATED,  # (3)!
        headers={"Location": "/notes/1"},
    )
