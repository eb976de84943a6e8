"""A catch-all handler: the client gets a fixed message, the server log
keeps the traceback."""

import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

log = logging.getLogger("users")
# debug=True would make Starlette send a traceback, not call the handler.
app = FastAPI()
USERS = {1: {"id": 1, "name": "Ada Lovelace"}, 2: {"id": 2, "name": "Plato"}}


@app.exception_handler(Exception)
async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.error(
        "unhandled %s on %s %s",
        type(exc).__name__,
        request.method,
        request.url.path,
    )
    # A fixed message: no str(exc), no exception name, no traceback.
    return JSONResponse({"detail": "Internal server error"}, status_code=500)


@app.get("/users/{user_id}/initials")
def initials(user_id: int) -> dict:
    if user_id not in USERS:
        # An expected error is an HTTPException, not one for the catch-all.
        raise HTTPException(status_code=404, detail="User not found")
    # ValueError for "Plato": one word, no last name.
    first, last = USERS[user_id]["name"].split(" ", 1)
    return {"initials": first[0] + last[0]}
