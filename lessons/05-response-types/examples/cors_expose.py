"""CORS: which response headers a script on another origin may read."""

from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://app.example"],
    allow_methods=["GET", "POST"],
    allow_headers=["Content-Type"],
    expose_headers=["Location", "Retry-After", "X-Cache",
                    "Content-Disposition"],  # (1)!
)


@app.post("/reports", status_code=201)
def create_report(response: Response) -> dict:
    response.headers["Location"] = "/reports/7"
    response.headers["X-Cache"] = "MISS"
    return {"id": 7}  # (2)!
