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

from grader import content_coding
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
    watched: int | None = None  # the length of the watched starter list as the final body was sent (`watch=`)

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
    watched: int | None = None  # set by `_send` when asked to watch

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
        watch: str | None = None,
    ) -> Reply:
        """`watch="AUDIT_LOG"`: also report how long the app's starter list of that name was as the response's
        final body was sent (`Reply.watched`; None when the app has no such list), before any background task."""
        url = path + ("?" + urlencode(params, doseq=True) if params else "")
        send_headers = dict(headers or {})
        body = b""
        if json is not None:
            body = jsonlib.dumps(json).encode()
            send_headers.setdefault("content-type", "application/json")
        elif content is not None:
            body = content
        self.watched = None
        status, header_list, data = self._send(method.upper(), url, send_headers, body, watch)
        reply = Reply(method.upper(), url, status, Headers(header_list), data, sent_json=json, watched=self.watched)
        self.transcript.append(Exchange(reply, scan=leak_scan))
        return reply

    def _send(
        self, method: str, url: str, headers: dict, body: bytes, watch: str | None = None
    ) -> tuple[int, list, bytes]:
        """Send one request; with `watch`, set `self.watched`."""
        raise NotImplementedError

    def seed(self, name: str, key: int, record: dict) -> bool:
        """Add `record` under `key` to the app's module-level starter dict `name` (the contract lets the grader
        add data between requests); False when the app has no such dict."""
        return False

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

    def head(self, path: str, **kw) -> Reply:
        return self.request("HEAD", path, **kw)


class SandboxClient(BaseClient):
    def __init__(self, sandbox: Sandbox, routes: list[tuple[str, str]] | None = None):
        super().__init__()
        self.sandbox = sandbox
        self._routes = routes  # from the worker's load report, checked by grader.sandbox.replies

    def routes(self):
        return self._routes

    def _send(self, method, url, headers, body, watch=None):
        if not self.sandbox.alive:
            raise AppUnavailable(f"{method} {url}: not sent, the app is not running")
        try:
            status, reply_headers, content = self.sandbox.request(method, url, headers, body, watch)
        except SandboxError as exc:
            raise AppUnavailable(f"{method} {url}: {exc}") from None
        self.watched = self.sandbox.watched if watch else None
        # What a client reads: decoded here, where the learner's code cannot reach the decoder.
        return status, reply_headers, content_coding.decode(reply_headers, content, self.sandbox.limits.max_body_bytes)

    def seed(self, name, key, record):
        try:
            return self.sandbox.seed(name, key, record)
        except SandboxError as exc:
            if not self.sandbox.alive:
                raise AppUnavailable(f"adding data: {exc}") from None
            return False

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
        self._watch = None
        self.client = TestClient(self._asgi, raise_server_exceptions=False, follow_redirects=False)
        self.client.__enter__()

    async def _asgi(self, scope, receive, send):
        """The app, with `watch` read as the final body is sent (see `BaseClient.request`)."""
        watch = self._watch

        async def watching_send(message):
            if watch is not None and message.get("type") == "http.response.body" and not message.get("more_body"):
                self.watched = watch()
            await send(message)

        await self.app(scope, receive, watching_send if watch is not None else send)

    def _send(self, method, url, headers, body, watch=None):
        from grader.sandbox import probe

        self._watch = probe.counter(self.app, watch) if watch else None
        try:
            response = self.client.request(method, url, headers=headers, content=body)
        except Exception as exc:  # noqa: BLE001 - an app that is not ASGI, a broken lifespan...
            raise AppUnavailable(f"{method} {url}: {type(exc).__name__}: {exc}") from None
        finally:
            self._watch = None
        return response.status_code, list(response.headers.multi_items()), response.content

    def seed(self, name, key, record):
        from grader.sandbox import probe

        return probe.seed(self.app, {"name": name, "key": key, "record": record}).get("seeded") is True

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
