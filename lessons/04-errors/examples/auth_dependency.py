"""401 (who are you?) vs 403 (I know you, and no), from a dependency."""

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

app = FastAPI()
TOKENS = {"token-ann": "ann", "token-ben": "ben"}
NOTES = {1: {"owner": "ann", "text": "Ann's note"}}

bearer = HTTPBearer(auto_error=False)  # (1)!


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def current_user(credentials: Credentials) -> str:
    if credentials is None or credentials.credentials not in TOKENS:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail={"code": "NOT_AUTHENTICATED", "message": "Send a token."},
            headers={"WWW-Authenticate": "Bearer"},  # (2)!
        )
    return TOKENS[credentials.credentials]


class NoteIn(BaseModel):
    text: str


@app.get("/notes/{note_id}")
def read_note(note_id: int, user: Annotated[str, Depends(current_user)]):
    note = NOTES.get(note_id)
    if note is None:
        detail = {"code": "NOTE_NOT_FOUND", "message": "No note."}
        raise HTTPException(404, detail=detail)
    if note["owner"] != user:
        detail = {"code": "FORBIDDEN", "message": "Not yours."}
        raise HTTPException(403, detail=detail)  # (3)!
    return {"id": note_id, "text": note["text"]}


@app.post("/notes", status_code=201)
def add_note(note: NoteIn, user: Annotated[str, Depends(current_user)]):  # (4)!
    new_id = max(NOTES) + 1
    NOTES[new_id] = {"owner": user, "text": note.text}
    return {"id": new_id}
