"""Right app: every route builds and returns its Response object; async generator; X-Cache on a returned JSONResponse."""

# fails:

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, StreamingResponse

app = FastAPI(title="Reports API")

REPORTS = {
    1: {"id": 1, "title": "Q3 sales", "rows": [["region", "sales"], ["north", 10], ["south", 20]]},
    2: {"id": 2, "title": "Headcount", "rows": [["team", "people"], ["support", 4], ["dev", 7]]},
}

hits: dict[int, int] = {}


def report_or_404(report_id: int) -> dict:
    if report_id not in REPORTS:
        raise HTTPException(404, "No such report")
    return REPORTS[report_id]


@app.get("/health")
async def health():
    return PlainTextResponse("ok")


@app.get("/reports/{report_id}")
async def report(report_id: int):
    found = report_or_404(report_id)
    hits[report_id] = hits.get(report_id, 0) + 1
    body = {"id": found["id"], "title": found["title"], "row_count": len(found["rows"])}
    # A returned Response is sent as it is: the header goes on it, not on a `response` parameter.
    return JSONResponse(body, headers={"X-Cache": "MISS" if hits[report_id] == 1 else "HIT"})


@app.get("/reports/{report_id}/csv")
async def report_csv(report_id: int):
    rows = report_or_404(report_id)["rows"]

    async def lines():
        for row in rows:
            yield ",".join(str(cell) for cell in row) + "\n"

    return StreamingResponse(lines(), media_type="text/csv",
                             headers={"content-disposition": f'attachment; filename="report-{report_id}.csv"'})


@app.get("/reports/{report_id}/html")
async def report_html(report_id: int):
    title = report_or_404(report_id)["title"]
    return HTMLResponse(f"<html><body><h1>{title}</h1><p>{len(REPORTS[report_id]['rows']) - 1} rows</p></body></html>")


@app.get("/legacy/reports/{report_id}")
async def legacy(report_id: int):
    return RedirectResponse(url=f"/reports/{report_id}", status_code=308)
