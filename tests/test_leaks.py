"""The leak scan finds canaries and forbidden keys wherever an app puts them."""

from httpx2 import Headers

from grader.client import Exchange, Reply
from grader.leaks import scan_exchange, scan_openapi

SECRET = "Cn-s3cr3tvalue0001"
CANARIES = {SECRET: "the password sent"}
FORBIDDEN = {"password", "hashed_password"}


def exchange(body: bytes, headers=(), status=200) -> Exchange:
    return Exchange(Reply("GET", "/users/1", status, Headers(list(headers)), body))


def test_clean_response_has_no_leak():
    assert scan_exchange(exchange(b'{"id": 1, "name": "x"}'), CANARIES, FORBIDDEN) == []


def test_nested_forbidden_key_any_case_is_named_with_its_path():
    leaks = scan_exchange(exchange(b'{"items": [{"user": {"Hashed_Password": "x"}}]}'), CANARIES, FORBIDDEN)
    assert [str(leak) for leak in leaks] == ["forbidden key 'Hashed_Password' in GET /users/1 → 200, body at $.items[0].user.Hashed_Password"]


def test_secret_under_a_renamed_key_in_an_error_response():
    leaks = scan_exchange(exchange(f'{{"detail": {{"pwd": "{SECRET}"}}}}'.encode(), status=400), CANARIES, FORBIDDEN)
    assert len(leaks) == 1 and "400" in leaks[0].where and leaks[0].what == "the password sent"


def test_secret_in_a_header_and_in_plain_text():
    leaks = scan_exchange(exchange(f"debug {SECRET}".encode(), headers=[("X-Debug", SECRET)]), CANARIES, FORBIDDEN)
    assert {leak.where for leak in leaks} == {"GET /users/1 → 200, header x-debug", "GET /users/1 → 200, body"}


def test_openapi_response_schema_through_refs_but_not_request_schemas():
    document = {
        "paths": {
            "/users": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserIn"}}}},
                    "responses": {"201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserOut"}}}}},
                }
            },
            "/users/{id}": {
                "get": {"responses": {"200": {"content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Stored"}}}}}}}
            },
        },
        "components": {
            "schemas": {
                "UserIn": {"properties": {"password": {"type": "string"}}},
                "UserOut": {"properties": {"id": {"type": "integer"}}},
                "Stored": {"allOf": [{"$ref": "#/components/schemas/UserOut"}, {"properties": {"hashed_password": {}}}]},
            }
        },
    }
    leaks = scan_openapi(document, CANARIES, FORBIDDEN)
    assert [str(leak) for leak in leaks] == ["forbidden key 'hashed_password' in the OpenAPI schema of GET /users/{id} → 200"]
