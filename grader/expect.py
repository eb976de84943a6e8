"""Expectations for checks. Each failure message says what was sent, what was
expected and what came back, so feedback never needs a traceback."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any, NoReturn

from grader.checks import CheckFailed
from grader.client import Reply

# RFC 9110 names; Python < 3.13's HTTPStatus still says "Unprocessable Entity", which the course teaches is outdated.
RFC9110_PHRASES = {413: "Content Too Large", 422: "Unprocessable Content"}


def phrase(code: int) -> str:
    if code in RFC9110_PHRASES:
        return f"{code} {RFC9110_PHRASES[code]}"
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)


def sent(reply: Reply) -> str:
    text = f"Sent {reply.request_line}"
    if reply.sent_json is not None:
        body = json.dumps(reply.sent_json)
        text += f" with {body if len(body) <= 120 else body[:120] + '…'}"
    return text


def fail(reply: Reply, expected: str, got: str | None = None, header: str | None = None) -> NoReturn:
    raise CheckFailed(f"{sent(reply)}. Expected {expected}. Got {got or reply.summary(header)}.")


def status(reply: Reply, *expected: int, header: str | None = None) -> None:
    if reply.status_code not in expected:
        wanted = " or ".join(phrase(code) for code in expected)
        fail(reply, f"status {wanted}", header=header)


def header(reply: Reply, name: str) -> str:
    value = reply.headers.get(name)
    if value is None:
        fail(reply, f"a {name} header", f"{reply.status_code} with no {name} header")
    return value


def json_body(reply: Reply) -> Any:
    try:
        return reply.json()
    except (ValueError, UnicodeDecodeError):
        kind = reply.headers.get("content-type", "no content-type")
        fail(reply, "a JSON body", f"{reply.status_code}, {kind}, body {reply.body_excerpt()}")


def json_object(reply: Reply, keys: Iterable[str] | None = None) -> dict:
    body = json_body(reply)
    if not isinstance(body, dict):
        fail(reply, "a JSON object", f"{reply.status_code}, body {reply.body_excerpt()}")
    if keys is not None:
        exact_keys(reply, body, keys)
    return body


def json_list(reply: Reply) -> list:
    body = json_body(reply)
    if not isinstance(body, list):
        fail(reply, "a JSON list", f"{reply.status_code}, body {reply.body_excerpt()}")
    return body


def exact_keys(reply: Reply, obj: Any, keys: Iterable[str], what: str = "the body") -> None:
    wanted = set(keys)
    if not isinstance(obj, dict):
        fail(
            reply,
            f"{what} to be an object with keys {sorted(wanted)}",
            f"{reply.status_code}, body {reply.body_excerpt()}",
        )
    have = set(obj)
    if have != wanted:
        problems = []
        if wanted - have:
            problems.append(f"missing {sorted(wanted - have)}")
        if have - wanted:
            problems.append(f"extra {sorted(have - wanted)}")
        fail(reply, f"{what} to have exactly the keys {sorted(wanted)} ({'; '.join(problems)})")


def equal(reply: Reply, actual: Any, expected: Any, what: str) -> None:
    if actual != expected:
        fail(
            reply,
            f"{what} = {json.dumps(expected)}",
            f"{what} = {json.dumps(actual, default=str)} ({reply.status_code}, body {reply.body_excerpt()})",
        )


def empty_body(reply: Reply) -> None:
    if reply.content:
        fail(reply, "an empty body", f"{reply.status_code} with body {reply.body_excerpt()}")


def location_path(reply: Reply) -> str:
    """The path of the Location header (it may be a path or an absolute URL)."""
    from urllib.parse import urlsplit

    return urlsplit(header(reply, "Location")).path


def _path_shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path).rstrip("/") or "/"


def served_routes(client) -> list[tuple[str, str]] | None:
    """(METHOD, path template) the app serves: its routers and mounted sub-applications included
    (`grader.sandbox.routes`); from the OpenAPI document only for a client that cannot say; None: unknown."""
    table = client.routes()
    if table is not None:
        return table
    from grader.leaks import fetch_openapi

    document = fetch_openapi(client)
    return openapi_routes(document) if document else None


def openapi_routes(document: dict) -> list[tuple[str, str]]:
    return [
        (method.upper(), template)
        for template, item in (document.get("paths") or {}).items()
        if isinstance(item, dict)
        for method in item
    ]


def route_declared(client, method: str, path: str) -> bool:
    """Whether the app serves `METHOD /path/{param}` (parameter names may differ), however it declares it.

    A 404 only counts when it comes from the learner's route: an app with no
    route at all answers 404 for everything. Whether the route is in the OpenAPI
    document is a question of its own, for the lessons whose contract asks it.
    """
    wanted = _path_shape(path)
    return any(
        _path_shape(declared) == wanted and verb in (method.upper(), "*")
        for verb, declared in served_routes(client) or []
    )


class NoRoute(CheckFailed):
    """The check needs a route the app does not declare: its hint (about the route's logic) would mislead."""

    def __init__(self, message: str, route: str = ""):
        super().__init__(message)
        self.route = route


def no_route(route: str, why: str) -> str:
    return f"No route for {route}: define it. ({why})"


def not_reached(route: str) -> str:
    """For a route missing because the code crashed first: the crash, not the route, is the news."""
    return f"Not reached: your code stopped before defining {route} (fix the error shown first)."


def require_route(client, method: str, path: str) -> None:
    if not route_declared(client, method, path):
        route = f"{method} {path}"
        raise NoRoute(no_route(route, "Its 404 for an unknown id can only be checked once the route exists."), route)


# What Starlette's router itself answers when no route matches (an app's own 404 says more, or is declared).
ROUTER_REPLIES = {404: {"detail": "Not Found"}, 405: {"detail": "Method Not Allowed"}}


def _template_regex(template: str) -> re.Pattern:
    parts = re.split(r"(\{[^}]*\})", template.rstrip("/") or "/")
    pattern = "".join(
        (".+" if part.endswith(":path}") else "[^/]+") if part.startswith("{") else re.escape(part) for part in parts
    )
    return re.compile(pattern + "/?")


def undeclared_route(table: list[tuple[str, str]], reply: Reply) -> str | None:
    """`POST /books` when `reply` is the router's own 404/405 for a method and path the app does not serve."""
    try:
        if ROUTER_REPLIES.get(reply.status_code) != reply.json():
            return None
    except ValueError:
        return None
    from urllib.parse import urlsplit

    path = urlsplit(reply.path).path
    method = reply.method.upper()
    for verb, template in table:
        if verb in (method, "*") and _template_regex(template).fullmatch(path):
            return None
    return f"{reply.method} {path}"
