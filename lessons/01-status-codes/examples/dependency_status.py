"""A dependency sets the status: it gets the same Response as the route."""

from fastapi import Depends, FastAPI, Response, status
from pydantic import BaseModel


class NoteIn(BaseModel):
    text: str


class Note(NoteIn):
    id: int


app = FastAPI()
NOTES: dict[int, Note] = {1: Note(id=1, text="buy milk")}


def created_if_new(note_id: int, response: Response) -> None:  # (1)!
    if note_id not in NOTES:
        response.status_code = status.HTTP_201_CREATED  # (2)!


@app.put("/notes/{note_id}", dependencies=[Depends(created_if_new)])
def put_note(note_id: int, note: NoteIn) -> Note:
    NOTES[note_id] = Note(id=note_id, **note.model_dump())
    return NOTES[note_id]  # (3)!
