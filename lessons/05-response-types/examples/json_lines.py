"""Streaming items as they come: JSON Lines and server-sent events."""

from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.sse import EventSourceResponse
from pydantic import BaseModel


class Reading(BaseModel):
    sensor: str
    celsius: float


app = FastAPI()
READINGS = [
    {"sensor": "attic", "celsius": 21.5, "battery": "7%"},
    {"sensor": "cellar", "celsius": 12, "battery": "90%"},
]


@app.get("/readings.jsonl")
def readings() -> Iterator[Reading]:  # (1)!
    yield from READINGS


@app.get("/readings/events", response_class=EventSourceResponse)
def reading_events() -> Iterator[Reading]:  # (2)!
    yield from READINGS
