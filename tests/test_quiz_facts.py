"""The facts the quizzes teach, checked against the installed FastAPI, Starlette
and Pydantic, and against a real uvicorn server where a client of a real server
sees something TestClient does not (a body sent with a 204).

Each test names the quiz question(s) whose explanation it backs.
"""

from __future__ import annotations

import csv
import io
import logging
import socket
import sqlite3
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any

import pytest
from fastapi import BackgroundTasks, Depends, FastAPI, Header, HTTPException, Request, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    StreamingResponse,
)
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import String, create_engine, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool
from starlette.exceptions import HTTPException as StarletteHTTPException


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


class CapstoneIn(BaseModel):  # what a client posts; reused as the output model it leaks (06)
    name: str
    email: str
    password: str


class CapstoneOut(BaseModel):  # no from_attributes setting
    id: int
    name: str
    email: str


class UserIn(BaseModel):
    username: str
    email: str
    password: str


class SignUp(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str
    newsletter: bool = False


class PlainUser(BaseModel):
    id: int
    username: str


class Admin(PlainUser):
    permissions: list[str]


STORED = {"id": 1, "username": "ada", "email": "a@x.io", "hashed_password": "h4sh"}


def client_for(app: FastAPI, **kwargs) -> TestClient:
    return TestClient(app, **kwargs)


# -- 01 status codes ----------------------------------------------------------------


def test_status_codes_facts():
    app = FastAPI()

    @app.delete("/books/{book_id}", status_code=204)
    def delete(book_id: int) -> None:
        return {"deleted": True}  # emptied for a 204 FastAPI builds (graded 2)

    @app.post("/books", status_code=201)
    def create(book: BookIn):
        raise HTTPException(status_code=409)  # the exception's status wins (graded 8)

    @app.post("/tuple")
    def flask_style():
        return 201, {"id": 1}  # a JSON list, 200 (practice 2)

    @app.put("/books/{book_id}", status_code=201)
    def put(book_id: int, book: BookIn, response: Response):
        response.status_code = 200  # the parameter's status replaces the decorator's (graded 4)
        return {"id": book_id}

    @app.post("/enum", status_code=HTTPStatus.ACCEPTED)
    def enum():
        return {"ok": True}  # an IntEnum member works (practice 3)

    @app.post("/multi")
    def multi(response: Response):
        response.status_code = 207  # set at request time: not in the OpenAPI document (practice 4)
        return {"ok": True}

    seen = []

    @app.post("/notes")
    def notes(note: dict):
        seen.append(note)  # any JSON object, {} included (practice 6)
        return note

    def trace(response: Response):
        response.headers["X-Trace"] = "t1"

    @app.get("/traced", dependencies=[Depends(trace)])
    def traced():
        return {"ok": True}  # the dependency's header is sent (practice 8)

    client = client_for(app)
    reply = client.delete("/books/1")
    assert (reply.status_code, reply.content) == (204, b"")
    assert client.post("/books", json={"title": "t", "author": "a"}).status_code == 409
    reply = client.post("/tuple")
    assert (reply.status_code, reply.json()) == (200, [201, {"id": 1}])
    assert client.put("/books/3", json={"title": "t", "author": "a"}).status_code == 200
    assert client.post("/enum").status_code == 202
    assert list(app.openapi()["paths"]["/enum"]["post"]["responses"]) == ["202"]
    assert client.post("/multi").status_code == 207
    assert list(app.openapi()["paths"]["/multi"]["post"]["responses"]) == ["200"]
    assert client.post("/notes", json={}).status_code == 200 and seen == [{}]
    assert client.post("/notes", json=[1, 2]).status_code == 422
    assert client.get("/traced").headers["x-trace"] == "t1"
    # A missing field is FastAPI's own 422, before the handler runs (graded 6).
    reply = client.post("/books", json={"title": "Dune"})
    assert reply.status_code == 422 and reply.json()["detail"][0]["loc"] == ["body", "author"]
    assert status.HTTP_201_CREATED == 201 and type(status.HTTP_201_CREATED) is int
    # The 422 names (graded 7): the current one, the deprecated one that warns, and no invented one.
    assert status.HTTP_422_UNPROCESSABLE_CONTENT == 422
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert status.HTTP_422_UNPROCESSABLE_ENTITY == 422
    assert any("deprecated" in str(w.message) for w in caught)
    assert not hasattr(status, "HTTP_422_INVALID_INPUT")
    # A 204 route that declares a body is refused when it is declared (practice 5).
    with pytest.raises(AssertionError, match="204 must not have a response body"):

        @FastAPI().delete("/x", status_code=204)
        def refused() -> dict:
            return {}


# -- 02 response model -------------------------------------------------------------


def test_response_model_facts():
    app = FastAPI()

    @app.get("/stored", response_model=UserOut)
    def stored():
        return STORED  # validated and stripped (graded 1)

    @app.get("/instance", response_model=UserOut)
    def instance():
        return UserInDB(**STORED)  # an instance of a subclass is filtered too

    @app.post("/users", response_model=UserIn)
    def create(user: UserIn):
        return user  # the input model as output: the password goes back (graded 3)

    @app.get("/priority", response_model=UserInDB)
    def priority() -> UserOut:
        return STORED  # response_model wins: the hash is sent (graded 4)

    @app.get("/any")
    def anything() -> Any:
        return STORED  # nothing filtered (graded 5)

    @app.get("/list", response_model=list[UserOut])
    def listed():
        return [STORED, STORED]  # every item filtered (graded 6)

    @app.get("/list-wrong", response_model=UserOut)
    def list_wrong():
        return [STORED]  # a list is not a UserOut: 500 (graded 6)

    @app.get("/constructed")
    def constructed() -> UserOut:
        return UserOut.model_construct(id=1, username="ada")  # not validated again (graded 7)

    @app.get("/excluded", response_model=UserInDB, response_model_exclude={"hashed_password"})
    def excluded():
        return STORED  # the body is right, the schema is not (graded 8)

    @app.get("/rates")
    def rates() -> dict[str, float]:
        return {"EUR": "12.5", "USD": 13}  # values converted (practice 5)

    @app.get("/etag", response_model=UserOut)
    def etag(response: Response):
        response.headers["ETag"] = STORED["hashed_password"]  # headers are not filtered (practice 8)
        return STORED

    client = client_for(app, raise_server_exceptions=False)
    public = {"id", "username", "email"}
    assert set(client.get("/stored").json()) == public
    assert set(client.get("/instance").json()) == public
    assert client.post("/users", json={"username": "a", "email": "e", "password": "pw"}).json()["password"] == "pw"
    schemas = app.openapi()["components"]["schemas"]
    response_schema = app.openapi()["paths"]["/users"]["post"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert "password" in schemas[response_schema["$ref"].rsplit("/", 1)[1]]["properties"]
    assert client.get("/priority").json()["hashed_password"] == "h4sh"
    assert client.get("/any").json() == STORED
    assert all(set(item) == public for item in client.get("/list").json())
    assert client.get("/list-wrong").status_code == 500
    assert client.get("/constructed").json() == {"id": 1, "username": "ada"}
    assert set(client.get("/excluded").json()) == public
    excluded_schema = app.openapi()["paths"]["/excluded"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert "hashed_password" in schemas[excluded_schema["$ref"].rsplit("/", 1)[1]]["properties"]
    assert client.get("/rates").json() == {"EUR": 12.5, "USD": 13.0}
    reply = client.get("/etag")
    assert reply.headers["etag"] == "h4sh" and "hashed_password" not in reply.json()


def test_response_model_practice_facts():
    app = FastAPI()

    @app.post("/signup")
    def signup(user: SignUp):
        return user  # a typo is a 422 (practice 1)

    @app.get("/accounts/{n}")
    def account(n: int) -> PlainUser | Admin:  # general first: the best fit still wins (practice 4)
        return [
            {"id": 1, "username": "ada", "hashed_password": "h"},
            {"id": 2, "username": "root", "permissions": ["x"]},
        ][n]

    @app.exception_handler(RequestValidationError)
    async def echo_body(request, exc):
        return JSONResponse({"detail": "bad", "body": exc.body}, status_code=422)  # echoes the password (practice 7)

    @app.post("/users")
    def create(user: BookIn):
        return user

    client = client_for(app)
    reply = client.post("/signup", json={"username": "ada", "newsleter": True})
    assert reply.status_code == 422 and reply.json()["body"] == {"username": "ada", "newsleter": True}
    assert client.get("/accounts/0").json() == {"id": 1, "username": "ada"}
    assert client.get("/accounts/1").json() == {"id": 2, "username": "root", "permissions": ["x"]}
    assert "hunter2" in client.post("/users", json={"title": "t", "password": "hunter2"}).text

    # An ORM row: `model_validate` needs from_attributes (practice 3); with no response model an
    # expired row (a commit expires it) is sent as `{}` (practice 2).
    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    Base.metadata.create_all(engine)
    with Session(engine) as db:
        row = User(id=1, name="Ada", email="a@x.io", hashed_password="h4sh")
        db.add(row)
        db.commit()
        with pytest.raises(ValidationError, match="valid dictionary or instance of CapstoneOut"):
            CapstoneOut.model_validate(row)
        rows = FastAPI()

        @rows.post("/promote")
        def promote():
            return row

        assert client_for(rows).post("/promote").json() == {}


# -- 03 field filters ------------------------------------------------------------------


def test_field_filter_facts():
    first = {"username": "ada", "email": "a@x.io"}
    second = {**first, "bio": None, "theme": "light"}
    assert Profile.model_validate(first).model_fields_set == {"username", "email"}  # (graded 1)
    assert Profile.model_validate(second).model_fields_set == {"username", "email", "bio", "theme"}  # (graded 2)

    class ProfileUpdate(BaseModel):
        email: str | None = None
        bio: str | None = None
        theme: str | None = None
        newsletter: bool | None = None
        deleted_at: str | None = None

    # Clearing bio (graded 6): only exclude_unset keeps the sent null.
    clear = ProfileUpdate.model_validate({"bio": None})
    assert clear.model_dump(exclude_unset=True) == {"bio": None}
    assert clear.model_dump(exclude_none=True) == {} and clear.model_dump(exclude_defaults=True) == {}
    # (graded 5) every field of the update model overwrites the stored one.
    wiped = Profile(username="ada", email="a@x.io", bio="hi").model_copy(
        update=ProfileUpdate(theme="dark").model_dump()
    )
    assert (wiped.theme, wiped.email, wiped.bio) == ("dark", None, None)

    stored = {
        "username": "ada",
        "email": "a@x.io",
        "bio": None,
        "theme": "light",
        "newsletter": False,
        "deleted_at": None,
    }
    app = FastAPI()

    @app.post("/none", response_model=Profile, response_model_exclude_none=True)
    def none(profile: Profile):
        return profile  # (graded 3)

    @app.post("/echo", response_model=Profile, response_model_exclude_unset=True)
    def echo(profile: Profile):
        return profile  # (graded 4) and the model's key order (practice 8)

    @app.post("/echo-dict", response_model=Profile, response_model_exclude_unset=True)
    def echo_dict(profile: Profile):
        return profile.model_dump()  # every key counts as set (graded 4)

    @app.post("/settings", response_model=Profile, response_model_exclude_defaults=True)
    def settings(profile: Profile):
        return profile  # a sent default is dropped (graded 7)

    @app.get("/stored", response_model=Profile, response_model_exclude_none=True)
    def read():
        return stored  # the filter never touches the data (practice 3)

    @app.post("/profiles")
    def create(profile: Profile):
        return profile

    class ProfileCard(BaseModel):
        username: str
        bio: str | None

    @app.get("/card", response_model=ProfileCard, response_model_exclude_none=True)
    def card():
        return Profile(username="ada", email="a@x.io")  # the key vanishes (practice 7)

    client = client_for(app)
    assert list(client.post("/none", json=second).json()) == ["username", "email", "theme", "newsletter"]
    assert client.post("/echo", json=second).json() == second
    assert set(client.post("/echo-dict", json=second).json()) == set(stored)
    assert client.post("/settings", json=second).json() == first
    assert set(client.get("/stored").json()) == {"username", "email", "theme", "newsletter"}
    assert stored["bio"] is None and "deleted_at" in stored
    reply = client.post("/echo", json={"theme": "dark", "email": "a@x.io", "username": "ada"})
    assert list(reply.json()) == ["username", "email", "theme"]
    assert client.post("/profiles", json={**first, "theme": None}).status_code == 422  # (practice 2)
    assert client.get("/card").json() == {"username": "ada"}


def test_field_filter_practice_facts():
    profile = Profile(username="ada", email="a@x.io")
    with pytest.warns(DeprecationWarning, match="model_fields_set"):
        assert profile.__fields_set__ == profile.model_fields_set == {"username", "email"}  # (practice 1)
    broken = profile.model_copy(update={"email": None})  # no validation (practice 4)
    assert broken.email is None and profile.email == "a@x.io"

    class BioThemeUpdate(BaseModel):
        bio: str | None = None
        theme: str | None = None

    # An undeclared key is dropped without a word (practice 5).
    assert BioThemeUpdate.model_validate({"deleted_at": "2024-05-01"}).model_dump(exclude_unset=True) == {}
    # A value back at its default is left out, whatever its history (practice 6).
    changed = Profile(username="ada", email="a@x.io", newsletter=True)
    changed.newsletter = False
    assert "newsletter" not in changed.model_dump(exclude_defaults=True)


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


def test_more_error_facts():
    """04: a returned exception's body, a `status_code` attribute, headers on the parameter, a broad
    `except`, which handler sees the router's 404, an exception raised in middleware, an unparsable body."""
    app = FastAPI()

    class InsufficientCreditsError(Exception):
        status_code = 402  # Starlette reads it only from its own HTTPException (graded)

    @app.get("/returned")
    def returned():
        return HTTPException(status_code=404, detail="Not found")

    @app.get("/credits")
    def credits():
        raise InsufficientCreditsError()

    @app.get("/request-id")
    def request_id(response: Response):
        response.headers["X-Request-Id"] = "r1"  # the 404 is built from the exception alone (graded)
        raise HTTPException(status_code=404, detail="x")

    @app.get("/request-id-on-exception")
    def request_id_on_exception():
        raise HTTPException(status_code=404, detail="x", headers={"X-Request-Id": "r1"})

    @app.get("/notes/{note_id}/words")
    def words(note_id: int):
        try:
            raise HTTPException(status_code=404)
        except Exception:
            return {"words": 0}  # the broad except swallows the 404 (practice)

    @app.post("/notes")
    def create(doc: DocIn, who: str = Depends(user)):
        return doc

    client = client_for(app, raise_server_exceptions=False)
    reply = client.get("/returned")
    assert (reply.status_code, reply.json()) == (200, {"status_code": 404, "detail": "Not found", "headers": None})
    reply = client.get("/credits")
    assert (reply.status_code, reply.text) == (500, "Internal Server Error")
    assert "x-request-id" not in client.get("/request-id").headers
    assert client.get("/request-id-on-exception").headers["x-request-id"] == "r1"
    reply = client.get("/notes/9/words")
    assert (reply.status_code, reply.json()) == (200, {"words": 0})
    # No token and a body that is not JSON: FastAPI decodes the body before any dependency runs (practice).
    reply = client.post("/notes", content=b'{"title": ', headers={"content-type": "application/json"})
    assert reply.status_code == 422 and reply.json()["detail"][0]["type"] == "json_invalid"

    def handled_by(exception_class) -> tuple[list[int], TestClient]:
        seen: list[int] = []
        scoped = FastAPI()

        @scoped.exception_handler(exception_class)
        async def mine(request, exc):
            seen.append(exc.status_code)
            return JSONResponse({"mine": True}, status_code=exc.status_code)

        return seen, client_for(scoped)

    seen, scoped_client = handled_by(HTTPException)  # FastAPI's subclass: not the router's 404 (practice)
    assert scoped_client.get("/nowhere").json() == {"detail": "Not Found"} and seen == []
    seen, scoped_client = handled_by(StarletteHTTPException)
    assert scoped_client.get("/nowhere").json() == {"mine": True} and seen == [404]

    guarded = FastAPI()

    @guarded.middleware("http")
    async def no_token(request, call_next):
        if "authorization" not in request.headers:
            raise HTTPException(status_code=401)  # outside every exception handler (practice)
        return await call_next(request)

    @guarded.get("/x")
    def x():
        return {}

    reply = client_for(guarded, raise_server_exceptions=False).get("/x")
    assert (reply.status_code, reply.text) == (500, "Internal Server Error")


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


class Reading(BaseModel):
    sensor: str
    celsius: float


def test_more_response_type_facts():
    """05: a returned str, `response_class=HTMLResponse`, media types of the response classes, what
    OpenAPI says for a returned response, the default redirect, JSON Lines, CSV quoting, CORS."""
    app = FastAPI()

    @app.get("/health")
    def health():
        return "ok"  # a JSON string (graded)

    @app.get("/page", response_class=HTMLResponse)
    def page():
        return "<h1>Fish & chips</h1>"  # sent and documented as text/html, not escaped (graded, practice)

    @app.get("/stream")
    def stream():
        return StreamingResponse(iter(["a,é\n", "b\n"]))  # no media_type= (practice)

    @app.get("/plain")
    def plain():
        return PlainTextResponse("ok")  # documented as JSON (practice)

    @app.get("/moved")
    def moved():
        return RedirectResponse("/health")  # 307 by default (graded)

    @app.get("/readings")
    def readings() -> Iterator[Reading]:
        yield {"sensor": "attic", "celsius": 21.5, "battery": 3}  # JSON Lines, filtered (practice)

    client = client_for(app, follow_redirects=False)
    reply = client.get("/health")
    assert (reply.headers["content-type"], reply.content) == ("application/json", b'"ok"')
    reply = client.get("/page")
    assert reply.headers["content-type"] == "text/html; charset=utf-8" and reply.text == "<h1>Fish & chips</h1>"
    assert list(app.openapi()["paths"]["/page"]["get"]["responses"]["200"]["content"]) == ["text/html"]
    reply = client.get("/stream")
    assert "content-type" not in reply.headers and "content-length" not in reply.headers
    assert reply.content == "a,é\nb\n".encode()
    assert [cls.media_type for cls in (Response, StreamingResponse, RedirectResponse, FileResponse)] == [None] * 4
    assert app.openapi()["paths"]["/plain"]["get"]["responses"]["200"]["content"] == {
        "application/json": {"schema": {}}
    }
    assert client.get("/moved").status_code == 307
    reply = client.get("/readings")
    assert reply.headers["content-type"] == "application/jsonl" and reply.text == '{"sensor":"attic","celsius":21.5}\n'

    # A comma inside a joined value makes a column of its own; csv.writer quotes it (practice).
    assert next(csv.reader(io.StringIO(",".join(["pear, ripe", "2"])))) == ["pear", " ripe", "2"]
    out = io.StringIO()
    csv.writer(out).writerow(["pear, ripe", "2"])
    assert out.getvalue() == '"pear, ripe",2\r\n'

    def cors_headers(**options) -> dict:
        api = FastAPI()
        api.add_middleware(CORSMiddleware, allow_origins=["https://app.example"], **options)

        @api.get("/r")
        def r():
            return JSONResponse({}, headers={"X-Cache": "HIT"})

        return dict(client_for(api).get("/r", headers={"Origin": "https://app.example"}).headers)

    assert "access-control-expose-headers" not in cors_headers()  # the script cannot read X-Cache (practice)
    assert "x-cache" in cors_headers(expose_headers=["X-Cache"])["access-control-expose-headers"].lower()


def test_which_redirect_turns_a_post_into_a_get():
    """05 practice 4 (Post/Redirect/Get): after a form's POST, 303 makes the client fetch the new URL with
    GET; 307 and 308 repeat the POST and its body; nothing follows the Location of a 201. httpx, under
    TestClient, follows the Fetch standard's redirect rules, as browsers do."""
    app = FastAPI()
    seen: list[tuple[str, bytes]] = []

    @app.post("/forms/{code}")
    def store(code: int):
        return Response(status_code=code, headers={"Location": "/reports/7"})

    @app.api_route("/reports/7", methods=["GET", "POST"])
    async def report(request: Request):
        seen.append((request.method, await request.body()))
        return {"id": 7}

    client = client_for(app)
    for code, followed in [(303, ("GET", b"")), (307, ("POST", b"title=Q3")), (308, ("POST", b"title=Q3"))]:
        seen.clear()
        reply = client.post(f"/forms/{code}", data={"title": "Q3"})
        assert (reply.status_code, seen) == (200, [followed]), code
    seen.clear()
    reply = client.post("/forms/201", data={"title": "Q3"})
    assert (reply.status_code, seen) == (201, [])


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


def test_more_capstone_facts():
    """06: the response model strips a record, an input model reused as output leaks, a returned exception
    fails validation, a returned JSONResponse skips the model, debug mode beats the handler, SQLite reuses ids."""

    record = {
        "id": 1,
        "name": "Ada L",
        "email": "a@x.io",
        "hashed_password": "h4sh",
        "internal_notes": "n",
        "is_deleted": False,
    }
    row = User(id=1, name="Ada L", email="a@x.io", hashed_password="h4sh")
    app = FastAPI()

    @app.get("/record", response_model=CapstoneOut)
    def stored():
        return record  # validated and stripped (graded)

    @app.post("/users", response_model=CapstoneIn)
    def create(new: CapstoneIn):
        return new  # the password goes back, and is documented (graded)

    @app.get("/users/{user_id}", response_model=CapstoneOut)
    def returned(user_id: int):
        return HTTPException(status_code=404, detail="User not found")  # not a CapstoneOut: 500 (graded)

    @app.get("/users", response_model=list[CapstoneOut])
    def listed():
        return JSONResponse(jsonable_encoder([row]))  # sent as built, hash included (practice)

    client = client_for(app, raise_server_exceptions=False)
    assert client.get("/record").json() == {"id": 1, "name": "Ada L", "email": "a@x.io"}
    assert client.post("/users", json={"name": "a", "email": "e", "password": "pw"}).json()["password"] == "pw"
    response_schema = app.openapi()["paths"]["/users"]["post"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert response_schema == {"$ref": "#/components/schemas/CapstoneIn"}
    assert "password" in app.openapi()["components"]["schemas"]["CapstoneIn"]["properties"]
    assert client.get("/users/9").status_code == 500
    assert client.get("/users").json()[0]["hashed_password"] == "h4sh"
    with pytest.raises(ValidationError):  # your own model_validate needs from_attributes (graded: a wrong choice)
        CapstoneOut.model_validate(row)

    debug = FastAPI(debug=True)

    @debug.exception_handler(Exception)
    async def catch_all(request, exc):
        return JSONResponse({"detail": "Internal server error"}, status_code=500)

    @debug.get("/boom")
    def boom():
        return 1 / 0

    debug_client = client_for(debug, raise_server_exceptions=False)
    reply = debug_client.get("/boom", headers={"Accept": "text/html"})  # debug mode answers, not the handler (practice)
    assert (
        reply.status_code == 500
        and reply.headers["content-type"].startswith("text/html")
        and "ZeroDivisionError" in reply.text
    )
    reply = debug_client.get("/boom")
    assert reply.headers["content-type"].startswith("text/plain") and "Traceback" in reply.text

    def next_id_after_deleting_the_newest(primary_key: str) -> int:
        db = sqlite3.connect(":memory:")
        db.execute(f"CREATE TABLE users (id {primary_key}, name TEXT)")
        db.executemany("INSERT INTO users (name) VALUES (?)", [("a",), ("b",)])
        db.execute("DELETE FROM users WHERE id = 2")
        new_id = db.execute("INSERT INTO users (name) VALUES ('c')").lastrowid
        db.close()
        return new_id

    assert next_id_after_deleting_the_newest("INTEGER PRIMARY KEY") == 2  # the id comes back (practice)
    assert next_id_after_deleting_the_newest("INTEGER PRIMARY KEY AUTOINCREMENT") == 3


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


@contextmanager
def serving(app: FastAPI):
    """The port of `app` served by uvicorn on 127.0.0.1, for the length of the block."""
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
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def served_exchange(app: FastAPI, request: str) -> bytes:
    """Everything a raw client receives for one request to `app` under uvicorn on 127.0.0.1, until the server closes."""
    with serving(app) as port, socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"{request} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        received = b""
        while chunk := sock.recv(65536):  # b"": the server closed the connection
            received += chunk
    return received


def test_uvicorn_refuses_the_body_of_a_204_and_drops_the_connection(caplog):
    caplog.set_level(logging.ERROR, logger="uvicorn.error")
    received = served_exchange(_no_content_app(), "DELETE /users/7")
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 204")
    assert body == b"" and b"deleted" not in received
    assert any("Exception in ASGI application" in r.getMessage() or r.exc_info for r in caplog.records)


def _failing_stream_app() -> FastAPI:
    app = FastAPI()

    @app.get("/reports/{report_id}/csv")
    def report_csv(report_id: int):
        def rows():
            yield "region,sales\n"
            raise HTTPException(status_code=404)

        return StreamingResponse(rows(), media_type="text/csv")

    return app


def test_a_stream_that_fails_after_it_started_is_a_cut_off_200(caplog):
    """05: the status went out with the headers, before the generator raised."""
    caplog.set_level(logging.ERROR, logger="uvicorn.error")
    received = served_exchange(_failing_stream_app(), "GET /reports/9/csv")
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"transfer-encoding: chunked" in head.lower()
    assert not body.endswith(b"0\r\n\r\n")  # no last chunk: the body is cut off


def test_httpx_gets_the_200_and_the_first_row_then_raises_and_testclient_raises(caplog):
    """05 (graded): which client sees what when the stream fails after it started."""
    import httpx

    app = _failing_stream_app()
    with pytest.raises(RuntimeError, match="response already started"):
        TestClient(app).get("/reports/9/csv")
    caplog.set_level(logging.ERROR, logger="uvicorn.error")
    received = []
    with serving(app) as port, httpx.stream("GET", f"http://127.0.0.1:{port}/reports/9/csv", timeout=10) as reply:
        assert reply.status_code == 200
        with pytest.raises(httpx.RemoteProtocolError):
            for chunk in reply.iter_text():
                received.append(chunk)
    assert "".join(received) == "region,sales\n"


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
