"""The worker's messages, read as untrusted input.

Learner code runs in the worker and can write to its channel, so every
message is checked here for shape and size before the grader uses it; the
strings kept are capped and cleaned (`grader.safetext`). A message of the
wrong shape raises `Malformed` (the runner stops that worker and says why);
an honest response the grader will not read (too many headers, say) raises
`Oversized` (that request fails, the app keeps running).
"""

from __future__ import annotations

import base64
import binascii

from grader.safetext import safe

APP_STATES = {"ok", "missing", "not_asgi", "lifespan_failed", "crashed", "timeout", "tampered"}
MAX_ROUTES = 10_000
MAX_CELL_ERRORS = 1000  # one per cell at most; a report shows the first few
MAX_QUIZ_ANSWERS = 100
MAX_HEADERS = 100  # a FastAPI response has a handful (the worker's driver passes on at most one more)
MAX_HEADER_BYTES = 64 * 1024
MAX_OPENAPI_DEPTH = 64  # FastAPI's documents nest about 10 deep
MAX_OPENAPI_NODES = 200_000
# Message sizes the grader will read, besides the response body (base64).
MAX_LOADED_MESSAGE = 2 * 1024 * 1024
MAX_OPENAPI_MESSAGE = 4 * 1024 * 1024
REPLY_OVERHEAD = MAX_HEADER_BYTES * 2 + 64 * 1024  # headers as JSON, the id, the status, an error
# `[` and `{` bytes in a request reply: an honest one has about 103 (the body is base64, which has none),
# plus any inside its header strings.
MAX_REPLY_CONTAINERS = 4096


class Malformed(ValueError):
    """A message no honest worker sends: learner code wrote to the channel, or it broke."""


class Oversized(ValueError):
    """A response beyond what the grader reads: the request fails with this reason."""


def _small_int(value, low: int, high: int, what: str) -> int:
    if type(value) is not int or not low <= value <= high:
        raise Malformed(f"{what} is {safe(repr(value), 'name')}, not a whole number from {low} to {high}")
    return value


def _optional_int(value, what: str) -> int | None:
    return None if value is None else _small_int(value, 0, 10**9, what)


def _string(value, kind: str, what: str) -> str:
    if not isinstance(value, str):
        raise Malformed(f"{what} is a {type(value).__name__}, not a string")
    return safe(value, kind)


def reply_limit(max_body_bytes: int) -> int:
    """The largest request reply worth reading: the body limit in base64, plus headers."""
    return (max_body_bytes + 2) // 3 * 4 + REPLY_OVERHEAD


# -- the `loaded` report -----------------------------------------------------------------


def loaded(message: dict) -> dict:
    """The fields of a `loaded` report, checked: app, route_count, cell_errors, detail, quiz_answers."""
    app = message.get("app")
    if app not in APP_STATES:
        raise Malformed(f"the app state is {safe(repr(app), 'name')}")
    errors = message.get("cell_errors", [])
    if not isinstance(errors, list) or len(errors) > MAX_CELL_ERRORS:
        raise Malformed(f"cell_errors is not a list of at most {MAX_CELL_ERRORS}")
    detail = message.get("error") or message.get("app_type") or ""
    answers = message.get("quiz_answers")
    if answers is not None:
        if not isinstance(answers, dict) or len(answers) > MAX_QUIZ_ANSWERS:
            raise Malformed(f"quiz_answers is not an object of at most {MAX_QUIZ_ANSWERS}")
        answers = {_string(k, "name", "a quiz key"): _string(v, "name", "a quiz answer") for k, v in answers.items()}
    return {
        "app": app,
        "route_count": _small_int(message.get("route_count", 0), 0, MAX_ROUTES, "route_count"),
        "routes": _route_table(message.get("routes", [])),
        "cell_errors": [_cell_error(e) for e in errors],
        "detail": _string(detail, "message", "the detail"),
        "quiz_answers": answers,
    }


def _route_table(rows) -> list[tuple[str, str]]:
    """[[METHOD, path], …] as `grader.sandbox.routes.table` makes it, checked: its size and each row's shape."""
    from grader.sandbox.routes import MAX_PATH, MAX_TABLE

    if not isinstance(rows, list) or len(rows) > MAX_TABLE:
        raise Malformed(f"routes is not a list of at most {MAX_TABLE}")
    table = []
    for row in rows:
        if not (isinstance(row, list) and len(row) == 2 and all(isinstance(part, str) for part in row)):
            raise Malformed("a route is not a [method, path] pair of strings")
        if len(row[0]) > 16 or len(row[1]) > MAX_PATH:
            raise Malformed("a route's method or path is too long")
        table.append((row[0], row[1]))
    return table


def _cell_error(error) -> dict:
    if not isinstance(error, dict):
        raise Malformed("a cell error is not an object")
    return {
        "cell": _optional_int(error.get("cell"), "a cell number"),
        "line": _optional_int(error.get("line"), "a line number"),
        "type": _string(error.get("type", ""), "name", "an error type"),
        "message": _string(error.get("message", ""), "message", "an error message"),
    }


# -- request replies --------------------------------------------------------------------


def response(reply: dict, max_body_bytes: int) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) of a request reply; raises Malformed or Oversized."""
    status = _small_int(reply.get("status"), 100, 599, "the status code")
    headers = reply.get("headers")
    if not isinstance(headers, list):
        raise Malformed("the headers are not a list")
    if len(headers) > MAX_HEADERS:
        raise Oversized(f"the response has more than {MAX_HEADERS} headers; the grader reads at most {MAX_HEADERS}")
    pairs, size = [], 0
    for pair in headers:
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) and isinstance(pair[1], str)):
            raise Malformed("a header is not a [name, value] pair of strings")
        size += len(pair[0]) + len(pair[1])
        pairs.append((pair[0], pair[1]))
    if size > MAX_HEADER_BYTES:
        raise Oversized(f"the response headers hold {size} characters; the grader reads at most {MAX_HEADER_BYTES}")
    body = reply.get("body")
    if not isinstance(body, str) or len(body) > reply_limit(max_body_bytes):
        raise Malformed("the body is not a base64 string within the size limit")
    try:
        content = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise Malformed("the body is not valid base64") from None
    return status, pairs, content


# -- the OpenAPI document --------------------------------------------------------------------


def openapi(document) -> dict:
    """The document when it is a JSON object of bounded depth and size."""
    if not isinstance(document, dict):
        raise Malformed("app.openapi() did not give a JSON object")
    stack, nodes = [(document, 1)], 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if depth > MAX_OPENAPI_DEPTH or nodes > MAX_OPENAPI_NODES:
            raise Oversized(
                f"the OpenAPI document nests deeper than {MAX_OPENAPI_DEPTH} or holds over {MAX_OPENAPI_NODES} values"
            )
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return document
