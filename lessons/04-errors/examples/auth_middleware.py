"""A check before FastAPI reads the body: middleware, which returns its 401."""

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

TOKENS = {"Bearer token-ann": "ann"}
NOT_AUTHENTICATED = {"code": "NOT_AUTHENTICATED", "message": "Send a token."}


class NoteIn(BaseModel):
    text: str


app = FastAPI()


@app.middleware("http")
async def require_token(request: Request, call_next):
    if request.headers.get("authorization") not in TOKENS:
        return JSONResponse(  # (1)!
            {"detail": NOT_AUTHENTICATED},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    return await call_next(request)


@app.post("/notes", status_code=201)
def add_note(note: NoteIn):
    return {"text": note.text}


raising = FastAPI()


@raising.middleware("http")
async def raise_in_middleware(request: Request, call_next):
    if request.headers.get("authorization") not in TOKENS:
        raise HTTPException(401, detail=NOT_AUTHENTICATED)  # (2)!
    return await call_next(request)


@raising.post("/notes", status_code=201)
def add_note_too(note: NoteIn):
    return {"text": note.text}
