"""What lesson 05 says about CORS, in a real browser: a script on another origin
reads `Location` and `X-Cache` only when the API lists them in `expose_headers`.

Two uvicorn servers on 127.0.0.1, each on a free port, so two origins: one
serves the calling page, the other the lesson's API. Debian's
/usr/bin/chromium, never a downloaded browser; skips without it.
"""

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

import chromium
from live_server import serve

if not chromium.CHROMIUM.exists():
    pytest.skip(chromium.MISSING, allow_module_level=True)

READ_HEADERS = """async (url) => {
    const reply = await fetch(url, {method: "POST"});
    return [reply.status, reply.headers.get("location"), reply.headers.get("x-cache")];
}"""

page_app = FastAPI()


@page_app.get("/", response_class=HTMLResponse)
def calling_page() -> str:
    return "<!doctype html><title>another origin</title>"


def allow_only(app, origin: str, expose: bool):
    """The lesson's CORS settings, for the test page's origin; without `expose_headers` if asked."""
    [middleware] = app.user_middleware
    middleware.kwargs["allow_origins"] = [origin]
    if not expose:
        del middleware.kwargs["expose_headers"]


@pytest.mark.parametrize(("expose", "seen"), [(True, ["/reports/7", "MISS"]), (False, [None, None])])
def test_a_script_reads_only_the_exposed_headers(load_example, expose, seen):
    api = load_example("05-response-types", "cors_expose").app
    with serve(page_app) as (host, page_port):
        origin = f"http://{host}:{page_port}"
        allow_only(api, origin, expose)
        with serve(api) as (_, api_port), chromium.launched() as browser:
            page = browser.new_page()
            page.goto(f"{origin}/")
            status, location, cache = page.evaluate(READ_HEADERS, f"http://{host}:{api_port}/reports")
    assert status == 201
    assert [location, cache] == seen
