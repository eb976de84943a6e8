"""The lesson 07 (production) examples do what the docs page says they do."""

import http.client
import logging

import pytest
from fastapi.testclient import TestClient
from live_server import serve

SLUG = "07-production"


def client_for(load_example, name: str, **kwargs) -> TestClient:
    return TestClient(load_example(SLUG, name).app, **kwargs)


def test_aliases_and_computed_field_go_out_in_camel_case(load_example):
    client = client_for(load_example, "aliases")
    assert client.get("/products/1").json() == {"id": 1, "priceCents": 2599, "priceWithTaxCents": 3118}
    assert client.get("/labels/1").json() == {"productId": 1}


def test_by_alias_false_sends_snake_case_while_the_schema_still_says_camel(load_example):
    module = load_example(SLUG, "aliases")
    client = TestClient(module.app)
    assert client.get("/products/1/raw").json() == {"id": 1, "price_cents": 2599, "price_with_tax_cents": 3118}
    schema = module.app.openapi()["components"]["schemas"]["Product"]
    assert set(schema["properties"]) == {"id", "priceCents", "priceWithTaxCents"}
    assert schema["properties"]["priceWithTaxCents"]["readOnly"] is True


def test_an_alias_generator_alone_refuses_snake_case_input(load_example):
    from pydantic import BaseModel, ConfigDict, ValidationError
    from pydantic.alias_generators import to_camel

    class Strict(BaseModel):
        model_config = ConfigDict(alias_generator=to_camel)
        price_cents: int

    with pytest.raises(ValidationError):
        Strict.model_validate({"price_cents": 1})
    module = load_example(SLUG, "aliases")
    assert module.Product.model_validate({"id": 1, "price_cents": 5}).price_cents == 5  # validate_by_name


def test_a_background_task_runs_after_the_response(load_example):
    module = load_example(SLUG, "background_audit")
    client = TestClient(module.app)
    assert client.patch("/products/7").json() == {"id": 7, "logged": 0}
    assert client.get("/audit").json() == [{"productId": 7, "changed": ["name"]}]


def test_the_background_task_has_not_run_when_the_body_goes_out(load_example):
    module = load_example(SLUG, "background_audit")
    seen = []

    async def watching(scope, receive, send):
        async def spy(message):
            if message["type"] == "http.response.body":
                seen.append(len(module.AUDIT_LOG))
            await send(message)

        await module.app(scope, receive, spy)

    TestClient(watching).patch("/products/3")
    assert seen == [0] and len(module.AUDIT_LOG) == 1


def test_a_failing_teardown_is_a_server_error_only_testclient_shows(load_example):
    module = load_example(SLUG, "yield_teardown")
    reply = TestClient(module.app, raise_server_exceptions=False).get("/orders")
    assert reply.status_code == 200 and reply.json() == {"session": "session-1", "orders": []}
    assert module.EVENTS == ["open", "close"]
    with pytest.raises(RuntimeError, match="could not close"):
        TestClient(module.app).get("/orders")


def test_a_real_client_gets_the_whole_200_when_teardown_raises(load_example, caplog):
    module = load_example(SLUG, "yield_teardown")
    with serve(module.app) as (host, port), caplog.at_level(logging.ERROR, logger="uvicorn.error"):
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", "/orders")
        reply = connection.getresponse()
        assert reply.status == 200
        assert reply.read() == b'{"session":"session-1","orders":[]}'
        connection.close()
    assert any("could not close" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_other_media_types_are_documented_next_to_json(load_example):
    module = load_example(SLUG, "other_media_types")
    client = TestClient(module.app)
    content = module.app.openapi()["paths"]["/products/{product_id}"]["get"]["responses"]["200"]["content"]
    assert set(content) == {"application/json", "image/png"}
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/Product"}
    picture = client.get("/products/1", params={"picture": True})
    assert picture.headers["content-type"] == "image/png" and picture.content.startswith(b"\x89PNG")
    assert client.get("/products/1").json() == {"id": 1, "name": "Desk lamp"}


def test_conditional_get(load_example):
    client = client_for(load_example, "conditional_get")
    first = client.get("/products/1")
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('"') and etag.endswith('"')
    for value in (etag, "*", f'"old", {etag}', f"W/{etag}"):
        again = client.get("/products/1", headers={"If-None-Match": value})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get("/products/1", headers={"If-None-Match": '"old"'}).status_code == 200
    assert client.get("/products/2").status_code == 404


def test_head_needs_its_own_route(load_example):
    from fastapi import FastAPI

    client = client_for(load_example, "conditional_get")
    head, get = client.head("/products/1"), client.get("/products/1")
    assert head.status_code == 200 and head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-type"] == get.headers["content-type"]
    plain = FastAPI()
    plain.get("/x")(lambda: {})
    assert TestClient(plain).head("/x").status_code == 405


def test_a_real_server_sends_no_body_for_head(load_example):
    module = load_example(SLUG, "conditional_get")
    with serve(module.app) as (host, port):
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("HEAD", "/products/1")
        reply = connection.getresponse()
        assert reply.status == 200 and reply.read() == b""
        assert int(reply.getheader("content-length")) > 0  # the GET's length, announced
        connection.close()


def test_conditional_patch(load_example):
    client = client_for(load_example, "conditional_patch")
    from hashlib import sha256

    etag = '"' + sha256(repr({"id": 1, "name": "Desk lamp"}).encode()).hexdigest()[:16] + '"'
    assert client.patch("/products/1", json={"name": "x"}, headers={"If-Match": f"W/{etag}"}).status_code == 412
    assert client.patch("/products/1", json={"name": "x"}, headers={"If-Match": '"stale"'}).status_code == 412
    done = client.patch("/products/1", json={"name": "Lamp"}, headers={"If-Match": f'"a", {etag}'})
    assert done.status_code == 200 and done.json() == {"id": 1, "name": "Lamp"}
    assert done.headers["etag"] != etag
    assert client.patch("/products/1", json={"name": "x"}, headers={"If-Match": etag}).status_code == 412
    assert client.patch("/products/1", json={"name": "Desk"}, headers={"If-Match": "*"}).status_code == 200
