"""The header is set on the `response` parameter, but the route returns its own JSONResponse, so X-Cache never reaches the client."""

# fails: report-x-cache
# says: no x-cache header

from fastapi import FastAPI

app = FastAPI(title="Reports API")

REPORTS = {
    1: {"id": 1, "title": "Q3 sales", "rows": [["region", "sales"], ["north", 10], ["south", 20]]},
    2: {"id": 2, "title": "Headcount", "rows": [["team", "people"], ["support", 4], ["dev", 7]]},
}

import csv
import io
from collections.abc import Iterator
from html import escape

from fastapi import HTTPException, Response, status
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, StreamingResponse
from pydantic import BaseModel

SEEN: set[int] = set()  # reports asked for at least once, for X-Cache


class ReportSummary(BaseModel):
    id: int
    title: str
    row_count: int


def find_report(report_id: int) -> dict:
    # Looked up before any response is built: a 404 can no longer be sent once streaming has started.
    report = REPORTS.get(report_id)
    if report is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Report not found")
    return report


def csv_lines(rows: list[list]) -> Iterator[str]:
    """One CSV line per row, written with the csv module so commas and quotes are escaped."""
    for row in rows:
        buffer = io.StringIO()
        csv.writer(buffer).writerow(row)
        yield buffer.getvalue()


@app.get("/health", response_class=PlainTextResponse)
def health() -> str:
    return "ok"


@app.get("/reports/{report_id}")
def get_report(report_id: int, response: Response) -> ReportSummary:
    report = find_report(report_id)
    response.headers["X-Cache"] = "HIT" if report_id in SEEN else "MISS"
    SEEN.add(report_id)
    from fastapi.responses import JSONResponse

    return JSONResponse({"id": report["id"], "title": report["title"], "row_count": len(report["rows"])})


@app.get(
    "/reports/{report_id}/csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "The report as a CSV download"}},
)
def report_csv(report_id: int) -> StreamingResponse:
    report = find_report(report_id)
    return StreamingResponse(
        csv_lines(report["rows"]),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="report-{report_id}.csv"'},
    )


@app.get("/reports/{report_id}/html", response_class=HTMLResponse)
def report_html(report_id: int) -> str:
    report = find_report(report_id)
    return f"<!doctype html>\n<title>{escape(report['title'])}</title>\n<h1>{escape(report['title'])}</h1>\n"


@app.get("/legacy/reports/{report_id}")
def legacy_report(report_id: int) -> RedirectResponse:
    # 308, not RedirectResponse's default 307: the move is permanent.
    return RedirectResponse(f"/reports/{report_id}", status_code=status.HTTP_308_PERMANENT_REDIRECT)
