"""Every example on the lesson 01 page does what the page says it does."""

import http.client
import logging
import warnings
from datetime import date, timedelta

import pytest
from live_server import serve
from starlette.testclient import TestClient

SLUG = "01-status-codes"


@pytest.fixture
def example(load_example):
    def load(name: str):
        module = load_example(SLUG, name)
        return module, TestClient(module.app)

    return load


def test_decorator_status_sets_201_and_leaves_get_at_200(example):
    module, client = example("decorator_status")
    created = client.post("/notes", json={"text": "buy milk"})
    assert created.status_code == 201
    assert created.json() == {"id": 1, "text": "buy milk"}
    listed = client.get("/notes")
    assert listed.status_code == 200
    assert listed.json() == [{"id": 1, "text": "buy milk"}]


def test_decorator_status_is_documented_in_openapi(example):
    module, client = example("decorator_status")
    operations = client.get("/openapi.json").json()["paths"]["/notes"]
    assert "201" in operations["post"]["responses"]
    assert "200" not in operations["post"]["responses"]
    assert "200" in operations["get"]["responses"]


def test_created_answers_201_with_location_of_the_new_note(example):
    module, client = example("created_location")
    reply = client.post("/notes", json={"text": "buy milk"})
    assert reply.status_code == 201
    assert reply.json() == {"id": 1, "text": "buy milk"}
    assert reply.headers["location"] == "/notes/1"
    followed = client.get(reply.headers["location"])
    assert followed.status_code == 200
    assert followed.json() == reply.json()


def test_created_ids_are_not_reused_after_a_delete(example):
    module, client = example("created_location")
    for text in ("a", "b"):
        client.post("/notes", json={"text": text})
    del module.NOTES[1]
    reply = client.post("/notes", json={"text": "c"})
    assert reply.json()["id"] == 3
    assert reply.headers["location"] == "/notes/3"


def test_no_content_deletes_with_an_empty_body_then_404(example):
    module, client = example("no_content")
    reply = client.delete("/notes/1")
    assert reply.status_code == 204
    assert reply.content == b""
    assert 1 not in module.NOTES
    again = client.delete("/notes/1")
    assert again.status_code == 404
    assert again.json() == {"detail": "Note not found"}


def test_no_content_drops_a_returned_dict(example):
    module, client = example("no_content_body")
    reply = client.delete("/dropped/7")
    assert reply.status_code == 204
    assert reply.content == b""


def test_no_content_json_response_sends_its_body(example):
    module, client = example("no_content_body")
    reply = client.delete("/sent/7")
    assert reply.status_code == 204
    assert reply.content == b'{"deleted":7}'
    # Starlette leaves Content-Length out for a 204, so nothing announces the bytes that follow.
    assert "content-length" not in reply.headers


def test_no_content_right_ways_send_nothing(example):
    module, client = example("no_content_body")
    for path in ("/right/7", "/right-too/7"):
        reply = client.delete(path)
        assert reply.status_code == 204
        assert reply.content == b""


def test_a_204_with_a_body_makes_uvicorn_drop_the_connection(load_example, caplog):
    """On a real server the stray bytes never arrive: uvicorn logs the error and closes the connection."""
    module = load_example(SLUG, "no_content_body")
    with serve(module.app) as (host, port), caplog.at_level(logging.ERROR, logger="uvicorn.error"):
        right = http.client.HTTPConnection(host, port, timeout=10)
        for _ in range(2):  # a clean 204 keeps the connection usable
            right.request("DELETE", "/right/7")
            reply = right.getresponse()
            assert (reply.status, reply.read()) == (204, b"")
        right.close()
        assert caplog.records == []

        sent = http.client.HTTPConnection(host, port, timeout=10)
        sent.request("DELETE", "/sent/7")
        reply = sent.getresponse()
        assert (reply.status, reply.read()) == (204, b"")  # the client never sees {"deleted":7}
        with pytest.raises(ConnectionError):  # reset, or closed before the next status line
            sent.request("GET", "/openapi.json")
            sent.getresponse()
        sent.close()
    logged = [record for record in caplog.records if record.exc_info]
    assert any("Too much data for declared Content-Length" in str(record.exc_info[1]) for record in logged)


def test_a_204_route_that_declares_a_body_is_refused_at_import(load_example):
    with pytest.raises(AssertionError, match="Status code 204 must not have a response body"):
        load_example(SLUG, "no_content_refused")


def test_a_dependency_sets_the_status_on_the_routes_response(example):
    module, client = example("dependency_status")
    created = client.put("/notes/5", json={"text": "water plants"})
    assert (created.status_code, created.json()) == (201, {"id": 5, "text": "water plants"})
    replaced = client.put("/notes/5", json={"text": "water the plants"})
    assert (replaced.status_code, replaced.json()) == (200, {"id": 5, "text": "water the plants"})
    assert client.put("/notes/1", json={"text": "buy oat milk"}).status_code == 200


def test_a_dict_body_takes_any_object_but_not_an_array(example):
    module, client = example("dict_body")
    for body in ({}, {"author": 3}):
        reply = client.post("/books", json=body)
        assert (reply.status_code, reply.json()) == (201, body)
    for body in ([1, 2], "a book"):
        reply = client.post("/books", json=body)
        assert reply.status_code == 422
        assert reply.json()["detail"][0]["type"] == "dict_type"
    assert module.BOOKS == [{}, {"author": 3}]


def test_broken_json_is_a_422_and_undecodable_bytes_a_400(example):
    module, client = example("validation")
    json_type = {"content-type": "application/json"}
    broken = client.post("/notes", content=b'{"text": "buy milk"', headers=json_type)
    assert broken.status_code == 422
    assert broken.json()["detail"][0]["type"] == "json_invalid"
    undecodable = client.post("/notes", content=b'{"text": "\xff"}', headers=json_type)
    assert (undecodable.status_code, undecodable.json()) == (400, {"detail": "There was an error parsing the body"})
    assert module.CALLS == []


def test_accepted_answers_202_with_a_job_to_poll(example):
    module, client = example("accepted")
    reply = client.post("/exports", json={"note_ids": [1, 2, 3]})
    assert reply.status_code == 202
    assert reply.json() == {"id": 1, "state": "queued", "notes": 3}
    assert reply.headers["location"] == "/exports/1"
    status = client.get("/exports/1")
    assert status.status_code == 200
    assert status.json()["state"] == "queued"
    assert client.get("/exports/99").status_code == 404


def test_dynamic_status_put_replaces_with_200(example):
    module, client = example("dynamic_status")
    reply = client.put("/notes/1", json={"text": "buy oat milk"})
    assert reply.status_code == 200
    assert reply.json() == {"id": 1, "text": "buy oat milk"}


def test_dynamic_status_put_creates_with_201_then_replaces_with_200(example):
    module, client = example("dynamic_status")
    first = client.put("/notes/42", json={"text": "water plants"})
    assert first.status_code == 201
    assert first.json() == {"id": 42, "text": "water plants"}
    second = client.put("/notes/42", json={"text": "water the plants"})
    assert second.status_code == 200
    assert module.NOTES[42].text == "water the plants"


def test_dynamic_status_is_documented_only_through_responses(example):
    module, client = example("dynamic_status")
    responses = client.get("/openapi.json").json()["paths"]["/notes/{note_id}"]["put"]["responses"]
    assert {"200", "201"} <= set(responses)
    assert responses["201"]["description"].startswith("Created")

    # Without `responses=`, OpenAPI cannot know about a status chosen at request time.
    from fastapi import FastAPI, Response

    bare = FastAPI()

    @bare.put("/notes/{note_id}")
    def put_note(note_id: int, response: Response) -> dict:
        response.status_code = 201
        return {}

    assert "201" not in bare.openapi()["paths"]["/notes/{note_id}"]["put"]["responses"]


def test_not_found_raises_404(example):
    module, client = example("not_found")
    assert client.get("/notes/1").json() == {"id": 1, "text": "buy milk"}
    reply = client.get("/notes/2")
    assert reply.status_code == 404
    assert reply.json() == {"detail": "Note not found"}


def test_returning_an_http_exception_sends_200(example):
    module, client = example("not_found")
    reply = client.get("/wrong/notes/2")
    assert reply.status_code == 200
    assert reply.json() == {"status_code": 404, "detail": "Note not found", "headers": None}


def test_validation_missing_field_is_422_and_handler_never_runs(example):
    module, client = example("validation")
    reply = client.post("/notes", json={"pinned": True})
    assert reply.status_code == 422
    [error] = reply.json()["detail"]
    assert error["type"] == "missing"
    assert error["loc"] == ["body", "text"]
    assert module.CALLS == []


def test_validation_wrong_type_is_422(example):
    module, client = example("validation")
    reply = client.post("/notes", json={"text": "buy milk", "pinned": "maybe"})
    assert reply.status_code == 422
    [error] = reply.json()["detail"]
    assert error["type"] == "bool_parsing"
    assert error["loc"] == ["body", "pinned"]
    assert error["input"] == "maybe"


def test_validation_path_parameter_is_422_not_404(example):
    module, client = example("validation")
    reply = client.get("/notes/abc")
    assert reply.status_code == 422
    assert reply.json()["detail"][0]["loc"] == ["path", "note_id"]
    assert module.CALLS == []


def test_validation_good_request_runs_the_handler(example):
    module, client = example("validation")
    reply = client.post("/notes", json={"text": "buy milk"})
    assert reply.status_code == 201
    assert reply.json() == {"text": "buy milk", "pinned": False}
    assert len(module.CALLS) == 1


def test_status_constants_raise_our_own_422(example):
    module, client = example("status_constants")
    past = client.post("/reminders", json={"text": "pay rent", "due": "2000-01-01"})
    assert past.status_code == 422
    assert past.json() == {"detail": "A reminder cannot be due in the past"}
    future = (date.today() + timedelta(days=30)).isoformat()
    ok = client.post("/reminders", json={"text": "pay rent", "due": future})
    assert ok.status_code == 201


def test_status_constants_old_name_is_deprecated_same_number():
    from fastapi import status

    assert status.HTTP_422_UNPROCESSABLE_CONTENT == 422
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert status.HTTP_422_UNPROCESSABLE_ENTITY == 422
    assert any("HTTP_422_UNPROCESSABLE_CONTENT" in str(w.message) for w in caught)
    # Starlette's own warning class is a UserWarning, so Python shows it by default.
    assert all(w.category.__name__ == "StarletteDeprecationWarning" for w in caught)
    assert all(issubclass(w.category, UserWarning) for w in caught)


def test_status_constants_are_plain_ints():
    from http import HTTPStatus

    from fastapi import status

    assert status.HTTP_201_CREATED == 201 == HTTPStatus.CREATED
    assert status.HTTP_204_NO_CONTENT == 204
    assert status.HTTP_202_ACCEPTED == 202


def test_returned_response_ignores_decorator_status_and_response_parameter(example):
    module, client = example("returned_response")
    reply = client.post("/wrong/notes")
    assert reply.status_code == 200
    assert "location" not in reply.headers
    assert reply.json() == {"id": 1, "text": "buy milk"}


def test_returned_response_carries_its_own_status_and_headers(example):
    module, client = example("returned_response")
    reply = client.post("/notes")
    assert reply.status_code == 201
    assert reply.headers["location"] == "/notes/1"


def test_location_from_url_for_needs_str():
    from fastapi import FastAPI, Request, Response

    app = FastAPI()

    @app.get("/notes/{note_id}")
    def get_note(note_id: int) -> dict:
        return {"id": note_id}

    @app.post("/as-url", status_code=201)
    def as_url(request: Request, response: Response) -> dict:
        response.headers["Location"] = request.url_for("get_note", note_id=3)  # a URL object
        return {}

    @app.post("/as-str", status_code=201)
    def as_str(request: Request, response: Response) -> dict:
        response.headers["Location"] = str(request.url_for("get_note", note_id=3))
        return {}

    client = TestClient(app, raise_server_exceptions=False)
    assert client.post("/as-url").status_code == 500
    reply = client.post("/as-str")
    assert reply.status_code == 201
    assert reply.headers["location"] == "http://testserver/notes/3"


def test_http_status_enum_works_in_status_code():
    from http import HTTPStatus

    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/notes", status_code=HTTPStatus.CREATED)
    def create() -> dict:
        return {}

    assert TestClient(app).post("/notes").status_code == 201


def test_put_with_the_same_data_again_is_200(example):
    module, client = example("dynamic_status")
    same = {"text": module.NOTES[1].text}
    assert client.put("/notes/1", json=same).status_code == 200


def test_returning_http_exception_from_a_204_route_looks_like_success():
    from fastapi import FastAPI, HTTPException

    app = FastAPI()

    @app.delete("/notes/{note_id}", status_code=204)
    def delete_note(note_id: int):
        return HTTPException(status_code=404, detail="Note not found")

    reply = TestClient(app).delete("/notes/1")
    assert reply.status_code == 204
    assert reply.content == b""


def test_a_dict_body_accepts_a_book_without_a_title():
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/books", status_code=201)
    def create(book: dict) -> dict:
        return book

    reply = TestClient(app).post("/books", json={"author": "Ada"})
    assert reply.status_code == 201


def test_bodies_on_the_page_are_in_the_order_they_go_out(example):
    # Note(NoteIn) adds `id` after NoteIn's fields, and the page shows the keys that way.
    module, client = example("created_location")
    assert client.post("/notes", json={"text": "buy milk"}).text == '{"text":"buy milk","id":1}'
    module, client = example("dynamic_status")
    assert client.put("/notes/42", json={"text": "water plants"}).text == '{"text":"water plants","id":42}'
    module, client = example("accepted")
    assert client.post("/exports", json={"note_ids": [1, 2, 3]}).text == '{"id":1,"state":"queued","notes":3}'


@pytest.mark.parametrize("headers", [{"Content-Type": "application/x-www-form-urlencoded"}, {}])
def test_a_json_body_without_a_json_content_type_comes_back_whole_as_a_string(example, headers):
    """curl -d without -H: the body is not read as JSON, and the page's tab shows the 422 it gets."""
    module, client = example("validation")
    body = b'{"text": "buy milk"}'
    reply = client.post("/notes", content=body, headers=headers)
    assert reply.status_code == 422
    assert reply.json() == {
        "detail": [
            {
                "type": "model_attributes_type",
                "loc": ["body"],
                "msg": "Input should be a valid dictionary or object to extract fields from",
                "input": body.decode(),
            }
        ]
    }
    assert module.CALLS == []
    assert client.post("/notes", content=body, headers={"Content-Type": "application/json"}).status_code == 201


def test_strict_content_type_false_reads_a_body_without_content_type_as_json():
    from pydantic import BaseModel

    class NoteIn(BaseModel):
        text: str

    from fastapi import FastAPI

    app = FastAPI(strict_content_type=False)

    @app.post("/notes")
    def create(note: NoteIn) -> NoteIn:
        return note

    client = TestClient(app)
    assert client.post("/notes", content=b'{"text": "a"}').json() == {"text": "a"}  # no Content-Type: read as JSON
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert client.post("/notes", content=b'{"text": "a"}', headers=form).status_code == 422  # a form stays a form


def test_status_is_a_name_in_fastapi_not_a_module():
    import importlib

    import starlette.status
    from fastapi import status

    assert status is starlette.status
    with pytest.raises(ModuleNotFoundError, match="No module named 'fastapi.status'"):
        importlib.import_module("fastapi.status")
    with pytest.raises(ModuleNotFoundError):
        exec("from fastapi.status import HTTP_201_CREATED", {})


def test_the_204_refusal_is_an_assert_that_python_O_skips(root):
    """Under -O the refused module loads, and the route answers 204 with an empty body."""
    import subprocess
    import sys

    script = (
        "import importlib.util, sys\n"
        "from fastapi.testclient import TestClient\n"
        f"spec = importlib.util.spec_from_file_location('m', {str(root / 'lessons' / SLUG / 'examples' / 'no_content_refused.py')!r})\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "r = TestClient(m.app).delete('/notes/1')\n"
        "print(r.status_code, repr(r.content))\n"
    )
    optimised = subprocess.run([sys.executable, "-O", "-c", script], capture_output=True, text=True, timeout=60)
    assert optimised.stdout.strip() == "204 b''", optimised.stderr
    plain = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "AssertionError: Status code 204 must not have a response body" in plain.stderr


def test_a_204_from_fastapi_carries_a_json_content_type_a_bare_response_none(load_example):
    """What the page's 204 samples show, as uvicorn sends it."""
    module = load_example(SLUG, "no_content_body")
    with serve(module.app) as (host, port):
        seen = {}
        for path in ("/dropped/7", "/right/7", "/right-too/7"):
            connection = http.client.HTTPConnection(host, port, timeout=10)
            connection.request("DELETE", path)
            reply = connection.getresponse()
            seen[path] = (reply.status, reply.getheader("content-type"), reply.read())
            connection.close()
    assert seen == {
        "/dropped/7": (204, "application/json", b""),
        "/right/7": (204, "application/json", b""),
        "/right-too/7": (204, None, b""),
    }
