"""The worker's ASGI driver answers exactly as Starlette's TestClient would.

The checks were written against TestClient's behaviour; the worker drives the
app with `grader.sandbox.asgi.Driver` instead (faster, and out of reach of patches to
TestClient). Each request below goes through both, on fresh copies of the
same app, and must come back with the same status, headers and body.
"""

from __future__ import annotations

import warnings

import pytest
from fastapi import BackgroundTasks, FastAPI, Header, HTTPException, Request, Response, status
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, StreamingResponse
from pydantic import BaseModel

from grader.sandbox.asgi import Driver

warnings.simplefilter("ignore")
from starlette.testclient import TestClient  # noqa: E402

from grader import content_coding  # noqa: E402


def make_app() -> FastAPI:
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app):
        yield {"greeting": "hello"}

    app = FastAPI(lifespan=lifespan)
    app.add_middleware(GZipMiddleware, minimum_size=100)
    items: dict[int, dict] = {}
    log: list[str] = []

    class ItemIn(BaseModel):
        name: str

    @app.post("/items", status_code=status.HTTP_201_CREATED)
    def create(item: ItemIn, response: Response, tasks: BackgroundTasks):
        new = len(items) + 1
        items[new] = {"id": new, "name": item.name}
        response.headers["Location"] = f"/items/{new}"
        tasks.add_task(log.append, item.name)
        return items[new]

    @app.get("/items/{item_id}")
    def read(item_id: int):
        if item_id not in items:
            raise HTTPException(404, "Item not found", headers={"X-Missing": str(item_id)})
        return items[item_id]

    @app.delete("/items/{item_id}", status_code=204)
    def delete(item_id: int):
        items.pop(item_id, None)

    @app.get("/echo")
    async def echo(request: Request, q: list[str] | None = None, x_token: str | None = Header(default=None)):
        return {
            "q": q,
            "token": x_token,
            "path": request.url.path,
            "host": request.headers.get("host"),
            "agent": request.headers.get("user-agent"),
            "state": request.state.greeting,
            "client": request.client.host if request.client else None,
        }

    @app.get("/files/{name:path}")
    def files(name: str):
        return {"name": name}

    @app.get("/big")
    def big():
        return PlainTextResponse("word " * 2000)

    @app.get("/page", response_class=HTMLResponse)
    def page():
        return "<h1>hi</h1>"

    @app.get("/stream")
    def stream():
        return StreamingResponse(iter([b"a", b"b", b"c"]), media_type="text/plain")

    @app.get("/moved")
    def moved():
        return RedirectResponse("/page", status_code=307)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    @app.get("/cookie")
    def cookie(response: Response):
        response.set_cookie("session", "abc")
        return {"ok": True}

    return app


REQUESTS = [
    ("POST", "/items", {"content-type": "application/json"}, b'{"name": "pen"}'),
    ("POST", "/items", {"content-type": "application/json"}, b'{"nom": "pen"}'),
    ("POST", "/items", {"content-type": "application/json"}, b"not json"),
    ("GET", "/items/1", {}, b""),
    ("GET", "/items/999", {}, b""),
    ("GET", "/items/abc", {}, b""),
    ("HEAD", "/items/1", {}, b""),
    ("DELETE", "/items/1", {}, b""),
    ("PUT", "/items/1", {}, b""),
    ("GET", "/echo?q=a&q=b%20c", {"x-token": "t1"}, b""),
    ("GET", "/files/a%20b/c.txt", {}, b""),
    ("GET", "/big", {}, b""),
    ("GET", "/page", {}, b""),
    ("GET", "/stream", {}, b""),
    ("GET", "/moved", {}, b""),
    ("GET", "/boom", {}, b""),
    ("GET", "/cookie", {}, b""),
    ("GET", "/nowhere", {}, b""),
    ("OPTIONS", "/items", {}, b""),
]


def test_the_driver_matches_testclient():
    driver = Driver(make_app())
    driver.startup()
    with TestClient(make_app(), raise_server_exceptions=False, follow_redirects=False) as client:
        for method, url, headers, body in REQUESTS:
            status, sent_headers, raw = driver.request(method, url, headers, body)
            # The driver passes the body on as sent; the grader decodes it as a client does.
            ours = (status, sent_headers, content_coding.decode(sent_headers, raw, 4 << 20))
            theirs = client.request(method, url, headers=headers, content=body)
            expected = (theirs.status_code, list(theirs.headers.multi_items()), theirs.content)
            assert ours == expected, f"{method} {url}"


@pytest.mark.parametrize("failure", ["raise", "report"])
def test_a_failing_startup_fails_like_testclient(failure):
    async def app(scope, receive, send):
        assert scope["type"] == "lifespan"
        await receive()
        if failure == "report":  # what Starlette's router does: report, then raise
            await send({"type": "lifespan.startup.failed", "message": "no database"})
        raise ValueError("no database")

    with pytest.raises(Exception, match="no database"):
        with TestClient(app):
            pass
    with pytest.raises(Exception, match="no database"):
        Driver(app).startup()
