"""A file from disk as a download: FileResponse writes the headers."""

from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

app = FastAPI()
FILES = Path(__file__).parent / "files"
DOWNLOADS = {"fruit": FILES / "fruit.csv"}  # (1)!


@app.get("/downloads/{name}")
def download(name: str) -> FileResponse:
    path = DOWNLOADS.get(name)
    if path is None:
        raise HTTPException(404, detail="No such download")
    return FileResponse(  # (2)!
        path, media_type="text/csv", filename=f"{name}.csv"
    )
