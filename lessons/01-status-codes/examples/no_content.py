"""204 No Content: the work is done and there is nothing to send back."""

from fastapi import FastAPI, HTTPException, status

app = FastAPI()
NOTES = {1: "buy milk", 2: "call Ada"}


@app.delete("/notes/{note_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_note(note_id: int) -> None:  # (1)!
    if note_id not in NOTES:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Note not found")
    del NOTES[note_id]
