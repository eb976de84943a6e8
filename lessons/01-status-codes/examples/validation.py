"""FastAPI's automatic 422: the handler never runs for a request that does
not fit its declaration."""

from fastapi import FastAPI, status
from pydantic import BaseModel


class NoteIn(BaseModel):
    text: str
    pinned: bool = False


app = FastAPI()
CALLS = []  # shows whether the handler ran


@app.post("/notes", status_code=status.HTTP_201_CREATED)
def create_note(note: NoteIn) -> NoteIn:  # (1)!
    CALLS.append(note)
    return note


@app.get("/notes/{note_id}")
def get_note(note_id: int) -> dict:  # (2)!
    CALLS.append(note_id)
    return {"id": note_id}
