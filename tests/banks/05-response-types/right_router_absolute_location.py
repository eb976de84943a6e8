"""Right app: an APIRouter, a dependency for the lookup, a bytes generator, and an absolute redirect URL built with url_for."""

# fails:

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response, status
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, StreamingResponse

app = FastAPI(title="Reports API")

REPORTS = {
    1: {"id": 1, "title": "Q3 sales", "rows": [["region", "sales"], ["north", 10], ["south", 20]]},
    2: {"id": 2, "title": "Headcount", "rows": [["team", "people"], ["support", 4], ["dev", 7]]},
}

router = APIRouter()
served: set[int] = set()


def existing_report(report_id: int) -> dict:
    report = REPORTS.get(report_id)
    if report is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Report not found")
    return report


Report = Annotated[dict, Depends(existing_report)]


@router.get("/health", response_class=PlainTextResponse)
def health() -> str:
    return "ok"


@router.get("/reports/{report_id}", name="report")
def report_summary(report: Report, response: Response) -> dict:
    response.headers["x-cache"] = ("MISS", "HIT")[report["id"] in served]
    served.add(report["id"])
    return {"id": report["id"], "title": report["title"], "row_count": len(report["rows"])}


@router.get("/reports/{report_id}/csv")
def report_csv(report: Report) -> StreamingResponse:
    def encoded():
        for row in report["rows"]:
            yield (",".join(map(str, row)) + "\r\n").encode()

    return StreamingResponse(
        encoded(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=\"report-{report['id']}.csv\""},
    )


@router.get("/reports/{report_id}/html", response_class=HTMLResponse)
def report_html(report: Report) -> str:
    return "\n".join(["<main>", f"  <h1>{report['title']}</h1>", "</main>"])


@router.get("/legacy/reports/{report_id}")
def legacy(report_id: int, request: Request) -> RedirectResponse:
    return RedirectResponse(str(request.url_for("report", report_id=report_id)), status.HTTP_308_PERMANENT_REDIRECT)


app.include_router(router)
