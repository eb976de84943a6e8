"""A broad `except Exception` in a route catches the HTTPException too."""

from fastapi import FastAPI, HTTPException

app = FastAPI()
NOTES = {1: "buy oat milk"}


def load_note(note_id: int) -> str:
    if note_id not in NOTES:
        raise HTTPException(404, detail="Note not found")
    return NOTES[note_id]


@app.get("/swallowed/{note_id}/words")
def swallowed(note_id: int):
    try:
        return {"words": len(load_note(note_id).split())}
    except Exception:  # (1)!
        return {"words": 0}


@app.get("/words/{note_id}")
def words(note_id: int):
    try:
        return {"words": len(load_note(note_id).split())}
    except HTTPException:  # (2)!
        raise
    except Exception:
        return {"words": 0}
