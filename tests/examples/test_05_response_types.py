"""The lesson 05 (response-types) examples do what the docs page says they do."""

import pytest
from fastapi.testclient import TestClient

SLUG = "05-response-types"


def client_for(load_example, name: str, **kwargs) -> TestClient:
    return TestClient(load_example(SLUG, name).app, **kwargs)


def test_a_returned_str_is_a_json_string(load_example):
    reply = client_for(load_example, "plain_text").get("/json-string")
    assert reply.headers["content-type"] == "application/json"
    assert reply.content == b'"ok"'


@pytest.mark.parametrize(("path", "body"), [("/ping", b"ok"), ("/version", b"1.4.2")])
def test_plain_text_response(load_example, path, body):
    reply = client_for(load_example, "plain_text").get(path)
    assert reply.headers["content-type"] == "text/plain; charset=utf-8"
    assert reply.content == body


def test_html_response_escapes_and_documents_text_html(load_example):
    module = load_example(SLUG, "html_page")
    reply = TestClient(module.app).get("/posts/1")
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Fish &amp; chips &lt;3</h1>" in reply.text
    assert "text/html" in module.app.openapi()["paths"]["/posts/{post_id}"]["get"]["responses"]["200"]["content"]


def test_html_route_errors_stay_json(load_example):
    reply = client_for(load_example, "html_page").get("/posts/9")
    assert reply.status_code == 404
    assert reply.json() == {"detail": "Post not found"}


def test_response_parameter_headers(load_example):
    client = client_for(load_example, "custom_headers")
    assert client.get("/pages/1").headers["x-views"] == "1"
    assert client.get("/pages/1").headers["x-views"] == "2"
    assert "x-views" not in client.get("/lost/1").headers  # a returned Response replaces the parameter's
    assert client.get("/kept/1").headers["x-views"] == "1"


def test_csv_download_is_streamed_with_disposition(load_example):
    reply = client_for(load_example, "csv_download").get("/tables/fruit.csv")
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "text/csv; charset=utf-8"
    assert reply.headers["content-disposition"] == 'attachment; filename="fruit.csv"'
    assert "content-length" not in reply.headers
    assert reply.text == 'name,price\r\napple,3\r\n"pear, ripe",5\r\n'


def test_csv_unknown_is_a_real_404(load_example):
    reply = client_for(load_example, "csv_download").get("/tables/nope.csv")
    assert reply.status_code == 404
    assert reply.json() == {"detail": "No such table"}


def test_error_inside_the_stream_comes_too_late(load_example):
    client = client_for(load_example, "csv_download", raise_server_exceptions=False)
    reply = client.get("/too-late/nope.csv")
    assert reply.status_code == 200
    assert reply.content == b""
    with pytest.raises(RuntimeError, match="response already started"):
        client_for(load_example, "csv_download").get("/too-late/nope.csv")


@pytest.mark.parametrize(("path", "status"), [("/old/7", 307), ("/blog/7", 308), ("/posts/7", 308)])
def test_redirect_status_codes(load_example, path, status):
    reply = client_for(load_example, "redirects", follow_redirects=False).get(path)
    assert reply.status_code == status
    assert reply.headers["location"] == "/articles/7"


def test_testclient_follows_redirects_by_default(load_example):
    reply = client_for(load_example, "redirects").get("/blog/7")
    assert reply.status_code == 200
    assert reply.json() == {"id": 7}
    assert [r.status_code for r in reply.history] == [308]


def test_lifespan_runs_only_inside_with(load_example):
    app = load_example(SLUG, "lifespan_testclient").app
    assert TestClient(app).get("/greeting").json() == {"greeting": None}
    with TestClient(app) as client:
        assert client.get("/greeting").json() == {"greeting": "hello"}
    assert app.state.greeting is None  # shutdown ran when the block ended
