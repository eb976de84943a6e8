"""201 Created plus a Location header: where the new resource lives."""

from fastapi import FastAPI, HTTPException, Response, status
from pydantic import BaseModel


class NoteIn(BaseModel):
    text: str


class Note(NoteIn):
    id: int


app = FastAPI()
NOTES: dict[int, Note] = {}


def next_id() -> int:
    # Never a stored note's id: len(NOTES) + 1 can be, after a delete.
    return max(NOTES, default=0) + 1


@app.post("/notes", status_code=status.HTTP_201_CREATED)
def create_note(note: NoteIn, response: Response) -> Note:  # (1)!
    new = Note(id=next_id(), **note.model_dump())
    NOTES[new.id] = new
    response.headers["Location"] = f"/notes/{new.id}"  # (2)!
    return new  # (3)!


@app.get("/notes/{note_id}")
def get_note(note_id: int) -> Note:
    if note_id not in NOTES:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Note not found")
    return NOTES[note_id]
