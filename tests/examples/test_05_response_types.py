"""The lesson 05 (response-types) examples do what the docs page says they do."""

import http.client
import logging

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient
from live_server import serve

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
    raised = client.get("/raised/1")  # the exception handler builds a new response
    assert raised.status_code == 404
    assert "x-views" not in raised.headers


def test_a_cookie_set_on_the_parameter_is_lost_when_the_route_raises():
    from fastapi import FastAPI, HTTPException, Response

    app = FastAPI()

    @app.get("/raised")
    def raised(response: Response) -> dict:
        response.set_cookie("seen", "1")
        raise HTTPException(404, headers={"X-Kept": "yes"})

    reply = TestClient(app).get("/raised")
    assert reply.status_code == 404
    assert "set-cookie" not in reply.headers
    assert reply.headers["x-kept"] == "yes"  # what HTTPException(headers=...) carries does go out


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


def test_only_response_class_documents_the_redirect_in_openapi(load_example):
    paths = load_example(SLUG, "redirects").app.openapi()["paths"]
    for returned in ("/old/{article_id}", "/blog/{article_id}"):
        responses = paths[returned]["get"]["responses"]
        assert responses["200"]["content"] == {"application/json": {"schema": {}}}
        assert not {"307", "308"} & set(responses)
    declared = paths["/posts/{article_id}"]["get"]["responses"]
    assert "200" not in declared
    assert declared["308"] == {"description": "Successful Response"}  # no body documented


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


def test_a_stream_that_fails_after_starting_leaves_a_real_client_an_incomplete_body(load_example, caplog):
    module = load_example(SLUG, "csv_download")
    with serve(module.app) as (host, port), caplog.at_level(logging.ERROR, logger="uvicorn.error"):
        good = http.client.HTTPConnection(host, port, timeout=10)
        good.request("GET", "/tables/fruit.csv")
        reply = good.getresponse()
        assert reply.getheader("transfer-encoding") == "chunked"
        assert reply.read() == b'name,price\r\napple,3\r\n"pear, ripe",5\r\n'
        good.close()

        late = http.client.HTTPConnection(host, port, timeout=10)
        late.request("GET", "/too-late/nope.csv")
        reply = late.getresponse()
        assert reply.status == 200  # on the wire before the generator ran
        with pytest.raises(http.client.IncompleteRead):
            reply.read()
        late.close()

        import httpx

        with httpx.stream("GET", f"http://{host}:{port}/too-late/nope.csv") as streamed:
            assert streamed.status_code == 200  # what httpx's client sees first
            with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
                streamed.read()
    assert any("response already started" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)


def test_streaming_and_redirect_responses_send_no_media_type_of_their_own():
    from fastapi import FastAPI
    from fastapi.responses import RedirectResponse, StreamingResponse

    app = FastAPI()

    @app.get("/stream")
    def stream():
        return StreamingResponse(iter(["a,b\r\n"]))

    @app.get("/redirect")
    def redirect():
        return RedirectResponse("/stream")

    client = TestClient(app, follow_redirects=False)
    assert "content-type" not in client.get("/stream").headers
    assert "content-type" not in client.get("/redirect").headers


def test_openapi_shows_response_class_but_not_a_returned_response(load_example):
    document = load_example(SLUG, "openapi_media").app.openapi()
    returned = document["paths"]["/returned"]["get"]["responses"]["200"]["content"]
    declared = document["paths"]["/declared"]["get"]["responses"]["200"]["content"]
    assert returned == {"application/json": {"schema": {}}}
    assert declared == {"text/plain": {"schema": {"type": "string"}}}
    client = client_for(load_example, "openapi_media")
    for path in ("/returned", "/declared"):
        reply = client.get(path)
        assert (reply.text, reply.headers["content-type"]) == ("ok", "text/plain; charset=utf-8")


def test_a_return_model_is_serialised_by_pydantic_not_json_response(load_example, monkeypatch):
    from fastapi.responses import JSONResponse

    rendered = []
    original = JSONResponse.render
    monkeypatch.setattr(
        JSONResponse, "render", lambda self, content: rendered.append(content) or original(self, content)
    )
    client = client_for(load_example, "serialisation")
    assert client.get("/fast").content == b'{"id":1,"title":"Fruit"}'
    assert rendered == []
    assert client.get("/pretty").content == b'{\n  "id": 1,\n  "title": "Fruit"\n}'
    assert client.get("/untyped").json() == {"id": 1, "title": "Fruit", "owner": "ada"}
    assert rendered[-1] == {"id": 1, "title": "Fruit", "owner": "ada"}


def test_cookies_set_on_the_parameter_or_the_returned_response_and_deleted(load_example):
    client = client_for(load_example, "cookies")
    [cookie] = client.post("/login").headers.get_list("set-cookie")
    assert cookie.startswith("session=s3cr3t-session-id;")
    assert {"HttpOnly", "Secure", "SameSite=strict", "Max-Age=3600"} <= {part.strip() for part in cookie.split(";")}
    [returned] = client.post("/login-returned").headers.get_list("set-cookie")
    assert {"HttpOnly", "Secure", "SameSite=strict"} <= {part.strip() for part in returned.split(";")}
    [deleted] = client.post("/logout").headers.get_list("set-cookie")
    assert deleted.startswith('session="";') and "Max-Age=0" in deleted


def test_file_response_is_a_full_download(load_example):
    client = client_for(load_example, "file_download")
    reply = client.get("/downloads/fruit")
    assert reply.status_code == 200
    assert reply.content == b'name,price\r\napple,3\r\n"pear, ripe",5\r\n'
    assert reply.headers["content-type"] == "text/csv; charset=utf-8"
    assert reply.headers["content-disposition"] == 'attachment; filename="fruit.csv"'
    assert reply.headers["content-length"] == str(len(reply.content))
    assert {"etag", "last-modified", "accept-ranges"} <= set(reply.headers)
    assert client.get("/downloads/nope").status_code == 404
    assert client.get("/downloads/..%2Fcookies.py").status_code == 404


def test_file_response_ignores_conditional_requests_static_files_answer_304(load_example):
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    module = load_example(SLUG, "file_download")
    client = TestClient(module.app)
    first = client.get("/downloads/fruit")
    for condition in ({"If-None-Match": first.headers["etag"]}, {"If-Modified-Since": first.headers["last-modified"]}):
        again = client.get("/downloads/fruit", headers=condition)
        assert (again.status_code, again.content) == (200, first.content)  # the whole file again
    part = client.get("/downloads/fruit", headers={"Range": "bytes=0-3"})
    assert (part.status_code, part.content) == (206, b"name")

    static = FastAPI()
    static.mount("/static", StaticFiles(directory=module.FILES))
    static_client = TestClient(static)
    etag = static_client.get("/static/fruit.csv").headers["etag"]
    cached = static_client.get("/static/fruit.csv", headers={"If-None-Match": etag})
    assert (cached.status_code, cached.content) == (304, b"")


def test_a_get_route_answers_head_with_405_unless_it_declares_head(load_example):
    from fastapi import FastAPI

    client = client_for(load_example, "file_download")
    head = client.head("/downloads/fruit")
    assert head.status_code == 405
    assert head.headers["allow"] == "GET"

    app = FastAPI()

    @app.api_route("/size", methods=["GET", "HEAD"])
    def size() -> dict:
        return {"bytes": 37}

    both = TestClient(app).head("/size")
    assert (both.status_code, both.content) == (200, b"")
    assert both.headers["content-length"] == str(len(b'{"bytes":37}'))


def test_cors_exposes_the_headers_a_script_needs(load_example):
    client = client_for(load_example, "cors_expose")
    reply = client.post("/reports", headers={"Origin": "https://app.example"})
    assert reply.headers["access-control-allow-origin"] == "https://app.example"
    exposed = {name.strip().lower() for name in reply.headers["access-control-expose-headers"].split(",")}
    assert exposed == {"location", "retry-after", "x-cache", "content-disposition"}
    assert reply.headers["location"] == "/reports/7"
    other = client.post("/reports", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    # the list of exposed names goes to a disallowed origin too; only Allow-Origin is withheld
    assert other.headers["access-control-expose-headers"] == reply.headers["access-control-expose-headers"]
    assert "access-control-expose-headers" not in client.post("/reports").headers  # no Origin, no CORS headers
    preflight = client.options(
        "/reports",
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200


def test_a_generator_route_streams_json_lines_filtered_by_the_item_type(load_example):
    client = client_for(load_example, "json_lines")
    reply = client.get("/stations/house/readings.jsonl")
    assert reply.headers["content-type"] == "application/jsonl"
    assert reply.text == '{"sensor":"attic","celsius":21.5}\n{"sensor":"cellar","celsius":12.0}\n'
    document = client.app.openapi()
    assert document["paths"]["/stations/{station}/readings.jsonl"]["get"]["responses"]["200"]["content"] == {
        "application/jsonl": {"itemSchema": {"$ref": "#/components/schemas/Reading"}}
    }


def test_event_source_response_streams_server_sent_events_with_its_headers(load_example):
    reply = client_for(load_example, "json_lines").get("/stations/house/events")
    assert reply.headers["content-type"].startswith("text/event-stream")
    assert reply.headers["cache-control"] == "no-cache"
    assert reply.headers["x-accel-buffering"] == "no"
    assert reply.text == 'data: {"sensor":"attic","celsius":21.5}\n\ndata: {"sensor":"cellar","celsius":12.0}\n\n'


@pytest.mark.parametrize("path", ["/stations/nowhere/readings.jsonl", "/stations/nowhere/events"])
def test_a_lookup_in_a_dependency_is_a_real_404_before_streaming(load_example, path):
    reply = client_for(load_example, "json_lines").get(path)
    assert reply.status_code == 404
    assert reply.headers["content-type"] == "application/json"
    assert reply.json() == {"detail": "No such station"}


def test_a_lookup_before_the_first_yield_runs_after_the_response_started(load_example):
    client = client_for(load_example, "json_lines")
    assert client.get("/too-late/house/readings.jsonl").text.count("\n") == 2  # a known station streams
    with pytest.raises(RuntimeError, match="response already started"):
        client.get("/too-late/nowhere/readings.jsonl")


def sse_looked_up_too_late():
    """The SSE twin of json_lines.py's /too-late route."""
    from collections.abc import Iterator

    from fastapi import FastAPI, HTTPException
    from fastapi.sse import EventSourceResponse

    module_app = FastAPI()

    @module_app.get("/too-late/{station}/events", response_class=EventSourceResponse)
    def too_late(station: str) -> Iterator[dict]:
        if station != "house":
            raise HTTPException(404, detail="No such station")
        yield {"sensor": "attic"}

    return module_app


def test_a_lookup_in_a_generator_gives_a_real_client_a_200_on_uvicorn(load_example, caplog):
    """JSON Lines: 200 and a chunked body that never ends; SSE: 200 and a clean empty body. Both log the error."""
    module = load_example(SLUG, "json_lines")
    with serve(module.app) as (host, port), caplog.at_level(logging.ERROR, logger="uvicorn.error"):
        right = http.client.HTTPConnection(host, port, timeout=10)
        right.request("GET", "/stations/nowhere/readings.jsonl")
        reply = right.getresponse()
        assert (reply.status, reply.read()) == (404, b'{"detail":"No such station"}')
        right.close()

        late = http.client.HTTPConnection(host, port, timeout=10)
        late.request("GET", "/too-late/nowhere/readings.jsonl")
        reply = late.getresponse()
        assert reply.status == 200
        assert reply.getheader("content-type") == "application/jsonl"
        with pytest.raises(http.client.IncompleteRead):
            reply.read()
        late.close()
    assert any("response already started" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)

    with pytest.RaisesGroup(HTTPException):  # TestClient raises it too
        TestClient(sse_looked_up_too_late()).get("/too-late/nowhere/events")

    caplog.clear()
    with serve(sse_looked_up_too_late()) as (host, port), caplog.at_level(logging.ERROR, logger="uvicorn.error"):
        events = http.client.HTTPConnection(host, port, timeout=10)
        events.request("GET", "/too-late/nowhere/events")
        reply = events.getresponse()
        assert reply.status == 200
        assert reply.getheader("content-type").startswith("text/event-stream")
        assert reply.getheader("transfer-encoding") == "chunked"
        assert reply.read() == b""  # the chunked body is properly ended: nothing tells it from "no readings"
        events.close()
    assert any(record.exc_info for record in caplog.records)


def test_an_idle_event_stream_sends_a_keep_alive_comment(monkeypatch):
    from collections.abc import AsyncIterator

    import anyio
    import fastapi.routing
    import fastapi.sse
    from fastapi import FastAPI
    from fastapi.sse import EventSourceResponse

    assert fastapi.sse._PING_INTERVAL == 15.0  # the 15 seconds the page gives
    monkeypatch.setattr(fastapi.routing, "_PING_INTERVAL", 0.02)
    app = FastAPI()

    @app.get("/slow", response_class=EventSourceResponse)
    async def slow() -> AsyncIterator[dict]:
        yield {"n": 1}
        await anyio.sleep(0.5)
        yield {"n": 2}

    text = TestClient(app).get("/slow").text
    assert text.startswith('data: {"n":1}\n\n: ping\n\n')
    assert text.endswith('data: {"n":2}\n\n')


def test_file_response_guesses_the_media_type_from_the_name(load_example):
    from fastapi import FastAPI
    from fastapi.responses import FileResponse

    module = load_example(SLUG, "file_download")
    app = FastAPI()

    @app.get("/guessed")
    def guessed():
        return FileResponse(module.DOWNLOADS["fruit"])

    assert TestClient(app).get("/guessed").headers["content-type"].startswith("text/csv")
