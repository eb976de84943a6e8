"""Checks for lesson 05, Reports API: one per line of the contract.

The grader cannot add reports to the app's `REPORTS`, so inputs are randomised
by the order of the seeded reports and by unknown ids; a check of something
that differs per report asks for both reports, so an answer hard-coded for
one report fails on every run. X-Cache keeps state for the life of the
process, so `report-x-cache` runs first: it asks for each report 2 or 3
times, interleaved, before any other request for a report (so it does not
matter whether an app counts the CSV and HTML routes as "asking for" a
report). Each 404 check first asks for a seeded report on the same route:
the router's own 404 must not pass an app that lacks the route.
"""

import csv
import io

from grader import expect
from grader.checks import check

REPORTS = {
    1: {"title": "Q3 sales", "rows": [["region", "sales"], ["north", 10], ["south", 20]]},
    2: {"title": "Headcount", "rows": [["team", "people"], ["support", 4], ["dev", 7]]},
}


def seeded_id(ctx) -> int:
    return ctx.rng.choice(sorted(REPORTS))


def both_ids(ctx) -> list[int]:
    """Every seeded report, in random order: a per-report answer hard-coded for one id fails on every run."""
    ids = sorted(REPORTS)
    ctx.rng.shuffle(ids)
    return ids


def media_type(reply) -> str:
    return reply.headers.get("content-type", "").split(";")[0].strip().lower()


def expect_unknown_404(client, ctx, suffix: str) -> None:
    """404 for an unknown id, from a route that exists: the router's own 404 would pass an app without the route."""
    known = client.get(f"/reports/{seeded_id(ctx)}{suffix}")
    if known.status_code != 200:
        expect.fail(
            known, f"GET /reports/{{id}}{suffix} to work (200) for a report that exists, before its 404 can count"
        )
    expect.status(client.get(f"/reports/{ctx.unknown_id()}{suffix}"), 404)


def expect_media_type(reply, wanted: str) -> None:
    expect.status(reply, 200)
    if media_type(reply) != wanted:
        expect.fail(reply, f"Content-Type: {wanted}", header="content-type")


@check(
    "GET /health answers 200 text/plain with the body `ok`",
    points=2,
    docs="plain-text",
    hint='Use `response_class=PlainTextResponse` (or return `PlainTextResponse("ok")`): a returned str is JSON-encoded as `"ok"` by default.',
)
def health_text_plain(client, ctx):
    reply = client.get("/health")
    expect_media_type(reply, "text/plain")
    if reply.content != b"ok":
        expect.fail(reply, "the body to be exactly ok (two letters, no quotes)")


@check(
    "GET /reports/{id} sets X-Cache: MISS the first time a report is asked for, HIT after that",
    points=3,
    docs="custom-headers",
    hint='Take a `response: Response` parameter and set `response.headers["X-Cache"]`; remember which report ids were asked for (a set), one per id.',
)
def report_x_cache(client, ctx):
    # Each report asked for 2 or 3 times, the two interleaved at random: the first time of each is a MISS.
    pending = {report_id: ["MISS"] + ["HIT"] * ctx.rng.randint(1, 2) for report_id in both_ids(ctx)}
    while pending:
        report_id = ctx.rng.choice(sorted(pending))
        value = pending[report_id].pop(0)
        if not pending[report_id]:
            del pending[report_id]
        reply = client.get(f"/reports/{report_id}")
        expect.status(reply, 200)
        if reply.headers.get("x-cache") != value:
            first = "the first time report " if value == "MISS" else "report "
            expect.fail(
                reply,
                f"X-Cache: {value} ({first}{report_id} {'is asked for' if value == 'MISS' else 'was asked for before'})",
                header="x-cache",
            )


@check(
    'GET /reports/{id} answers 200 {"id", "title", "row_count"}',
    points=2,
    docs="custom-headers",
    hint='`row_count` is `len(report["rows"])`, header row included.',
)
def report_200(client, ctx):
    for report_id in both_ids(ctx):
        reply = client.get(f"/reports/{report_id}")
        expect.status(reply, 200)
        body = expect.json_object(reply, {"id", "title", "row_count"})
        report = REPORTS[report_id]
        expect.equal(
            reply, body, {"id": report_id, "title": report["title"], "row_count": len(report["rows"])}, "the report"
        )


@check(
    "GET /reports/{id} of an unknown id answers 404",
    points=1,
    docs="custom-headers",
    hint="Raise `HTTPException(404)` when the id is not in `REPORTS`.",
)
def report_unknown_404(client, ctx):
    expect_unknown_404(client, ctx, "")


@check(
    "GET /reports/{id}/csv answers 200 text/csv",
    points=2,
    docs="streaming",
    hint='`StreamingResponse(lines, media_type="text/csv")`: the media type tells browsers and spreadsheets what the bytes are.',
)
def csv_text_csv(client, ctx):
    expect_media_type(client.get(f"/reports/{seeded_id(ctx)}/csv"), "text/csv")


@check(
    'The CSV has `Content-Disposition: attachment; filename="report-{id}.csv"`',
    points=2,
    docs="content-disposition",
    hint='Pass `headers={"Content-Disposition": f\'attachment; filename="report-{report_id}.csv"\'}` to the StreamingResponse.',
)
def csv_content_disposition(client, ctx):
    for report_id in both_ids(ctx):
        reply = client.get(f"/reports/{report_id}/csv")
        expect.status(reply, 200)
        value = expect.header(reply, "content-disposition")
        kind, *params = [part.strip() for part in value.split(";")]
        names = [p.split("=", 1)[1].strip().strip('"') for p in params if p.lower().startswith("filename=")]
        if kind.lower() != "attachment" or names != [f"report-{report_id}.csv"]:
            expect.fail(
                reply,
                f'Content-Disposition: attachment; filename="report-{report_id}.csv"',
                header="content-disposition",
            )


@check(
    "The CSV body holds the report's rows as CSV lines",
    points=2,
    docs="streaming",
    hint='Yield one line per row: `csv.writer` on a `StringIO`, or `",".join(map(str, row)) + "\\n"`.',
)
def csv_rows(client, ctx):
    for report_id in both_ids(ctx):
        reply = client.get(f"/reports/{report_id}/csv")
        expect.status(reply, 200)
        rows = [row for row in csv.reader(io.StringIO(reply.text)) if row]
        wanted = [[str(cell) for cell in row] for row in REPORTS[report_id]["rows"]]
        if rows != wanted:
            expect.fail(
                reply, f"the rows {wanted}, one CSV line each", f"the rows {rows} (body {reply.body_excerpt()!r})"
            )


@check(
    "The CSV is streamed (a StreamingResponse, so no Content-Length)",
    points=1,
    docs="streaming",
    hint="Return `StreamingResponse(generator, ...)`, not a `Response` built from the whole text.",
)
def csv_streamed(client, ctx):
    reply = client.get(f"/reports/{seeded_id(ctx)}/csv")
    expect.status(reply, 200)
    if "content-length" in reply.headers:
        expect.fail(
            reply, "a streamed body (no Content-Length: its size is not known up front)", header="content-length"
        )


@check(
    "GET /reports/{id}/html answers 200 text/html",
    points=2,
    docs="html",
    hint="Set `response_class=HTMLResponse` (or return `HTMLResponse(...)`): without it, the returned string is sent as a JSON string.",
)
def html_text_html(client, ctx):
    expect_media_type(client.get(f"/reports/{seeded_id(ctx)}/html"), "text/html")


@check(
    "The HTML page contains `<h1>{title}</h1>`",
    points=1,
    docs="html",
    hint="Put the report's title in an `<h1>` element (escape it with `html.escape`).",
)
def html_h1_title(client, ctx):
    for report_id in both_ids(ctx):
        reply = client.get(f"/reports/{report_id}/html")
        expect.status(reply, 200)
        heading = f"<h1>{REPORTS[report_id]['title']}</h1>"
        if heading not in reply.text:
            expect.fail(reply, f"the page to contain {heading}")


@check(
    "GET /reports/{id}/csv of an unknown id answers 404, before streaming starts",
    points=2,
    docs="streaming",
    hint="Look the report up and raise `HTTPException(404)` in the route, before you build the StreamingResponse: "
    "once the generator runs, the 200 status has already been sent.",
)
def csv_unknown_404(client, ctx):
    expect_unknown_404(client, ctx, "/csv")


@check(
    "GET /reports/{id}/html of an unknown id answers 404",
    points=1,
    docs="html",
    hint="Raise `HTTPException(404)` when the id is not in `REPORTS`, as in `GET /reports/{id}`.",
)
def html_unknown_404(client, ctx):
    expect_unknown_404(client, ctx, "/html")


@check(
    "GET /legacy/reports/{id} answers 308 Permanent Redirect",
    points=2,
    docs="redirects",
    hint="`RedirectResponse(url, status_code=308)`: RedirectResponse's default is 307, a *temporary* redirect.",
)
def legacy_308(client, ctx):
    expect.status(client.get(f"/legacy/reports/{seeded_id(ctx)}"), 308, header="location")


@check(
    "GET /legacy/reports/{id} redirects to Location: /reports/{id}",
    points=2,
    docs="redirects",
    hint='Build the target from the id: `f"/reports/{report_id}"`, for every id (the new route answers 404 for unknown ones).',
)
def legacy_location(client, ctx):
    ids = [seeded_id(ctx), ctx.unknown_id()]
    ctx.rng.shuffle(ids)
    for report_id in ids:
        reply = client.get(f"/legacy/reports/{report_id}")
        if reply.status_code not in (301, 302, 303, 307, 308):
            expect.fail(reply, "a redirect (3xx)", header="location")
        if expect.location_path(reply) != f"/reports/{report_id}":
            expect.fail(reply, f"Location: /reports/{report_id}", header="location")
