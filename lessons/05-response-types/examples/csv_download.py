"""A streamed CSV download: look everything up first, then stream."""

import csv
import io
from collections.abc import Iterator

from fastapi import FastAPI, HTTPException
from fastapi.responses import StreamingResponse

app = FastAPI()
TABLES = {"fruit": [["name", "price"], ["apple", 3], ["pear, ripe", 5]]}


def csv_lines(rows: list[list]) -> Iterator[str]:
    for row in rows:
        buffer = io.StringIO()
        csv.writer(buffer).writerow(row)  # (1)!
        yield buffer.getvalue()


@app.get("/tables/{name}.csv")
def download(name: str) -> StreamingResponse:
    rows = TABLES.get(name)
    if rows is None:
        raise HTTPException(404, detail="No such table")  # (2)!
    disposition = f'attachment; filename="{name}.csv"'
    return StreamingResponse(
        csv_lines(rows),
        media_type="text/csv",  # (3)!
        headers={"Content-Disposition": disposition},  # (4)!
    )


@app.get("/too-late/{name}.csv")
def too_late(name: str) -> StreamingResponse:
    def lines() -> Iterator[str]:
        rows = TABLES.get(name)
        if rows is None:
            raise HTTPException(404, detail="No such table")  # (5)!
        yield from csv_lines(rows)

    return StreamingResponse(lines(), media_type="text/csv")
