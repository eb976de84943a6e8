"""Which handler sees the router's own 404 and 405: Starlette's class does."""

from fastapi import FastAPI, HTTPException
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException as StarletteHTTPException

NOTES = {1: "buy milk"}
SEEN: list[int] = []


async def note_then_default(request, exc):
    SEEN.append(exc.status_code)
    return await http_exception_handler(request, exc)  # (1)!


app = FastAPI()
app.add_exception_handler(StarletteHTTPException, note_then_default)  # (2)!

narrow = FastAPI()
narrow.add_exception_handler(HTTPException, note_then_default)  # (3)!


@app.get("/notes/{note_id}")
@narrow.get("/notes/{note_id}")
def get_note(note_id: int):
    if note_id not in NOTES:
        raise HTTPException(404, detail="Note not found")
    return {"id": note_id, "text": NOTES[note_id]}
