"""A route's status code is part of its declaration: `status_code=`."""

from fastapi import FastAPI, status
from pydantic import BaseModel


class NoteIn(BaseModel):
    text: str


class Note(NoteIn):
    id: int


app = FastAPI()
NOTES: dict[int, Note] = {}


@app.get("/notes")  # (1)!
def list_notes() -> list[Note]:
    return list(NOTES.values())


@app.post("/notes", status_code=status.HTTP_201_CREATED)  # (2)!
def create_note(note: NoteIn) -> Note:
    new = Note(id=max(NOTES, default=0) + 1, **note.model_dump())
    NOTES[new.id] = new
    return new
