"""status_code=204 with a response model: the app does not even start."""

from fastapi import FastAPI, status

app = FastAPI()


@app.delete("/notes/{note_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_note(note_id: int) -> dict:  # (1)!
    return {}
