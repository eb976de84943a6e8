"""204 No Content: return nothing. A Response object you build is sent
with its body."""

from fastapi import FastAPI, HTTPException, status
from fastapi.responses import JSONResponse

app = FastAPI()
USERS = {
    1: {"id": 1, "name": "Ada Lovelace"},
    2: {"id": 2, "name": "Alan Turing"},
    3: {"id": 3, "name": "Grace Hopper"},
}


def find_user(user_id: int) -> dict:
    if user_id not in USERS:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="User not found"
        )
    return USERS[user_id]


@app.delete("/leaky/users/{user_id}")
def leaky_delete(user_id: int):
    del USERS[find_user(user_id)["id"]]
    # A 204 that carries a body.
    return JSONResponse({"deleted": user_id}, status_code=204)


@app.delete(
    "/dropped/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT
)
def dropped_delete(user_id: int):
    del USERS[find_user(user_id)["id"]]
    # FastAPI drops a *returned* value on a 204: safe, but dead code
    # that tells the reader something false.
    return {"deleted": user_id}


@app.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_user(user_id: int) -> None:
    del USERS[find_user(user_id)["id"]]
