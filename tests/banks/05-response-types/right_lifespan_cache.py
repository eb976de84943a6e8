"""Right app: the X-Cache memory set up in a lifespan on app.state, and a CSV streamed from csv.writer through a queue-like buffer."""

# fails:

import csv
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, StreamingResponse


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.seen = set()  # runs when the server starts (and in tests inside `with TestClient(app)`)
    yield


app = FastAPI(title="Reports API", lifespan=lifespan)

REPORTS = {
    1: {"id": 1, "title": "Q3 sales", "rows": [["region", "sales"], ["north", 10], ["south", 20]]},
    2: {"id": 2, "title": "Headcount", "rows": [["team", "people"], ["support", 4], ["dev", 7]]},
}


class Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a generator."""

    def write(self, line: str) -> str:
        return line


def get_or_404(report_id: int) -> dict:
    if report_id in REPORTS:
        return REPORTS[report_id]
    raise HTTPException(404)


@app.get("/health")
def health() -> PlainTextResponse:
    return PlainTextResponse(content="ok", media_type="text/plain")


@app.get("/reports/{report_id}")
def one(report_id: int, request: Request, response: Response):
    report = get_or_404(report_id)
    seen = request.app.state.seen
    response.headers["X-Cache"] = "HIT" if report_id in seen else "MISS"
    seen.add(report_id)
    return {"id": report_id, "title": report["title"], "row_count": len(report["rows"])}


@app.get("/reports/{report_id}/csv")
def as_csv(report_id: int):
    writer = csv.writer(Echo())
    rows = get_or_404(report_id)["rows"]
    return StreamingResponse((writer.writerow(row) for row in rows), media_type="text/csv",
                             headers={"Content-Disposition": f'attachment; filename="report-{report_id}.csv"'})


@app.get("/reports/{report_id}/html")
def as_html(report_id: int) -> HTMLResponse:
    return HTMLResponse(content=f"<h1>{get_or_404(report_id)['title']}</h1>")


@app.get("/legacy/reports/{report_id}")
def moved(report_id: int):
    return RedirectResponse(f"/reports/{report_id}", status_code=308)
