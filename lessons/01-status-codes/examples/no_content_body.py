"""A body on a 204: FastAPI drops a returned value, sends a Response as is."""

from fastapi import FastAPI, Response, status
from fastapi.responses import JSONResponse

app = FastAPI()


@app.delete("/dropped/{note_id}", status_code=status.HTTP_204_NO_CONTENT)
def returns_a_dict(note_id: int):
    return {"deleted": note_id}  # (1)!


@app.delete("/sent/{note_id}")
def builds_a_json_response(note_id: int):
    body = {"deleted": note_id}
    return JSONResponse(body, status_code=status.HTTP_204_NO_CONTENT)  # (2)!


@app.delete("/right/{note_id}", status_code=status.HTTP_204_NO_CONTENT)
def right(note_id: int) -> None:
    return None  # (3)!


@app.delete("/right-too/{note_id}")
def right_with_a_response(note_id: int) -> Response:
    return Response(status_code=status.HTTP_204_NO_CONTENT)  # (4)!
