"""404 for a missing resource: raise HTTPException (returned, it is a 200)."""

from fastapi import FastAPI, HTTPException, status

app = FastAPI()
NOTES = {1: {"id": 1, "text": "buy milk"}}


@app.get("/notes/{note_id}")
def get_note(note_id: int) -> dict:
    note = NOTES.get(note_id)
    if note is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Note not found")  # (1)!
    return note


@app.get("/wrong/notes/{note_id}")
def get_note_wrong(note_id: int):
    if note_id not in NOTES:
        return HTTPException(status_code=404, detail="Note not found")  # (2)!
    return NOTES[note_id]
