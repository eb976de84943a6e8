"""PUT as an upsert: 200 when it replaced a note, 201 when it created one."""

from fastapi import FastAPI, Response, status
from pydantic import BaseModel


class NoteIn(BaseModel):
    text: str


class Note(NoteIn):
    id: int


app = FastAPI()
NOTES: dict[int, Note] = {1: Note(id=1, text="buy milk")}
CREATED = {"model": Note, "description": "Created: no note had this id"}


@app.put("/notes/{note_id}", responses={status.HTTP_201_CREATED: CREATED})  # (1)!
def put_note(note_id: int, note: NoteIn, response: Response) -> Note:
    if note_id not in NOTES:
        response.status_code = status.HTTP_201_CREATED  # (2)!
    NOTES[note_id] = Note(id=note_id, **note.model_dump())
    return NOTES[note_id]  # (3)!
