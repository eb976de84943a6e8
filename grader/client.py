"""TestClient-like clients that checks drive, and the transcript they keep.

`SandboxClient` forwards each request to the worker process (the trusted
path, used by `grader check`). `LocalClient` wraps Starlette's TestClient in
the current process (the in-notebook self-check and nbgrader's kernel).
Both record every exchange for the leak scan.
"""

from __future__ import annotations

import json as jsonlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from httpx2 import Headers

from grader.safetext import CAPS, clean, safe
from grader.sandbox.runner import Sandbox, SandboxError


class AppUnavailable(Exception):
    """The app could not answer a request (hung, crashed); the check fails with this message."""


@dataclass
class Reply:
    method: str
    path: str
    status_code: int
    headers: Headers
    content: bytes
    sent_json: Any = None

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return jsonlib.loads(self.content)

    @property
    def request_line(self) -> str:
        return f"{self.method} {self.path}"

    def body_excerpt(self) -> str:
        if not self.content:
            return "(empty body)"
        limit = CAPS["excerpt"]
        if len(self.content) <= 4 * limit:  # a character is at most 4 bytes: small enough to decode whole
            return safe(self.text, "excerpt")
        shown = self.content[: 4 * limit].decode("utf-8", "replace")[:limit]  # never decode a 4 MB body for this
        return clean(shown) + f"… (cut, {len(self.content) - len(shown.encode())} more bytes)"

    def summary(self, header: str | None = None) -> str:
        """`200, body {"id": 1}` (plus one header when it matters), for feedback."""
        parts = [str(self.status_code)]
        if header:
            value = self.headers.get(header)
            parts.append(f"{header}: {safe(value, 'header')}" if value is not None else f"no {header} header")
        parts.append(f"body {self.body_excerpt()}")
        return ", ".join(parts)


@dataclass
class Exchange:
    reply: Reply
    scan: bool = True  # False: a response the lesson excludes from the leak rule (FastAPI's own 422)
    label: str = ""


@dataclass
class BaseClient:
    transcript: list[Exchange] = field(default_factory=list)

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict | None = None,
        headers: dict | None = None,
        content: bytes | None = None,
        leak_scan: bool = True,
    ) -> Reply:
        url = path + ("?" + urlencode(params, doseq=True) if params else "")
        send_headers = dict(headers or {})
        body = b""
        if json is not None:
            body = jsonlib.dumps(json).encode()
            send_headers.setdefault("content-type", "application/json")
        elif content is not None:
            body = content
        status, header_list, data = self._send(method.upper(), url, send_headers, body)
        reply = Reply(method.upper(), url, status, Headers(header_list), data, sent_json=json)
        self.transcript.append(Exchange(reply, scan=leak_scan))
        return reply

    def _send(self, method: str, url: str, headers: dict, body: bytes) -> tuple[int, list, bytes]:
        raise NotImplementedError

    def openapi(self) -> dict:
        raise NotImplementedError

    def routes(self) -> list[tuple[str, str]] | None:
        """(METHOD, path template) for each route the app serves (`grader.sandbox.routes`); None when unknown."""
        return None

    def fault(self, helper: str, exception: str = "", message: str = "", clear: bool = False) -> bool:
        """Make the app's module-level `helper` raise a fresh `exception` class (see `grader.faults`);
        False when that cannot be done, and the check falls back to what it did without."""
        return False

    def get(self, path: str, **kw) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw) -> Reply:
        return self.request("POST", path, **kw)

    def put(self, path: str, **kw) -> Reply:
        return self.request("PUT", path, **kw)

    def patch(self, path: str, **kw) -> Reply:
        return self.request("PATCH", path, **kw)

    def delete(self, path: str, **kw) -> Reply:
        return self.request("DELETE", path, **kw)


class SandboxClient(BaseClient):
    def __init__(self, sandbox: Sandbox, routes: list[tuple[str, str]] | None = None):
        super().__init__()
        self.sandbox = sandbox
        self._routes = routes  # from the worker's load report, checked by grader.sandbox.replies

    def routes(self):
        return self._routes

    def _send(self, method, url, headers, body):
        if not self.sandbox.alive:
            raise AppUnavailable(f"{method} {url}: not sent, the app is not running")
        try:
            return self.sandbox.request(method, url, headers, body)
        except SandboxError as exc:
            raise AppUnavailable(f"{method} {url}: {exc}") from None

    def openapi(self) -> dict:
        try:
            return self.sandbox.openapi()
        except SandboxError as exc:
            raise AppUnavailable(f"OpenAPI document: {exc}") from None

    def fault(self, helper, exception="", message="", clear=False):
        try:
            return self.sandbox.fault(helper, exception, message, clear)
        except SandboxError as exc:
            if not self.sandbox.alive:
                raise AppUnavailable(f"fault injection: {exc}") from None
            return False


class LocalClient(BaseClient):
    """In-process client for the notebook self-check: no isolation, by nature."""

    def __init__(self, app):
        super().__init__()
        from starlette.testclient import TestClient

        self.app = app
        self._faults: list = []
        self.client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
        self.client.__enter__()

    def _send(self, method, url, headers, body):
        try:
            response = self.client.request(method, url, headers=headers, content=body)
        except Exception as exc:  # noqa: BLE001 - an app that is not ASGI, a broken lifespan...
            raise AppUnavailable(f"{method} {url}: {type(exc).__name__}: {exc}") from None
        return response.status_code, list(response.headers.multi_items()), response.content

    def openapi(self) -> dict:
        try:
            return self.app.openapi()
        except Exception as exc:  # noqa: BLE001
            raise AppUnavailable(f"OpenAPI document: {type(exc).__name__}: {exc}") from None

    def routes(self):
        from grader.sandbox import routes

        return [(method, path) for method, path in routes.table(self.app)]

    def fault(self, helper, exception="", message="", clear=False):
        from grader.sandbox import faults

        request = {"helper": helper, "clear": clear, "exception": exception, "message": message}
        return faults.handle(self.app, request, self._faults).get("armed") is True

    def close(self) -> None:
        try:
            self.client.__exit__(None, None, None)
        except Exception:  # noqa: BLE001
            pass
