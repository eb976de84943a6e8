"""Streaming items as they come: JSON Lines and server-sent events."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from fastapi.sse import EventSourceResponse
from pydantic import BaseModel


class Reading(BaseModel):
    sensor: str
    celsius: float


app = FastAPI()
STATIONS = {
    "house": [
        {"sensor": "attic", "celsius": 21.5, "battery": "7%"},
        {"sensor": "cellar", "celsius": 12, "battery": "90%"},
    ],
}


def station_readings(station: str) -> list[dict]:  # (1)!
    readings = STATIONS.get(station)
    if readings is None:
        raise HTTPException(404, detail="No such station")
    return readings


Readings = Annotated[list[dict], Depends(station_readings)]


@app.get("/stations/{station}/readings.jsonl")
def readings(rows: Readings) -> Iterator[Reading]:  # (2)!
    yield from rows


@app.get("/stations/{station}/events", response_class=EventSourceResponse)
def reading_events(rows: Readings) -> Iterator[Reading]:  # (3)!
    yield from rows


@app.get("/too-late/{station}/readings.jsonl")
def too_late(station: str) -> Iterator[Reading]:
    rows = STATIONS.get(station)  # (4)!
    if rows is None:
        raise HTTPException(404, detail="No such station")
    yield from rows
