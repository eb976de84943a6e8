"""Lesson 03's docs examples do what the page says they do."""

import pytest
from fastapi.testclient import TestClient

SLUG = "03-field-filters"


@pytest.fixture
def client_for(load_example):
    def make(name: str) -> TestClient:
        return TestClient(load_example(SLUG, name).app)

    return make


def test_what_is_set(client_for):
    client = client_for("what_is_set")
    bare = client.post("/inspect", json={"username": "ada", "email": "a@x.io"}).json()
    assert bare["fields_set"] == ["email", "username"]
    explicit = client.post("/inspect", json={"username": "ada", "email": "a@x.io", "bio": None, "theme": "light"}).json()
    assert explicit["fields_set"] == ["bio", "email", "theme", "username"]
    assert explicit["exclude_unset"] == {"username": "ada", "email": "a@x.io", "bio": None, "theme": "light"}
    assert explicit["exclude_none"] == {"username": "ada", "email": "a@x.io", "theme": "light", "newsletter": False}
    assert explicit["exclude_defaults"] == {"username": "ada", "email": "a@x.io"}


def test_echo_what_was_sent(client_for):
    client = client_for("echo_what_was_sent")
    sent = {"username": "ada", "email": "a@x.io", "theme": "light", "bio": None}
    reply = client.post("/profiles", json=sent)
    assert reply.status_code == 201 and reply.json() == sent
    # The page shows the body in the order it goes out: the model's, not the client's.
    assert list(reply.json()) == ["username", "email", "bio", "theme"]
    everything = client.post("/profiles-as-dict", json=sent).json()
    assert everything == {**sent, "newsletter": False}


def test_three_filters(client_for):
    client = client_for("three_filters")
    assert client.get("/unset").json() == {"username": "ada", "email": "ada@example.com", "bio": None, "theme": "light"}
    assert client.get("/none").json() == {"username": "ada", "email": "ada@example.com", "theme": "light", "newsletter": False}
    assert client.get("/defaults").json() == {"username": "ada", "email": "ada@example.com"}


def test_card_models(client_for):
    client = client_for("card_models")
    assert client.get("/card-include").json() == client.get("/card").json() == {"username": "ada", "bio": None}
    document = client.app.openapi()
    schemas = document["components"]["schemas"]

    def properties(path):
        ref = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        return set(schemas[ref.rsplit("/", 1)[1]]["properties"])

    assert properties("/card-include") == {"username", "email", "bio", "theme"}
    assert properties("/card") == {"username", "bio"}


def test_partial_update(client_for):
    client = client_for("partial_update")
    reply = client.patch("/profiles/ada", json={"theme": "light"})
    assert reply.json() == {"username": "ada", "email": "ada@example.com", "bio": "Engines", "theme": "light", "newsletter": True}
    cleared = client.patch("/profiles/ada", json={"bio": None}).json()
    assert "bio" not in cleared and cleared["newsletter"] is True
    assert client.patch("/profiles/nobody", json={"bio": None}).status_code == 404


def test_broken_partial_update_resets_unsent_fields(load_example):
    module = load_example(SLUG, "partial_update")
    client = TestClient(module.app)
    client.patch("/broken/ada", json={"theme": "light"})
    stored = module.PROFILES["ada"]
    assert stored.theme == "light" and stored.bio is None and stored.newsletter is None and stored.email is None


def test_broken_partial_update_is_not_caught_by_the_response_model(client_for):
    reply = client_for("partial_update").patch("/broken/ada", json={"theme": "light"})
    assert (reply.status_code, reply.json()) == (200, {"username": "ada", "theme": "light"})


def test_partial_update_changes_deleted_at_and_refuses_an_undeclared_key(client_for):
    client = client_for("partial_update")
    deleted = client.patch("/profiles/ada", json={"deleted_at": "2026-03-14T08:00:00Z"})
    assert (deleted.status_code, deleted.json()["deleted_at"]) == (200, "2026-03-14T08:00:00Z")
    typo = client.patch("/profiles/ada", json={"delted_at": None})
    assert typo.status_code == 422
    assert typo.json()["detail"][0]["type"] == "extra_forbidden"


def test_broken_partial_update_wipes_every_unsent_field_to_none(load_example):
    """The pitfalls page's symptom: PATCH {"bio": "hi"} sets email, theme and newsletter to None, not to defaults."""
    module = load_example(SLUG, "partial_update")
    reply = TestClient(module.app).patch("/broken/ada", json={"bio": "hi"})
    assert (reply.status_code, reply.json()) == (200, {"username": "ada", "bio": "hi"})
    stored = module.PROFILES["ada"]
    assert (stored.email, stored.theme, stored.newsletter) == (None, None, None)
