"""Lesson 02's docs examples do what the page says they do."""

import pytest
from fastapi.testclient import TestClient

SLUG = "02-response-model"


@pytest.fixture
def client_for(load_example):
    def make(name: str) -> TestClient:
        return TestClient(load_example(SLUG, name).app, raise_server_exceptions=False)

    return make


def schema_properties(app, path: str, method: str = "get", code: str = "200") -> set[str]:
    document = app.openapi()
    ref = document["paths"][path][method]["responses"][code]["content"]["application/json"]["schema"]["$ref"]
    return set(document["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"])


def test_filter_extra_fields(client_for):
    reply = client_for("filter_extra_fields").get("/users/1")
    assert reply.status_code == 200
    assert reply.json() == {"id": 1, "username": "ada", "email": "ada@example.com"}


def test_separate_models(client_for):
    client = client_for("separate_models")
    reply = client.post("/users", json={"username": "ada", "email": "ada@example.com", "password": "s3cret"})
    assert reply.status_code == 201
    assert reply.json() == {"id": 1, "username": "ada", "email": "ada@example.com"}
    assert "s3cret" not in reply.text and "hashed_password" not in reply.text
    assert schema_properties(client.app, "/users", "post", "201") == {"id", "username", "email"}


def test_annotation_vs_response_model(client_for):
    client = client_for("annotation_vs_response_model")
    assert client.get("/annotated").json() == {"id": 1, "username": "ada"}
    assert client.get("/both").json() == {"id": 1, "username": "ada"}
    assert client.get("/trap").json() == {"id": 1, "username": "ada", "hashed_password": "not-for-clients"}
    assert schema_properties(client.app, "/both") == {"id", "username"}
    assert schema_properties(client.app, "/trap") == {"id", "username", "hashed_password"}


def test_escape_hatches(client_for):
    client = client_for("escape_hatches")
    assert client.get("/any").json()["hashed_password"] == "not-for-clients"
    assert client.get("/maybe-redirect").json() == {"id": 1, "username": "ada"}
    redirect = client.get("/maybe-redirect", params={"old": True}, follow_redirects=False)
    assert redirect.status_code == 307 and redirect.headers["location"] == "/any"


def test_lists_and_404(client_for):
    client = client_for("lists_and_404")
    assert client.get("/users").json() == [{"id": 1, "username": "ada"}, {"id": 2, "username": "grace"}]
    assert client.get("/users/1").json() == {"id": 1, "username": "ada"}
    missing = client.get("/users/99")
    assert missing.status_code == 404 and missing.json() == {"detail": "User not found"}
    assert client.get("/wrong-list").status_code == 500


def test_invalid_return_is_a_500(load_example):
    from fastapi.exceptions import ResponseValidationError

    app = load_example(SLUG, "invalid_return").app
    assert TestClient(app, raise_server_exceptions=False).get("/users/1").status_code == 500
    with pytest.raises(ResponseValidationError):
        TestClient(app).get("/users/1")


def test_exclude_keeps_schema(client_for):
    client = client_for("exclude_keeps_schema")
    assert client.get("/excluded").json() == client.get("/separate").json() == {"id": 1, "username": "ada"}
    assert "hashed_password" in schema_properties(client.app, "/excluded")
    assert schema_properties(client.app, "/separate") == {"id", "username"}


def test_response_union_needs_response_model_none():
    from fastapi import FastAPI
    from fastapi.exceptions import FastAPIError
    from fastapi.responses import JSONResponse, RedirectResponse

    app = FastAPI()
    with pytest.raises(FastAPIError, match="Invalid args for response field"):
        @app.get("/x")
        def x() -> JSONResponse | RedirectResponse: ...
