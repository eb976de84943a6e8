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


# -- returning ORM objects (SQLAlchemy rows) ---------------------------------------


def test_orm_row_without_a_response_model_sends_every_loaded_column(load_example):
    import hashlib

    from fastapi.encoders import jsonable_encoder
    from sqlalchemy.orm import Session

    module = load_example(SLUG, "orm_leak")
    client = TestClient(module.app)
    leaky = client.get("/leaky/users/1").json()
    assert leaky == {
        "id": 1,
        "username": "ada",
        "email": "ada@x.org",
        "is_admin": False,
        "hashed_password": hashlib.sha256(b"course-salt:s3cret").hexdigest(),
    }
    # What FastAPI does with it: jsonable_encoder falls back to vars(row), minus SQLAlchemy's _sa_ keys.
    with Session(module.engine) as db:
        row = db.get(module.User, 1)
        assert "_sa_instance_state" in vars(row)
        assert jsonable_encoder(row) == {k: v for k, v in vars(row).items() if not k.startswith("_sa")} == leaky
        db.commit()  # expires the row: nothing loaded, nothing sent
        assert jsonable_encoder(row) == {}


def test_orm_row_after_commit_is_an_empty_200(load_example):
    client = TestClient(load_example(SLUG, "orm_leak").app)
    promoted = client.post("/leaky/users/1/promote")
    assert promoted.status_code == 200 and promoted.json() == {}
    assert client.get("/leaky/users/1").json()["is_admin"] is True  # the change was stored


def test_orm_row_through_a_response_model_sends_only_its_fields(load_example):
    app = load_example(SLUG, "orm_leak").app
    client = TestClient(app)
    client.post("/leaky/users/1/promote")  # an expired row is loaded again through the open session
    assert client.get("/users/1").json() == {"id": 1, "username": "ada", "email": "ada@x.org"}
    assert schema_properties(app, "/users/{user_id}") == {"id", "username", "email"}
    assert "hashed_password" not in str(app.openapi())


def test_orm_models_input_table_output(load_example):
    module = load_example(SLUG, "orm_models")
    client = TestClient(module.app)
    created = client.post("/users", json={"username": "ada", "email": "ada@example.com", "password": "s3cret"})
    assert created.status_code == 201
    assert created.json() == {"id": 1, "username": "ada", "email": "ada@example.com"}
    assert module.hash_password("s3cret") not in created.text and "s3cret" not in created.text
    client.post("/users", json={"username": "grace", "email": "grace@example.com", "password": "c0bol"})
    assert client.get("/users").json() == [
        {"id": 1, "username": "ada", "email": "ada@example.com"},
        {"id": 2, "username": "grace", "email": "grace@example.com"},
    ]
    export = client.get("/users/2/export")
    assert export.json() == {"id": 2, "username": "grace", "email": "grace@example.com"}
    assert export.headers["cache-control"] == "no-store"
    assert client.get("/users/99/export").status_code == 404
    assert schema_properties(module.app, "/users", "post", "201") == {"id", "username", "email"}


def test_model_validate_of_a_row_needs_from_attributes(load_example):
    """The page's claim: a response model reads attributes as it is; your own model_validate needs from_attributes."""
    import pydantic
    from sqlalchemy.orm import Session

    module = load_example(SLUG, "orm_leak")

    class Plain(pydantic.BaseModel):  # no from_attributes
        id: int

    with Session(module.engine) as db:
        row = db.get(module.User, 1)
        with pytest.raises(pydantic.ValidationError, match="valid dictionary or instance of Plain"):
            Plain.model_validate(row)
        assert Plain.model_validate(row, from_attributes=True).id == 1  # what FastAPI does for a response model
    assert load_example(SLUG, "orm_models").UserOut.model_config["from_attributes"] is True


def test_orm_row_of_a_closed_session_is_a_response_validation_error(load_example):
    """A row committed in a session the route closed: three get_attribute_errors, SQLAlchemy's error inside, a 500."""
    from fastapi.exceptions import ResponseValidationError

    module = load_example(SLUG, "orm_leak")
    reply = TestClient(module.app, raise_server_exceptions=False).post("/closed/users/1/promote")
    assert (reply.status_code, reply.headers["content-type"], reply.text) == (
        500,
        "text/plain; charset=utf-8",
        "Internal Server Error",
    )
    with pytest.raises(ResponseValidationError) as raised:
        TestClient(module.app).post("/closed/users/1/promote")
    errors = raised.value.errors()
    assert [(e["type"], e["loc"]) for e in errors] == [
        ("get_attribute_error", ("response", name)) for name in ("id", "username", "email")
    ]
    assert all(e["msg"].startswith("Error extracting attribute: DetachedInstanceError: ") for e in errors)
    assert all("is not bound to a Session" in e["ctx"]["error"] for e in errors)
    assert str(raised.value).startswith("3 validation errors:\n  {'type': 'get_attribute_error'")


def test_orm_row_of_a_closed_session_without_a_response_model_is_an_empty_200(load_example):
    reply = TestClient(load_example(SLUG, "orm_leak").app).post("/closed-leaky/users/1/promote")
    assert (reply.status_code, reply.json()) == (200, {})


def test_the_closed_session_500_in_uvicorns_log(load_example, caplog):
    """What the page shows from the log: 'Exception in ASGI application' and the ResponseValidationError."""
    import http.client
    import logging

    from fastapi.exceptions import ResponseValidationError
    from live_server import serve

    module = load_example(SLUG, "orm_leak")
    with serve(module.app) as (host, port), caplog.at_level(logging.ERROR, logger="uvicorn.error"):
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("POST", "/closed/users/1/promote")
        reply = connection.getresponse()
        assert (reply.status, reply.read()) == (500, b"Internal Server Error")
        connection.close()
    [record] = [record for record in caplog.records if record.exc_info]
    assert record.getMessage().strip() == "Exception in ASGI application"
    error = record.exc_info[1]
    assert isinstance(error, ResponseValidationError)
    assert str(error).count("'type': 'get_attribute_error'") == 3
    assert "DetachedInstanceError" in str(error)


def test_separate_models_never_hand_out_a_stored_id(load_example):
    module = load_example(SLUG, "separate_models")
    client = TestClient(module.app)
    for name in ("ada", "grace"):
        client.post("/users", json={"username": name, "email": f"{name}@example.com", "password": "pw"})
    del module.USERS[1]
    reply = client.post("/users", json={"username": "linus", "email": "l@example.com", "password": "pw"})
    assert reply.json()["id"] == 3
    assert module.USERS[2].username == "grace"  # len(USERS) + 1 would have overwritten grace


def test_an_instance_of_the_model_is_not_validated_again(client_for):
    client = client_for("not_revalidated")
    assert client.get("/from-dict").status_code == 500
    constructed = client.get("/constructed")
    assert (constructed.status_code, constructed.json()) == (200, {"id": 1, "username": "ada"})
    copied = client.get("/copied")
    assert (copied.status_code, copied.json()) == (200, {"id": 1, "username": "ada", "email": None})
    assert client.get("/checked").status_code == 500


def test_extra_forbid_turns_a_misspelled_key_into_a_422(client_for):
    client = client_for("extra_forbid")
    typo = {"username": "ada", "newsleter": True}
    loose = client.post("/loose", json=typo)
    assert (loose.status_code, loose.json()) == (200, {"username": "ada", "newsletter": False})
    strict = client.post("/strict", json=typo)
    assert strict.status_code == 422
    [error] = strict.json()["detail"]
    assert (error["type"], error["loc"]) == ("extra_forbidden", ["body", "newsleter"])
    assert client.post("/strict", json={"username": "ada", "newsletter": True}).status_code == 200


@pytest.mark.parametrize("path", ["/accounts", "/general-first"])
def test_union_response_model_sends_the_best_fit_in_either_order(client_for, path):
    client = client_for("union_response")
    assert client.get(f"{path}/1").json() == {"id": 1, "username": "ada"}
    assert client.get(f"{path}/2").json() == {"id": 2, "username": "root", "permissions": ["users:delete"]}


def test_union_response_model_is_documented_as_any_of(load_example):
    document = load_example(SLUG, "union_response").app.openapi()
    schema = document["paths"]["/accounts/{account_id}"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert [member["$ref"].rsplit("/", 1)[1] for member in schema["anyOf"]] == ["AdminOut", "UserOut"]


def test_a_union_tie_goes_to_the_first_member():
    from pydantic import BaseModel, TypeAdapter

    class Card(BaseModel):
        id: int
        username: str

    class Contact(BaseModel):
        id: int
        email: str

    record = {"id": 1, "username": "ada", "email": "a@example.com"}
    assert type(TypeAdapter(Card | Contact).validate_python(record)) is Card
    assert type(TypeAdapter(Contact | Card).validate_python(record)) is Contact


def test_dict_response_validates_each_value(client_for, load_example):
    client = client_for("dict_response")
    assert client.get("/prices").json() == {"EUR": 12.5, "USD": 13.0}
    assert client.get("/broken-prices").status_code == 500
    document = load_example(SLUG, "dict_response").app.openapi()
    schema = document["paths"]["/prices"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["additionalProperties"] == {"type": "number"}


def test_extra_forbid_on_an_output_model_turns_a_stored_record_into_a_500(load_example):
    from fastapi import FastAPI

    strict = load_example(SLUG, "extra_forbid").SignupStrict
    app = FastAPI()

    @app.get("/signup")
    def stored() -> strict:
        return {"username": "ada", "newsletter": True, "hashed_password": "h1"}

    class StoredSignup(strict):  # a stored record as a model: the hash is a declared field here
        hashed_password: str

    class Row:  # an ORM-like object: read attribute by attribute
        username, newsletter, hashed_password = "ada", True, "h1"

    @app.get("/signup-model", response_model=strict)
    def stored_model():
        return StoredSignup(username="ada", newsletter=True, hashed_password="h1")

    @app.get("/signup-row", response_model=strict)
    def stored_row():
        return Row()

    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/signup").status_code == 500  # a dict: the extra key is caught
    for path in ("/signup-model", "/signup-row"):  # an instance or a row: filtered, nothing caught
        assert client.get(path).json() == {"username": "ada", "newsletter": True}
