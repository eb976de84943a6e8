"""Lifespan code runs when the app starts: in tests, in `with TestClient`."""

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.greeting = "hello"  # (1)!
    yield
    app.state.greeting = None


app = FastAPI(lifespan=lifespan)


@app.get("/greeting")
def greeting(request: Request) -> dict:
    return {"greeting": getattr(request.app.state, "greeting", None)}
