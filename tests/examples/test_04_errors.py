"""The lesson 04 (errors) examples do what the docs page says they do."""

import warnings

import pytest
from fastapi import status
from fastapi.testclient import TestClient

SLUG = "04-errors"


def client_for(load_example, name: str, **kwargs) -> TestClient:
    return TestClient(load_example(SLUG, name).app, **kwargs)


def test_returned_exception_is_a_200_body(load_example):
    client = client_for(load_example, "raise_not_return")
    reply = client.get("/returned/9")
    assert reply.status_code == 200
    assert reply.json() == {"status_code": 404, "detail": "Note not found", "headers": None}


def test_raised_exception_is_the_error_response(load_example):
    client = client_for(load_example, "raise_not_return")
    reply = client.get("/raised/9")
    assert reply.status_code == 404
    assert reply.json() == {"detail": {"code": "NOTE_NOT_FOUND", "message": "No note 9."}}
    assert client.get("/raised/1").json() == {"id": 1, "text": "Buy milk"}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic token-ann"}])
def test_missing_or_unknown_token_is_401_with_www_authenticate(load_example, headers):
    reply = client_for(load_example, "auth_dependency").get("/notes/1", headers=headers)
    assert reply.status_code == 401
    assert reply.headers["www-authenticate"] == "Bearer"
    assert reply.json()["detail"]["code"] == "NOT_AUTHENTICATED"


def test_known_user_on_someone_elses_note_is_403(load_example):
    client = client_for(load_example, "auth_dependency")
    assert client.get("/notes/1", headers={"Authorization": "Bearer token-ann"}).status_code == 200
    reply = client.get("/notes/1", headers={"Authorization": "Bearer token-ben"})
    assert reply.status_code == 403
    assert "www-authenticate" not in reply.headers


def test_dependency_runs_before_body_validation(load_example):
    client = client_for(load_example, "auth_dependency")
    assert client.post("/notes", json={"wrong": 1}).status_code == 401
    assert client.post("/notes", json={"wrong": 1}, headers={"Authorization": "Bearer token-ben"}).status_code == 422


def test_rate_limit_is_per_key_with_retry_after(load_example):
    client = client_for(load_example, "rate_limit")
    for _ in range(2):
        assert client.get("/quotes", headers={"X-API-Key": "k1"}).status_code == 200
    limited = client.get("/quotes", headers={"X-API-Key": "k1"})
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "60"
    assert client.get("/quotes", headers={"X-API-Key": "k2"}).status_code == 200


def test_custom_exception_handler_owns_the_whole_body(load_example):
    client = client_for(load_example, "custom_exception")
    assert client.post("/users/ann/print").json() == {"printed": True, "balance": 0}
    reply = client.post("/users/ann/print")
    assert reply.status_code == 402
    assert reply.json() == {"code": "INSUFFICIENT_FUNDS", "required": 1, "available": 0}


def test_catch_all_answers_json_500_and_leaves_http_errors_alone(load_example):
    client = client_for(load_example, "catch_all", raise_server_exceptions=False)
    reply = client.get("/ratio/a")
    assert reply.status_code == 500
    assert reply.json() == {"detail": "Internal server error"}
    assert "ZeroDivisionError" not in reply.text
    assert client.get("/ratio/zz").json() == {"detail": "No such size"}
    assert client.get("/ratio/b").json() == {"ratio": 3.0}


def test_catch_all_exception_is_re_raised_for_the_log(load_example):
    client = client_for(load_example, "catch_all")  # raise_server_exceptions=True by default
    with pytest.raises(ZeroDivisionError):
        client.get("/ratio/a")


def test_debug_mode_wins_over_the_catch_all_handler(load_example):
    module = load_example(SLUG, "catch_all")
    module.app.debug = True
    reply = TestClient(module.app, raise_server_exceptions=False).get("/ratio/a")
    assert reply.status_code == 500
    assert "ZeroDivisionError" in reply.text


def test_without_a_handler_starlette_sends_plain_text_500(load_example):
    module = load_example(SLUG, "catch_all")
    del module.app.exception_handlers[Exception]
    module.app.middleware_stack = None  # rebuilt without the handler
    reply = TestClient(module.app, raise_server_exceptions=False).get("/ratio/a")
    assert reply.status_code == 500
    assert reply.headers["content-type"].startswith("text/plain")
    assert reply.text == "Internal Server Error"


def test_default_422_echoes_the_submitted_body(load_example):
    client = client_for(load_example, "validation_default")
    reply = client.post("/signups", json={"password": "hunter2-secret"})
    assert reply.status_code == 422
    errors = reply.json()["detail"]
    assert {tuple(e["loc"]) for e in errors} == {("body", "email")}
    assert errors[0]["input"] == {"password": "hunter2-secret"}
    assert "hunter2-secret" in reply.text


JSON = {"content-type": "application/json"}
FORM = {"content-type": "application/x-www-form-urlencoded"}  # what `curl -d` sends without -H


@pytest.mark.parametrize(
    ("sent", "headers", "error"),
    [
        (
            {"email": "a@b.example"},
            JSON,
            {"type": "missing", "loc": ["body", "password"], "input": {"email": "a@b.example"}},
        ),
        (
            {"email": "a@b.example", "password": "s3cr3t"},
            JSON,
            {"type": "string_too_short", "loc": ["body", "password"], "input": "s3cr3t", "ctx": {"min_length": 12}},
        ),
        (
            {"email": "a@b.example", "password": 12},
            JSON,
            {"type": "string_type", "loc": ["body", "password"], "input": 12},
        ),
        (
            {"email": "a@b.example", "password": "hunter2-secret"},
            FORM,
            {
                "type": "model_attributes_type",
                "loc": ["body"],
                "input": '{"email": "a@b.example", "password": "hunter2-secret"}',
            },
        ),
    ],
    ids=["missing", "too-short", "wrong-type", "no-json-content-type"],
)
def test_default_422_echoes_each_case_as_the_page_table_says(load_example, sent, headers, error):
    import json

    client = client_for(load_example, "validation_default")
    reply = client.post("/signups", content=json.dumps(sent).encode(), headers=headers)
    assert reply.status_code == 422
    [got] = reply.json()["detail"]
    assert {key: got[key] for key in ("type", "loc", "input")} == {key: error[key] for key in ("type", "loc", "input")}
    assert got.get("ctx") == error.get("ctx")
    handled = client_for(load_example, "validation_handler").post(
        "/signups", content=json.dumps(sent).encode(), headers=headers
    )
    assert handled.status_code == 422
    assert "input" not in handled.text and "ctx" not in handled.text
    if isinstance(error["input"], str):
        assert error["input"] not in handled.text


def test_a_json_body_labelled_as_a_form_gets_the_401_first_and_a_422_with_a_token(load_example):
    client = client_for(load_example, "auth_dependency")
    body = b'{"text": "x"}'
    stranger = client.post("/notes", content=body, headers=FORM)
    assert stranger.status_code == 401
    assert stranger.headers["www-authenticate"] == "Bearer"
    member = client.post("/notes", content=body, headers={**FORM, "Authorization": "Bearer token-ann"})
    assert member.status_code == 422
    [error] = member.json()["detail"]
    assert (error["type"], error["input"]) == ("model_attributes_type", body.decode())


def test_validation_handler_names_fields_without_echo(load_example):
    client = client_for(load_example, "validation_handler")
    reply = client.post("/signups", json={"email": "a@example.com", "password": "pw-s3cret"})
    assert reply.status_code == 422
    assert reply.json() == {
        "detail": [
            {
                "loc": ["body", "password"],
                "msg": "String should have at least 12 characters",
                "type": "string_too_short",
            }
        ]
    }
    assert "pw-s3cret" not in reply.text
    reply = client.post("/signups", json={"password": "hunter2-secret"})
    assert "hunter2-secret" not in reply.text
    assert reply.json()["detail"][0]["loc"] == ["body", "email"]


def test_422_constant_names():
    assert status.HTTP_422_UNPROCESSABLE_CONTENT == 422
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert status.HTTP_422_UNPROCESSABLE_ENTITY == 422
    assert any("deprecated" in str(w.message) for w in caught)


def test_openapi_documents_the_errors(load_example):
    document = load_example(SLUG, "openapi_responses").app.openapi()
    responses = document["paths"]["/items/{item_id}"]["get"]["responses"]
    assert {"200", "401", "404", "422"} <= set(responses)
    assert responses["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert set(document["components"]["schemas"]["ErrorOut"]["properties"]) == {"detail"}


def test_openapi_documents_a_422_only_where_there_is_something_to_validate(load_example):
    document = load_example(SLUG, "openapi_responses").app.openapi()
    assert set(document["paths"]["/items"]["get"]["responses"]) == {"200"}


def test_the_auth_dependency_runs_after_the_body_is_decoded(load_example):
    client = client_for(load_example, "auth_dependency")
    wrong_type = client.post("/notes", json={"text": 3})
    assert wrong_type.status_code == 401
    not_json = client.post("/notes", content=b'{"text": ', headers=JSON)
    assert not_json.status_code == 422
    assert not_json.json()["detail"][0]["type"] == "json_invalid"
    not_text = client.post("/notes", content=b'{"text": "\xff"}', headers=JSON)
    assert (not_text.status_code, not_text.json()) == (400, {"detail": "There was an error parsing the body"})
    token = {"Authorization": "Bearer token-ann"}
    assert client.post("/notes", json={"text": 3}, headers=token).status_code == 422


@pytest.mark.parametrize("body", [b'{"text": ', b'{"text": "\xff"}', b'{"text": "hi"}'])
def test_middleware_answers_401_before_the_body_is_read(load_example, body):
    reply = client_for(load_example, "auth_middleware").post("/notes", content=body, headers=JSON)
    assert reply.status_code == 401
    assert reply.headers["www-authenticate"] == "Bearer"
    assert reply.json() == {"detail": {"code": "NOT_AUTHENTICATED", "message": "Send a token."}}


def test_middleware_lets_a_token_through_to_fastapis_own_answers(load_example):
    client = client_for(load_example, "auth_middleware")
    token = {"Authorization": "Bearer token-ann", **JSON}
    assert client.post("/notes", content=b'{"text": ', headers=token).status_code == 422
    assert client.post("/notes", content=b'{"text": "hi"}', headers=token).status_code == 201


def test_an_http_exception_raised_in_middleware_is_a_500(load_example):
    module = load_example(SLUG, "auth_middleware")
    reply = TestClient(module.raising, raise_server_exceptions=False).post("/notes", json={"text": "hi"})
    assert (reply.status_code, reply.text) == (500, "Internal Server Error")
    assert reply.headers["content-type"].startswith("text/plain")


def test_a_starlette_handler_sees_the_routers_404_and_405(load_example):
    module = load_example(SLUG, "handler_scope")
    client = TestClient(module.app)
    assert client.get("/notes/2").json() == {"detail": "Note not found"}
    assert (client.get("/nowhere").status_code, client.get("/nowhere").json()) == (404, {"detail": "Not Found"})
    assert client.delete("/notes/1").status_code == 405
    assert client.get("/notes/1").status_code == 200
    assert module.SEEN == [404, 404, 404, 405]


def test_a_fastapi_handler_sees_only_the_exceptions_your_code_raises(load_example):
    module = load_example(SLUG, "handler_scope")
    client = TestClient(module.narrow)
    assert client.get("/notes/2").json() == {"detail": "Note not found"}
    assert client.get("/nowhere").json() == {"detail": "Not Found"}
    assert client.delete("/notes/1").status_code == 405
    assert module.SEEN == [404]


def test_a_broad_except_swallows_the_404(load_example):
    client = client_for(load_example, "broad_except")
    assert (client.get("/swallowed/9/words").status_code, client.get("/swallowed/9/words").json()) == (
        200,
        {"words": 0},
    )
    assert client.get("/words/9").status_code == 404
    assert client.get("/words/1").json() == {"words": 3}


@pytest.mark.parametrize(("accept", "media_type"), [("text/html,*/*", "text/html"), ("application/json", "text/plain")])
def test_debug_mode_answers_a_traceback_html_to_a_browser(accept, media_type):
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    app = FastAPI(debug=True)

    @app.exception_handler(Exception)
    async def catch_all(request, exc):
        return JSONResponse({"detail": "Internal server error"}, status_code=500)

    @app.get("/boom")
    def boom():
        raise ValueError("no such file /srv/app/secret.db")

    reply = TestClient(app, raise_server_exceptions=False).get("/boom", headers={"accept": accept})
    assert reply.status_code == 500
    assert reply.headers["content-type"].startswith(media_type)
    assert "/srv/app/secret.db" in reply.text  # debug mode wins over the catch-all
