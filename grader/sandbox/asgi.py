"""Drive an ASGI app the way Starlette's TestClient does, on an event loop in this thread.

The worker used to host the app under TestClient, which hops between threads
(an anyio portal) several times per request; this driver calls the app
directly, so a request costs what the app spends on it. It builds the same
scope and default headers as TestClient (host `testserver`, `user-agent:
testclient`, ...), runs the lifespan, turns an exception before the response
started into an empty 500 (TestClient's `raise_server_exceptions=False`), and
returns the body as the app sent it: the grader undoes its Content-Encoding
(`grader.content_coding`), outside the learner's process. No redirects are
followed and no cookies are kept: every check states what it sends.

It also keeps the grading path free of TestClient, httpx and anyio: a
learner who monkeypatches those changes nothing the grader sees. Stdlib only.
"""

from __future__ import annotations

import asyncio
import itertools
from urllib.parse import quote, unquote

DEFAULT_HEADERS = (
    ("host", "testserver"),
    ("accept", "*/*"),
    ("accept-encoding", "gzip, deflate"),
    ("connection", "keep-alive"),
    ("user-agent", "testclient"),
)
PATH_SAFE = "/%:@!$&'()*+,;=-._~"
# The grader reads at most 100 headers (grader.sandbox.replies); one more tells it there were too many,
# and a response with 300,000 of them costs this process and the channel next to nothing.
KEPT_HEADERS = 101


class LifespanFailed(Exception):
    pass


class Driver:
    def __init__(self, app, loop: asyncio.AbstractEventLoop | None = None):
        self.app = app
        self.loop = loop or asyncio.new_event_loop()
        self.state: dict = {}
        self._lifespan_in: asyncio.Queue | None = None
        self.watched: object = None  # what `watch` returned when the last request's final body was sent

    # -- lifespan ------------------------------------------------------------
    def startup(self) -> None:
        self.loop.run_until_complete(self._startup())

    async def _startup(self) -> None:
        inbox: asyncio.Queue = asyncio.Queue()
        outbox: asyncio.Queue = asyncio.Queue()
        self._lifespan_in = inbox
        scope = {"type": "lifespan", "state": self.state}
        task = asyncio.ensure_future(self.app(scope, inbox.get, outbox.put))
        await inbox.put({"type": "lifespan.startup"})
        reply = asyncio.ensure_future(outbox.get())
        await asyncio.wait([task, reply], return_when=asyncio.FIRST_COMPLETED)
        if reply.done():
            message = reply.result()
            if message.get("type") == "lifespan.startup.failed":
                raise LifespanFailed(message.get("message") or "startup failed")
            return
        reply.cancel()
        task.result()  # raises what the app raised; an app that ignores lifespan simply returns

    # -- requests --------------------------------------------------------------
    def request(self, method: str, url: str, headers: dict, body: bytes, watch=None) -> tuple[int, list, bytes]:
        """Send one request; `watch()`, if given, is called as the final body is sent (kept in `self.watched`)."""
        self.watched = None
        return self.loop.run_until_complete(self._request(method.upper(), url, headers, body, watch))

    async def _request(self, method: str, url: str, headers: dict, body: bytes, watch=None) -> tuple[int, list, bytes]:
        path, _, query = url.partition("?")
        raw_path = quote(path, safe=PATH_SAFE).encode("ascii")
        given = {k.lower(): v for k, v in headers.items()}
        merged = [(k, given.pop(k, v)) for k, v in DEFAULT_HEADERS]
        merged += list(given.items())
        if "content-length" not in {k for k, _ in merged}:
            merged.append(("content-length", str(len(body))))
        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": method,
            "path": unquote(raw_path.decode("ascii")),
            "raw_path": raw_path,
            "root_path": "",
            "scheme": "http",
            "query_string": query.encode("ascii", "replace"),
            "headers": [(k.encode("latin-1"), str(v).encode("latin-1")) for k, v in merged],
            "client": ["testclient", 50000],
            "server": ["testserver", 80],
            "extensions": {"http.response.debug": {}, "http.response.trailers": {}},
            "state": self.state.copy(),
        }
        complete = asyncio.Event()
        sent_body = False
        status: int | None = None
        response_headers: list = []
        chunks: list[bytes] = []

        async def receive() -> dict:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": body, "more_body": False}
            await complete.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            nonlocal status, response_headers
            kind = message.get("type")
            if kind == "http.response.start":
                if status is not None:
                    raise RuntimeError('Received multiple "http.response.start" messages.')
                status = int(message["status"])
                response_headers = [
                    (bytes(k).decode("latin-1"), bytes(v).decode("latin-1"))
                    for k, v in itertools.islice(message.get("headers", []), KEPT_HEADERS)
                ]
            elif kind == "http.response.body":
                if status is None:
                    raise RuntimeError('Received "http.response.body" without "http.response.start".')
                chunks.append(bytes(message.get("body", b"")))
                if not message.get("more_body", False):
                    if watch is not None and not complete.is_set():
                        self.watched = watch()  # while the response is being sent: before any background task
                    complete.set()

        try:
            await self.app(scope, receive, send)
        except Exception:  # noqa: BLE001 - TestClient(raise_server_exceptions=False) keeps what was sent
            pass
        finally:
            complete.set()
        if status is None:
            return 500, [], b""
        content = b"" if method == "HEAD" else b"".join(chunks)
        return status, response_headers, content
