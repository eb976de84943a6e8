"""202 Accepted: the request is queued; the work happens later."""

from fastapi import FastAPI, HTTPException, Response, status
from pydantic import BaseModel


class ExportRequest(BaseModel):
    note_ids: list[int]


app = FastAPI()
JOBS: dict[int, dict] = {}  # a real app hands these to a queue or a worker


@app.post("/exports", status_code=status.HTTP_202_ACCEPTED)
def start_export(request: ExportRequest, response: Response) -> dict:
    job_id = max(JOBS, default=0) + 1
    notes = len(request.note_ids)
    JOBS[job_id] = {"id": job_id, "state": "queued", "notes": notes}
    response.headers["Location"] = f"/exports/{job_id}"  # (1)!
    return JOBS[job_id]  # (2)!


@app.get("/exports/{job_id}")
def export_status(job_id: int) -> dict:
    if job_id not in JOBS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Export not found")
    return JOBS[job_id]
