"""The capstone page's examples do what the page says they do."""

import hashlib
import logging

import pytest
from starlette.testclient import TestClient

SLUG = "06-capstone"
SECRET_KEYS = {"password", "hashed_password", "internal_notes", "is_deleted"}


def client_for(module, **kwargs) -> TestClient:
    return TestClient(module.app, raise_server_exceptions=False, **kwargs)


def test_record_filter_leaks_without_a_response_model_and_strips_with_one(load_example):
    module = load_example(SLUG, "record_filter")
    client = client_for(module)
    leaky = client.get("/leaky/users/1").json()
    assert set(leaky) == {"id", "name", "email"} | SECRET_KEYS - {"password"}  # every column of the User row
    assert leaky["hashed_password"] == hashlib.sha256(b"capstone:engine").hexdigest()
    assert leaky["internal_notes"] == "asked for a refund twice"
    assert client.get("/users/1").json() == {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"}
    assert client.get("/users/99").status_code == 404
    assert client.get("/leaky/users/99").status_code == 404


def test_response_bypass_skips_the_filter_but_plain_values_are_filtered(load_example):
    client = client_for(load_example(SLUG, "response_bypass"))
    leaky = client.get("/leaky/users").json()
    assert [user["hashed_password"] for user in leaky] == ["5e1f…", "9c0a…"]
    assert [user["internal_notes"] for user in leaky] == ["VIP", ""]
    for path in ("/users", "/users/as-response"):
        reply = client.get(path)
        assert reply.status_code == 200
        assert [set(user) for user in reply.json()] == [{"id", "name", "email"}] * 2
    assert client.get("/users/as-response").headers["cache-control"] == "no-store"
    # The leaky route still *documents* UserOut: the schema says nothing about what it really sends.
    schema = client.get("/openapi.json").json()["paths"]["/leaky/users"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert schema["items"] == {"$ref": "#/components/schemas/UserOut"}


def test_a_row_is_not_json_so_a_json_response_needs_the_encoder(load_example):
    """The example's comment: JSONResponse cannot send a User row as it is (hence the jsonable_encoder shortcut)."""
    from fastapi.responses import JSONResponse
    from sqlalchemy.orm import Session

    module = load_example(SLUG, "response_bypass")
    with Session(module.engine) as db:
        with pytest.raises(TypeError, match="not JSON serializable"):
            JSONResponse(db.get(module.User, 1))


def test_create_answers_201_with_location_and_a_user_out(load_example):
    from sqlalchemy.orm import Session

    module = load_example(SLUG, "create_201")
    client = client_for(module)
    first = client.post("/users", json={"name": "Ada Lovelace", "email": "ada@example.com", "password": "s3cret"})
    second = client.post("/users", json={"name": "Alan Turing", "email": "alan@example.com", "password": "en1gma"})
    assert first.status_code == second.status_code == 201
    assert first.json() == {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"}
    assert first.headers["location"] == "/users/1" and second.headers["location"] == "/users/2"
    with Session(module.engine) as db:
        stored = db.get(module.User, 1).hashed_password
        assert stored == hashlib.sha256(b"capstone:s3cret").hexdigest()
        assert "s3cret" not in first.text and stored not in first.text
        db.delete(db.get(module.User, 2))  # the newest row goes
        db.commit()
    third = client.post("/users", json={"name": "Grace Hopper", "email": "grace@example.com", "password": "c0bol"})
    assert third.headers["location"] == "/users/3"  # AUTOINCREMENT: id 2 is not handed out again


def test_sqlite_without_autoincrement_hands_out_a_deleted_id_again():
    """The example's comment: a plain INTEGER PRIMARY KEY reuses the id of a deleted newest row."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

    class Base(DeclarativeBase):
        pass

    class Row(Base):
        __tablename__ = "rows"
        id: Mapped[int] = mapped_column(primary_key=True)

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as db:
        db.add_all([Row(), Row()])
        db.commit()
        db.delete(db.get(Row, 2))
        db.commit()
        again = Row()
        db.add(again)
        db.commit()
        assert again.id == 2


def test_not_found_placeholder_error_dict_returned_and_raised(load_example):
    client = client_for(load_example(SLUG, "not_found"))
    placeholder = client.get("/placeholder/users/42")
    assert placeholder.status_code == 200 and placeholder.json() == {"id": 42, "name": "", "email": ""}
    error_dict = client.get("/error-dict/users/42")
    assert error_dict.status_code == 200 and error_dict.json() == {"error": "User not found"}
    returned = client.get("/returned/users/42")
    assert returned.status_code == 500  # the returned exception fails validation against UserOut
    raised = client.get("/users/42")
    assert raised.status_code == 404 and raised.json() == {"detail": "User not found"}
    assert client.get("/users/1").json() == {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"}


def test_returned_http_exception_without_a_response_model_is_a_200(load_example):
    """The page's claim: without a response model, a returned HTTPException is serialised as a 200 body."""
    from fastapi import FastAPI, HTTPException

    app = FastAPI()

    @app.get("/users/{user_id}")
    def get_user(user_id: int):
        return HTTPException(status_code=404, detail="User not found")

    reply = TestClient(app).get("/users/7")
    assert reply.status_code == 200
    assert reply.json() == {"status_code": 404, "detail": "User not found", "headers": None}


def test_no_content_body_is_sent_from_a_response_object_only(load_example):
    module = load_example(SLUG, "no_content")
    client = client_for(module)
    leaky = client.delete("/leaky/users/1")
    assert leaky.status_code == 204 and leaky.content == b'{"deleted":1}'
    dropped = client.delete("/dropped/users/2")
    assert dropped.status_code == 204 and dropped.content == b""
    right = client.delete("/users/3")
    assert right.status_code == 204 and right.content == b""
    assert module.USERS == {}
    assert client.delete("/users/3").status_code == 404


def test_soft_delete_hides_the_user_everywhere(load_example):
    from sqlalchemy.orm import Session

    module = load_example(SLUG, "soft_delete")
    client = client_for(module)
    assert client.delete("/users/1").status_code == 204
    with Session(module.engine) as db:
        assert db.get(module.User, 1).is_deleted is True  # the row is still stored
    assert client.get("/users/1").status_code == 404
    assert client.delete("/users/1").status_code == 404
    assert client.get("/users").json() == [{"id": 2, "name": "Alan Turing", "email": "alan@example.com"}]


def test_login_token_and_401(load_example):
    module = load_example(SLUG, "login")
    client = client_for(module)
    good = client.post("/login", json={"email": "ada@example.com", "password": "analytical-engine"})
    assert good.status_code == 200 and set(good.json()) == {"token"}
    token = good.json()["token"]
    assert module.TOKENS[token] == 1
    assert token != module.USERS[1]["hashed_password"] and "analytical" not in token
    wrong_password = client.post("/login", json={"email": "ada@example.com", "password": "nope"})
    unknown_email = client.post("/login", json={"email": "bob@example.com", "password": "analytical-engine"})
    for reply in (wrong_password, unknown_email):
        assert reply.status_code == 401
        assert reply.headers["www-authenticate"] == "Bearer"
        assert reply.json() == {"detail": "Wrong email or password"}
        assert module.USERS[1]["hashed_password"] not in reply.text


def test_catch_all_hides_the_error_logs_it_and_starlette_reraises(load_example, caplog):
    module = load_example(SLUG, "catch_all")
    with caplog.at_level(logging.ERROR, logger="users"):
        reply = client_for(module).get("/users/2/initials")
    assert reply.status_code == 500
    assert reply.json() == {"detail": "Internal server error"}
    assert "ValueError" not in reply.text and "Traceback" not in reply.text
    assert "unhandled ValueError on GET /users/2/initials" in caplog.text
    assert client_for(module).get("/users/1/initials").json() == {"initials": "AL"}
    assert client_for(module).get("/users/9/initials").status_code == 404
    # After the handler answers, Starlette re-raises: the server (here the test client) still sees the error.
    with pytest.raises(ValueError):
        TestClient(module.app).get("/users/2/initials")


def test_debug_true_sends_the_traceback_instead_of_calling_the_handler(load_example):
    module = load_example(SLUG, "catch_all")
    module.app.debug = True
    reply = client_for(module).get("/users/2/initials")
    assert reply.status_code == 500
    assert "Traceback" in reply.text and "ValueError" in reply.text
    assert reply.headers["content-type"].startswith("text/plain")


def test_starlette_default_500_is_plain_text():
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/boom")
    def boom():
        raise ValueError("internal detail")

    reply = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert reply.status_code == 500
    assert reply.text == "Internal Server Error" and reply.headers["content-type"].startswith("text/plain")


def property_names(document: dict, path: str) -> set[str]:
    schema = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[1]
    return set(document["components"]["schemas"][name]["properties"])


def test_openapi_include_filters_the_body_but_documents_the_record(load_example):
    client = client_for(load_example(SLUG, "openapi_schema"))
    assert (
        client.get("/leaky/users/1").json()
        == client.get("/users/1").json()
        == {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"}
    )
    document = client.get("/openapi.json").json()
    assert {"hashed_password", "internal_notes", "is_deleted"} <= property_names(document, "/leaky/users/{user_id}")
    assert property_names(document, "/users/{user_id}") == {"id", "name", "email"}


def test_response_model_wins_over_the_return_annotation():
    """No double validation: with both given, only response_model validates, filters and documents."""
    from fastapi import FastAPI
    from pydantic import BaseModel

    class UserOut(BaseModel):
        id: int
        name: str

    class UserRecord(UserOut):
        hashed_password: str

    app = FastAPI()

    @app.get("/users/1", response_model=UserOut)
    def get_user() -> UserRecord:  # this dict lacks hashed_password: validating it against UserRecord would fail
        return {"id": 1, "name": "Ada", "extra": "dropped"}

    reply = TestClient(app).get("/users/1")
    assert reply.status_code == 200 and reply.json() == {"id": 1, "name": "Ada"}
    schema = app.openapi()["paths"]["/users/1"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/UserOut"}


def test_the_422_constant_has_a_new_name():
    import warnings

    from fastapi import status

    assert status.HTTP_422_UNPROCESSABLE_CONTENT == 422
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert status.HTTP_422_UNPROCESSABLE_ENTITY == 422
    assert any("HTTP_422_UNPROCESSABLE_CONTENT" in str(w.message) for w in caught)


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "ada@example.com", "password": "analytical-engine"},
        {"email": "ada@example.com", "password": "nope"},
        {"email": "bob@example.com", "password": "analytical-engine"},
    ],
    ids=["good", "wrong-password", "unknown-email"],
)
def test_login_hashes_and_compares_once_whatever_the_email(load_example, monkeypatch, credentials):
    """No timing oracle: an unknown email costs the same hash and constant-time comparison as a wrong password."""
    import secrets

    module = load_example(SLUG, "login")
    calls = {"hash": 0, "compare": 0}
    hash_password, compare_digest = module.hash_password, secrets.compare_digest

    def counted_hash(password):
        calls["hash"] += 1
        return hash_password(password)

    def counted_compare(a, b):
        calls["compare"] += 1
        return compare_digest(a, b)

    monkeypatch.setattr(module, "hash_password", counted_hash)
    monkeypatch.setattr(secrets, "compare_digest", counted_compare)
    reply = client_for(module).post("/login", json=credentials)
    assert reply.status_code == (
        200 if credentials["password"] == "analytical-engine" and "ada" in credentials["email"] else 401
    )
    assert calls == {"hash": 1, "compare": 1}


def test_login_never_matches_the_unknown_email_stand_in(load_example):
    """The stand-in hash an unknown email is compared with cannot let anyone in, whatever the password."""
    module = load_example(SLUG, "login")
    client = client_for(module)
    for password in ("", "analytical-engine", module.NO_SUCH_HASH):
        assert client.post("/login", json={"email": "nobody@example.com", "password": password}).status_code == 401
