from collections.abc import Iterator

from fastapi import Depends, FastAPI

app = FastAPI()
EVENTS: list[str] = []


def session() -> Iterator[str]:
    EVENTS.append("open")
    yield "session-1"  # the route runs here
    EVENTS.append("close")  # teardown: after the response was sent
    raise RuntimeError("could not close the session")


@app.get("/orders")
def orders(db: str = Depends(session)) -> dict:
    return {"session": db, "orders": []}
