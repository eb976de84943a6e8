"""Raise an HTTPException; a returned one is a value, sent with a 200."""

from fastapi import FastAPI, HTTPException, status

app = FastAPI()
NOTES = {1: "Buy milk"}


@app.get("/returned/{note_id}")
def returned(note_id: int):
    if note_id not in NOTES:
        return HTTPException(status_code=404, detail="Note not found")  # (1)!
    return {"id": note_id, "text": NOTES[note_id]}


@app.get("/raised/{note_id}")
def raised(note_id: int):
    if note_id not in NOTES:
        message = f"No note {note_id}."
        raise HTTPException(  # (2)!
            status_code=status.HTTP_404_NOT_FOUND,
            detail={"code": "NOTE_NOT_FOUND", "message": message},  # (3)!
        )
    return {"id": note_id, "text": NOTES[note_id]}
