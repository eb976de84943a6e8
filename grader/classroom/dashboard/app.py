"""The dashboard as a read-only FastAPI app: GET pages and downloads, nothing else.

Security: a strict Content-Security-Policy on every response (scripts and styles
only from files it serves, none inline); on loopback the Host header must name
loopback (a DNS-rebinding page cannot read grades); beyond loopback every request
carries the token, in the URL the command prints or in the cookie set from it.
"""

from __future__ import annotations

import secrets
import threading

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from grader.classroom.dashboard.pages import DOWNLOADS, HEADER_CSP, STATIC, Site

COOKIE = "grader_dashboard"
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
HEADERS = {
    "Content-Security-Policy": HEADER_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",  # grades: never kept by a shared cache
}


def create_app(site: Site, token: str | None = None, loopback: bool = True) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    lock = threading.Lock()  # one render at a time: the site caches what it read

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if request.method not in ("GET", "HEAD"):
            return Response("read-only", status_code=405, headers=HEADERS)
        given = request.query_params.get("token") or request.cookies.get(COOKIE) or ""
        if token is not None and not secrets.compare_digest(given.encode(), token.encode()):
            return Response("This dashboard needs its token: open the URL `grader dashboard` printed.", 401, HEADERS)
        response = await call_next(request)
        response.headers.update(HEADERS)
        if token is not None and request.query_params.get("token"):
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return response

    if loopback:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=LOOPBACK_HOSTS)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def page(name: str) -> HTMLResponse:
        with lock:
            html = site.page(name)
        if html is None:
            raise HTTPException(404, "No such page")
        return HTMLResponse(html)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("index.html")

    @app.get("/export/{name}")
    def download(name: str) -> Response:
        with lock:
            body = site.download(name)
        if body is None:
            raise HTTPException(404, "No such download")
        return Response(
            body, media_type=DOWNLOADS[name], headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    @app.get("/{name}")
    def any_page(name: str) -> HTMLResponse:
        return page(name)

    return app
