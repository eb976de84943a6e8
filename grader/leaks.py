"""The leak scan: secrets and forbidden keys anywhere in what the app sent.

Checks send random canary secrets (`Context.secret`); after the run every
recorded response - status line aside, its headers and its body, JSON at any
depth and raw text - and the app's OpenAPI document are searched for them
and for the lesson's forbidden keys (any case). Text is searched as a client
reads it: the body with its Content-Encoding undone (`grader.content_coding`),
then as sent and decoded (`grader.unescape`: escapes, base64, hex, any case),
and the header values one by one and run together, so neither escaping,
encoding nor splitting a secret across headers hides it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from grader.checks import Check, CheckFailed, Context
from grader.client import AppUnavailable, BaseClient, Exchange
from grader.unescape import joined_headers, shown

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "options", "head")


@dataclass(frozen=True)
class Leak:
    where: str  # "POST /users → 201, body at $.hashed_password"
    what: str  # "key 'hashed_password'" or "the password sent in 'create a user'"

    def __str__(self) -> str:
        return f"{self.what} in {self.where}"


def walk_json(value: Any, path: str = "$") -> Iterator[tuple[str, Any, Any]]:
    """Yield (path, key, value) for every key of every object at any depth, and every string."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}"
            yield child, key, item
            yield from walk_json(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_json(item, f"{path}[{index}]")


def scan_exchange(exchange: Exchange, canaries: dict[str, str], forbidden: set[str]) -> list[Leak]:
    reply = exchange.reply
    where = f"{reply.request_line} → {reply.status_code}"
    leaks: list[Leak] = []
    in_a_header = set()
    for name, value in reply.headers.multi_items():
        for secret in shown(value, canaries):
            in_a_header.add(secret)
            leaks.append(Leak(f"{where}, header {name}", canaries[secret]))
        if name.lower() in forbidden:
            leaks.append(Leak(f"{where}, header {name}", f"forbidden key '{name}'"))
    for secret in shown(joined_headers(reply), canaries):
        if secret not in in_a_header:
            leaks.append(Leak(f"{where}, header values run together", canaries[secret]))
    text = reply.content.decode("utf-8", "replace")
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    in_body = shown(text, canaries)  # one pass over the whole body; the walk below only says where
    found_in_json = set()
    for path, key, item in walk_json(body):
        if isinstance(key, str) and key.lower() in forbidden:
            leaks.append(Leak(f"{where}, body at {path}", f"forbidden key '{key}'"))
        for value in (key, item) if in_body else ():
            if isinstance(value, str):
                for secret in shown(value, in_body):
                    found_in_json.add(secret)
                    leaks.append(Leak(f"{where}, body at {path}", canaries[secret]))
    for secret in in_body:
        if secret not in found_in_json:
            leaks.append(Leak(f"{where}, body", canaries[secret]))
    return leaks


def resolve(schema: Any, document: dict, seen: frozenset = frozenset()) -> Any:
    if isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        if ref in seen or not isinstance(ref, str) or not ref.startswith("#/"):
            return {}
        target: Any = document
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        return resolve(target, document, seen | {ref})
    return schema


def schema_property_names(schema: Any, document: dict, seen: frozenset = frozenset()) -> Iterator[str]:
    """Every property name a response schema can carry, through $ref, items and combinators."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        if schema["$ref"] in seen:
            return
        seen = seen | {schema["$ref"]}
        schema = resolve(schema, document)
    if not isinstance(schema, dict):
        return
    for name, sub in (schema.get("properties") or {}).items():
        yield name
        yield from schema_property_names(sub, document, seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from schema_property_names(schema[key], document, seen)
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key) or []:
            yield from schema_property_names(sub, document, seen)


def response_schemas(document: dict) -> Iterator[tuple[str, str, Any]]:
    """(operation, status, schema) for every documented response body."""
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            for code, response in (operation.get("responses") or {}).items():
                for media in ((response or {}).get("content") or {}).values():
                    if isinstance(media, dict) and "schema" in media:
                        yield f"{method.upper()} {path}", str(code), media["schema"]


def scan_openapi(document: dict, canaries: dict[str, str], forbidden: set[str]) -> list[Leak]:
    leaks = []
    for operation, code, schema in response_schemas(document):
        for name in sorted(set(schema_property_names(schema, document))):
            if name.lower() in forbidden:
                leaks.append(Leak(f"the OpenAPI schema of {operation} → {code}", f"forbidden key '{name}'"))
    for secret in shown(json.dumps(document), canaries):
        leaks.append(Leak("the OpenAPI document", canaries[secret]))
    return leaks


def fetch_openapi(client: BaseClient) -> dict | None:
    """The app's OpenAPI document: from /openapi.json, else from app.openapi()."""
    try:
        reply = client.get("/openapi.json", leak_scan=False)
        if reply.status_code == 200:
            document = reply.json()
            if isinstance(document, dict):
                return document
        return client.openapi()
    except (AppUnavailable, ValueError):
        return None


def find_leaks(
    client: BaseClient, canaries: dict[str, str], forbidden_keys: set[str], openapi: bool = True
) -> list[Leak]:
    forbidden = {key.lower() for key in forbidden_keys}
    leaks: list[Leak] = []
    document = fetch_openapi(client) if openapi else None
    for exchange in client.transcript:
        if exchange.scan:
            leaks.extend(scan_exchange(exchange, canaries, forbidden))
    if document is not None:
        leaks.extend(scan_openapi(document, canaries, forbidden))
    return list(dict.fromkeys(leaks))


def leak_check(forbidden_keys: set[str], *, points: int, title: str, hint: str = "", docs: str = "") -> Check:
    """A check, declared last in a lesson, that scans everything the other checks recorded."""

    def no_leaks(client: BaseClient, ctx: Context) -> None:
        if not any(200 <= e.reply.status_code < 300 for e in client.transcript if e.scan):
            # An app that answers nothing leaks nothing, but has earned nothing either.
            raise CheckFailed("Not checked yet: no request succeeded, so there was nothing to scan for leaks.")
        leaks = find_leaks(client, ctx.canaries, forbidden_keys)
        if leaks:
            shown = "; ".join(str(leak) for leak in leaks[:5])
            more = f" (and {len(leaks) - 5} more)" if len(leaks) > 5 else ""
            raise CheckFailed(f"Found {len(leaks)} leak(s): {shown}{more}.")

    return Check(title=title, func=no_leaks, points=points, hint=hint, docs=docs, name="no-leaks")
