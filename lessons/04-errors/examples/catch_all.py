"""A catch-all handler: a fixed JSON 500 for the client; the rest is logged."""

from fastapi import FastAPI, HTTPException, Request, status
from fastapi.responses import JSONResponse

app = FastAPI()  # (1)!
SIZES = {"a": 0, "b": 4}


@app.exception_handler(Exception)
async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(  # (2)!
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
        content={"detail": "Internal server error"},
    )


@app.get("/ratio/{name}")
def ratio(name: str):
    if name not in SIZES:
        raise HTTPException(404, detail="No such size")  # (3)!
    return {"ratio": 12 / SIZES[name]}  # ZeroDivisionError for "a"
