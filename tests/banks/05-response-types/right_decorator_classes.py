"""Right app: response classes on the decorators, the redirect as a returned URL string, X-Cache through a Response parameter."""

# fails:

import csv
import io

from fastapi import FastAPI, HTTPException, Response
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, StreamingResponse
from pydantic import BaseModel

app = FastAPI(title="Reports API")

REPORTS = {
    1: {"id": 1, "title": "Q3 sales", "rows": [["region", "sales"], ["north", 10], ["south", 20]]},
    2: {"id": 2, "title": "Headcount", "rows": [["team", "people"], ["support", 4], ["dev", 7]]},
}


class Summary(BaseModel):
    id: int
    title: str
    row_count: int


cached: set[int] = set()


def lookup(report_id: int) -> dict:
    try:
        return REPORTS[report_id]
    except KeyError:
        raise HTTPException(status_code=404, detail="Report not found") from None


@app.get("/health", response_class=PlainTextResponse)
def health():
    return "ok"


@app.get("/reports/{report_id}", response_model=Summary)
def summary(report_id: int, response: Response):
    data = lookup(report_id)
    response.headers["X-Cache"] = "HIT" if report_id in cached else "MISS"
    cached.add(report_id)
    return {"id": data["id"], "title": data["title"], "row_count": len(data["rows"])}


@app.get("/reports/{report_id}/csv")
def download(report_id: int):
    data = lookup(report_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def chunks():
        for row in data["rows"]:
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = StreamingResponse(chunks(), media_type="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="report-{report_id}.csv"'
    return response


@app.get("/reports/{report_id}/html", response_class=HTMLResponse)
def page(report_id: int):
    return f"<!DOCTYPE html><html><head><title>Report</title></head><body><h1>{lookup(report_id)['title']}</h1></body></html>"


@app.get("/legacy/reports/{report_id}", response_class=RedirectResponse, status_code=308)
def legacy(report_id: int):
    return f"/reports/{report_id}"
