"""The facts the quizzes teach, checked against the installed FastAPI, Starlette
and Pydantic, and against a real uvicorn server where a client of a real server
sees something TestClient does not (a body sent with a 204).

Each test names the quiz question(s) whose explanation it backs.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import warnings

import pytest
from fastapi import BackgroundTasks, Depends, FastAPI, Header, HTTPException, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, StreamingResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import String, create_engine, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class BookIn(BaseModel):
    title: str
    author: str


class UserOut(BaseModel):
    id: int
    username: str
    email: str


class UserInDB(UserOut):
    hashed_password: str


class Profile(BaseModel):
    username: str
    email: str
    bio: str | None = None
    theme: str = "light"
    newsletter: bool = False
    deleted_at: str | None = None


class DocIn(BaseModel):
    title: str


def user(authorization: str | None = Header(None)) -> str:
    if authorization != "Bearer ok":
        raise HTTPException(status_code=401, detail="no", headers={"WWW-Authenticate": "Bearer"})
    return "alice"


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String)
    email: Mapped[str] = mapped_column(String)
    hashed_password: Mapped[str] = mapped_column(String)


class CapstoneOut(BaseModel):  # no from_attributes setting
    id: int
    name: str
    email: str


STORED = {"id": 1, "username": "ada", "email": "a@x.io", "hashed_password": "h4sh"}


def client_for(app: FastAPI, **kwargs) -> TestClient:
    return TestClient(app, **kwargs)


# -- 01 status codes ----------------------------------------------------------------


def test_status_codes_facts():
    app = FastAPI()

    @app.delete("/books/{book_id}", status_code=204)
    def delete(book_id: int):
        return {"deleted": True}  # dropped for a 204 (graded: 204 with a returned dict)

    @app.delete("/other/{book_id}", status_code=204)
    def delete_with_response(book_id: int):
        return Response(status_code=200)  # a returned Response is sent as it is (practice)

    @app.post("/books", status_code=201)
    def create(book: BookIn):
        raise HTTPException(status_code=409)  # the exception's status wins (graded)

    @app.post("/tuple", status_code=200)
    def flask_style():
        return 201, {"id": 1}  # a JSON list, 200 (practice)

    @app.put("/books/{book_id}", status_code=201)
    def put(book_id: int, book: BookIn, response: Response):
        response.status_code = 200  # the parameter replaces the decorator's default (practice)
        return {"id": book_id}

    @app.get("/books/{book_id}")
    def get(book_id: int):
        return {"id": book_id}

    client = client_for(app)
    reply = client.delete("/books/1")
    assert (reply.status_code, reply.content) == (204, b"")
    assert client.delete("/other/1").status_code == 200
    assert client.post("/books", json={"title": "t", "author": "a"}).status_code == 409
    reply = client.post("/tuple")
    assert (reply.status_code, reply.json()) == (200, [201, {"id": 1}])
    assert client.put("/books/3", json={"title": "t", "author": "a"}).status_code == 200
    # Pydantic 2 does not turn 42 into "42"; a path parameter that is not an int is a 422 (practice).
    assert client.post("/books", json={"title": "Dune", "author": 42}).status_code == 422
    reply = client.get("/books/abc")
    assert reply.status_code == 422 and reply.json()["detail"][0]["loc"] == ["path", "book_id"]
    assert client.post("/books", json={"title": "Dune"}).status_code == 422
    assert status.HTTP_201_CREATED == 201 and type(status.HTTP_201_CREATED) is int
    assert status.HTTP_422_UNPROCESSABLE_CONTENT == 422
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert status.HTTP_422_UNPROCESSABLE_ENTITY == 422
    assert any("deprecated" in str(w.message) for w in caught)


# -- 02 response model -------------------------------------------------------------


def test_response_model_facts():
    class ProfileOut(BaseModel):
        city: str

    class Nested(BaseModel):
        id: int
        profile: ProfileOut

    app = FastAPI()

    @app.get("/instance", response_model=UserOut)
    def instance():
        return UserInDB(**STORED)  # converted and filtered (practice)

    @app.get("/list", response_model=list[UserOut])
    def listed():
        return [STORED, STORED]

    @app.get("/annotated")
    def annotated() -> UserOut:
        return STORED  # the annotation filters (practice)

    @app.get("/priority", response_model=UserInDB)
    def priority() -> UserOut:
        return STORED  # response_model wins: the hash is sent (graded)

    @app.get("/none", response_model=UserOut)
    def none():
        return None  # fails response validation (practice)

    @app.get("/nested", response_model=Nested)
    def nested():
        return {"id": 1, "profile": {"city": "Oslo", "phone": "555"}}

    @app.get("/any", response_model=None)
    def anything():
        return STORED

    client = client_for(app, raise_server_exceptions=False)
    public = {"id", "username", "email"}
    assert set(client.get("/instance").json()) == public
    assert all(set(item) == public for item in client.get("/list").json())
    assert set(client.get("/annotated").json()) == public
    assert client.get("/priority").json()["hashed_password"] == "h4sh"
    assert client.get("/none").status_code == 500
    assert client.get("/nested").json() == {"id": 1, "profile": {"city": "Oslo"}}
    assert client.get("/any").json() == STORED
    schema = app.openapi()["paths"]["/instance"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/UserOut"}


# -- 03 field filters ------------------------------------------------------------------


def test_field_filter_facts():
    assert Profile(username="ada", email="a@x.io").model_dump(exclude_unset=True) == {
        "username": "ada",
        "email": "a@x.io",
    }

    class ProfileUpdate(BaseModel):
        bio: str | None = None
        theme: str | None = None

    assert ProfileUpdate.model_validate({}).model_dump(exclude_unset=True) == {}
    stored = {
        "username": "ada",
        "email": "a@x.io",
        "bio": None,
        "theme": "light",
        "newsletter": False,
        "deleted_at": None,
    }
    app = FastAPI()

    @app.get("/unset", response_model=Profile, response_model_exclude_unset=True)
    def unset():
        return stored  # every key of a returned dict counts as set (practice)

    @app.get("/none", response_model=Profile, response_model_exclude_none=True)
    def none():
        return {**stored, "bio": "hi"}

    @app.get("/defaults", response_model=Profile, response_model_exclude_defaults=True)
    def defaults():
        profile = Profile(username="ada", email="a@x.io", theme="dark")
        profile.theme = "light"  # back to the default (practice)
        return profile

    @app.post("/profiles")
    def create(profile: Profile):
        return profile

    client = client_for(app)
    assert set(client.get("/unset").json()) == set(stored)
    assert set(client.get("/none").json()) == {"username", "email", "bio", "theme", "newsletter"}
    assert client.get("/defaults").json() == {"username": "ada", "email": "a@x.io"}
    assert stored["bio"] is None  # the filter never touches the data
    assert client.post("/profiles", json={"username": "a", "email": "e", "theme": None}).status_code == 422


# -- 04 errors -------------------------------------------------------------------------


def test_error_facts():
    app = FastAPI()

    class QuotaExceeded(Exception):
        pass

    @app.get("/documents/{doc_id}", responses={404: {"description": "documented only"}})
    def get(doc_id: int, response: Response):
        response.headers["WWW-Authenticate"] = "Bearer"  # not on the error response (practice)
        raise HTTPException(status_code=404, detail={"code": "DOCUMENT_NOT_FOUND", "message": "No such document"})

    @app.get("/documented", responses={404: {"description": "documented only"}})
    def documented():
        return {"ok": True}  # responses= changes nothing at run time (practice)

    @app.post("/documents")
    def create(doc: DocIn, who: str = Depends(user)):
        return doc

    @app.get("/quota")
    def quota():
        raise QuotaExceeded()

    @app.get("/returned")
    def returned():
        return HTTPException(status_code=404, detail="Not found")

    client = client_for(app, raise_server_exceptions=False)
    reply = client.get("/documents/1")
    assert reply.status_code == 404 and "www-authenticate" not in reply.headers
    assert reply.json() == {"detail": {"code": "DOCUMENT_NOT_FOUND", "message": "No such document"}}
    assert client.get("/documented").status_code == 200
    reply = client.post("/documents", json={"body": "x"})  # no token and no title: the dependency answers first
    assert reply.status_code == 401 and reply.headers["www-authenticate"] == "Bearer"
    assert client.post("/documents", json={"body": "x"}, headers={"Authorization": "Bearer ok"}).status_code == 422
    reply = client.get("/quota")
    assert (reply.status_code, reply.text) == (500, "Internal Server Error")
    assert reply.headers["content-type"].startswith("text/plain")
    # A returned exception is a value: serialised with status 200 (graded).
    assert client.get("/returned").status_code == 200

    # exc.errors() carries what the client sent (graded: a custom RequestValidationError handler).
    @app.exception_handler(RequestValidationError)
    async def echo(request, exc):
        return JSONResponse({"errors": exc.errors()}, status_code=422)

    reply = client.post("/documents", json={"body": "my password is hunter2"}, headers={"Authorization": "Bearer ok"})
    assert "hunter2" in reply.text


# -- 05 response types -------------------------------------------------------------------


def test_response_type_facts():
    app = FastAPI()

    @app.get("/health")
    def health():
        return PlainTextResponse("ok")

    @app.get("/page")
    def page():
        return HTMLResponse("<h1>x</h1>")  # the docs still say JSON (practice)

    @app.get("/csv")
    def csv():
        return StreamingResponse(iter(["a,é\n", "1,2\n"]), media_type="text/csv")

    @app.get("/cache")
    def cache(response: Response):
        response.headers["X-Cache"] = "MISS"
        return {"id": 1}

    @app.get("/cache-lost")
    def cache_lost(response: Response):
        response.headers["X-Cache"] = "HIT"
        return JSONResponse({"id": 1})  # a returned Response is sent as built (graded)

    @app.get("/legacy", status_code=308)
    def legacy():
        return RedirectResponse("/reports/1")

    client = client_for(app, follow_redirects=False)
    assert client.get("/health").headers["content-type"] == "text/plain; charset=utf-8"
    schema = app.openapi()["paths"]["/page"]["get"]["responses"]["200"]["content"]
    assert list(schema) == ["application/json"]
    assert client.get("/page").headers["content-type"].startswith("text/html")
    assert client.get("/csv").content == "a,é\n1,2\n".encode()
    assert client.get("/cache").headers["x-cache"] == "MISS"
    assert "x-cache" not in client.get("/cache-lost").headers
    reply = client.get("/legacy")
    assert (reply.status_code, reply.headers["location"]) == (307, "/reports/1")


# -- 06 capstone ---------------------------------------------------------------------------


def test_capstone_facts():
    app = FastAPI()

    @app.get("/users/{user_id}", response_model=CapstoneOut)
    def get(user_id: int):
        if user_id != 1:
            raise HTTPException(status_code=404, detail="User not found")
        return User(id=1, name="Ada L", email="a@x.io", hashed_password="h4sh")

    client = client_for(app)
    assert client.get("/users/1").json() == {"id": 1, "name": "Ada L", "email": "a@x.io"}
    assert client.get("/users/2").json() == {"detail": "User not found"}

    # In-memory SQLite: another thread (FastAPI runs sync routes in worker threads) gets another
    # connection from the default pool, and so another, empty database; StaticPool shares one (practice).
    from sqlalchemy.pool import StaticPool

    def tables_seen_from_another_thread(engine) -> list:
        with engine.connect() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
        seen = []
        worker = threading.Thread(
            target=lambda: seen.extend(engine.connect().execute(text("SELECT name FROM sqlite_master")).all())
        )
        worker.start()
        worker.join()
        return seen

    assert tables_seen_from_another_thread(create_engine("sqlite://", connect_args={"check_same_thread": False})) == []
    shared = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    assert tables_seen_from_another_thread(shared) == [("t",)]


def test_more_graded_facts():
    from contextlib import asynccontextmanager

    started = []

    @asynccontextmanager
    async def lifespan(app):
        started.append(True)
        yield

    app = FastAPI(lifespan=lifespan)

    @app.exception_handler(Exception)
    async def catch_all(request, exc):
        return JSONResponse({"detail": "Internal server error"}, status_code=500)

    @app.get("/boom")
    def boom():
        return 1 / 0

    @app.get("/legacy", status_code=308)
    def legacy():
        return RedirectResponse("/target", status_code=308)

    @app.get("/target")
    def target():
        return {"ok": True}

    @app.post("/documents")
    def create(doc: DocIn):
        return doc

    @app.get("/users/{user_id}", response_model=UserOut)
    def no_email(user_id: int):
        return {"id": user_id, "username": "ada"}

    client = TestClient(app)  # no `with`: the lifespan does not run (05)
    assert started == []
    reply = client.get("/legacy")  # redirects are followed by default (05)
    assert reply.status_code == 200 and reply.history[0].status_code == 308
    # The catch-all answers, and Starlette re-raises for the server's log, so TestClient raises (04).
    with pytest.raises(ZeroDivisionError):
        client.get("/boom")
    quiet = TestClient(app, raise_server_exceptions=False)
    assert quiet.get("/boom").json() == {"detail": "Internal server error"}
    # FastAPI's own 422 for a missing field echoes the whole body as `input` (04).
    reply = quiet.post("/documents", json={"body": "my password is hunter2"})
    assert reply.status_code == 422 and reply.json()["detail"][0]["input"] == {"body": "my password is hunter2"}
    assert quiet.get("/users/1").status_code == 500  # a return value missing a field (02)
    with TestClient(app):
        assert started == [True]

    class ProfileUpdate(BaseModel):
        bio: str | None = None
        theme: str | None = None

    stored = Profile(username="ada", email="a@x.io", bio="hi")
    changes = ProfileUpdate.model_validate({"theme": "dark"})
    assert stored.model_copy(update=changes.model_dump()).bio is None  # (03) every field overwritten
    assert stored.model_copy(update=changes.model_dump(exclude_unset=True)).bio == "hi"

    cards = FastAPI()

    @cards.get("/card", response_model=Profile, response_model_include={"username", "bio"})
    def card():
        return Profile(username="ada", email="a@x.io")

    assert set(TestClient(cards).get("/card").json()) == {"username", "bio"}
    assert "theme" in cards.openapi()["components"]["schemas"]["Profile"]["properties"]  # the docs keep it all (03)


# -- under a real server: a 204 with a body, and a stream that fails after it started ----------------------------


def _no_content_app() -> FastAPI:
    app = FastAPI()

    @app.delete("/users/{user_id}")
    def delete(user_id: int):
        return JSONResponse({"deleted": user_id}, status_code=204)

    return app


def test_testclient_shows_a_body_on_a_204():
    reply = TestClient(_no_content_app()).delete("/users/7")
    assert (reply.status_code, reply.json()) == (204, {"deleted": 7})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def served_exchange(app: FastAPI, request: str) -> bytes:
    """Everything a raw client receives for one request to `app` under uvicorn on 127.0.0.1, until the server closes."""
    uvicorn = pytest.importorskip("uvicorn")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(f"{request} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
            received = b""
            while chunk := sock.recv(65536):  # b"": the server closed the connection
                received += chunk
        return received
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def test_uvicorn_refuses_the_body_of_a_204_and_drops_the_connection(caplog):
    caplog.set_level(logging.ERROR, logger="uvicorn.error")
    received = served_exchange(_no_content_app(), "DELETE /users/7")
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 204")
    assert body == b"" and b"deleted" not in received
    assert any("Exception in ASGI application" in r.getMessage() or r.exc_info for r in caplog.records)


def test_a_stream_that_fails_after_it_started_is_a_cut_off_200(caplog):
    """05: the status went out with the headers, before the generator raised."""
    app = FastAPI()

    @app.get("/reports/{report_id}/csv")
    def csv(report_id: int):
        def rows():
            yield "region,sales\n"
            raise HTTPException(status_code=404)

        return StreamingResponse(rows(), media_type="text/csv")

    caplog.set_level(logging.ERROR, logger="uvicorn.error")
    received = served_exchange(app, "GET /reports/9/csv")
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"transfer-encoding: chunked" in head.lower()
    assert not body.endswith(b"0\r\n\r\n")  # no last chunk: the body is cut off


# -- 07 production ---------------------------------------------------------------------------


def test_production_facts():
    """07: aliases, computed fields, background tasks, HEAD and yield teardown (graded 1-5 and 8, practice 1 and 8)."""
    from pydantic import ConfigDict, Field, computed_field
    from pydantic.alias_generators import to_camel
    from starlette.routing import Route

    class Camel(BaseModel):  # alias generator only: validated by alias
        model_config = ConfigDict(alias_generator=to_camel)
        id: int
        price_cents: int

    class Priced(BaseModel):
        price_cents: int = Field(serialization_alias="priceCents")

        @computed_field
        @property
        def price_with_tax_cents(self) -> int:
            return self.price_cents * 120 // 100

    log: list[str] = []

    def queue(tasks: BackgroundTasks) -> None:
        tasks.add_task(log.append, "dependency")

    def teardown():
        yield
        raise RuntimeError("teardown failed")

    app = FastAPI()
    app.get("/camel", response_model=Camel)(lambda: {"id": 1, "price_cents": 2599})
    app.get("/priced", response_model=Priced)(lambda: {"price_cents": 5})

    @app.patch("/tasks", dependencies=[Depends(queue)])
    def tasks_route(tasks: BackgroundTasks):
        tasks.add_task(log.append, "route")
        return JSONResponse({"queued": len(log)})  # no background= passed: FastAPI attaches the tasks

    app.get("/teardown", dependencies=[Depends(teardown)])(lambda: {"orders": []})
    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/camel").status_code == 500
    assert client.get("/priced").json() == {"priceCents": 5, "price_with_tax_cents": 6}
    schema = app.openapi()["components"]["schemas"]["Priced"]
    assert schema["properties"]["price_with_tax_cents"]["readOnly"] is True
    assert client.patch("/tasks").json() == {"queued": 0} and log == ["dependency", "route"]
    head = client.head("/priced")
    assert head.status_code == 405 and head.headers["allow"] == "GET"
    assert "HEAD" in Route("/x", lambda request: None, methods=["GET"]).methods  # Starlette's own Route adds it
    reply = client.get("/teardown")
    assert reply.status_code == 200 and reply.json() == {"orders": []}
    with pytest.raises(RuntimeError, match="teardown failed"):
        TestClient(app).get("/teardown")
    assert Camel(id=1, priceCents=2).model_dump() == {"id": 1, "price_cents": 2}  # practice 1
