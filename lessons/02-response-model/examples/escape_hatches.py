"""`-> Any` and `response_model=None` switch the model off: no filter."""

from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, RedirectResponse

app = FastAPI()

RECORD = {"id": 1, "username": "ada", "hashed_password": "not-for-clients"}


@app.get("/any")
def any_value() -> Any:
    return RECORD  # sent as it is, hash included


@app.get("/maybe-redirect", response_model=None)
def maybe_redirect(old: bool = False) -> JSONResponse | RedirectResponse:
    # A union of Response classes is not a model: response_model=None says so.
    if old:
        return RedirectResponse("/any")
    return JSONResponse({"id": RECORD["id"], "username": RECORD["username"]})
