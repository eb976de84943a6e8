"""What an app serves: every route FastAPI or Starlette would dispatch to, however it was declared.

One walk, used wherever the grader needs an app's routes (started or untouched,
the route table a 404 check asks, fault injection's namespaces): routes on the
app, on included routers (nested too), on sub-applications mounted with
`app.mount` (through middleware wrappers), and `add_api_route` / `api_route`.
It follows what the framework exposes generically (`routes`, `app`, `path`,
`endpoint`) and asks FastAPI to expand an included router when it offers
`fastapi.routing.iter_route_contexts` (0.16x keeps one entry per include);
without it, a router held by an unknown entry is still found by its `routes`.
It runs in the learner's process: it never raises, and it stops at a bound.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

MAX_ENTRIES = 5_000  # routes and mounts visited, in all
MAX_DEPTH = 12  # mounts and includes within one another
MAX_TABLE = 500  # rows of the route table sent to the grader
MAX_PATH = 300  # characters of a path in it
FRAMEWORK = ("fastapi.", "starlette.")  # /docs, /redoc, /openapi.json: served, but not the learner's


@dataclass(frozen=True)
class Served:
    methods: tuple[str, ...]  # upper case; empty: any method (a websocket, a bare ASGI endpoint)
    path: str  # the full path template, e.g. /api/books/{book_id}
    endpoint: object
    route: object  # the route object itself (an APIRoute has the dependency tree)

    @property
    def learners(self) -> bool:
        return not str(getattr(self.endpoint, "__module__", "") or "").startswith(FRAMEWORK)


def _routes_of(node) -> list:
    try:
        found = getattr(node, "routes", None)
    except Exception:  # noqa: BLE001 - a property of learner code may raise anything
        return []
    return list(found) if isinstance(found, (list, tuple)) else []


def _router_in(entry) -> object | None:
    """The first object with routes along `entry`, `entry.app`, `entry.app.app`…: a mount's app, through middleware."""
    node = entry
    for _ in range(MAX_DEPTH):
        if _routes_of(node):
            return node
        try:
            node = getattr(node, "app", None)
        except Exception:  # noqa: BLE001
            return None
        if node is None:
            return None
    return None


def _expand(entry) -> list:
    """An included router's entry as the routes it stands for (FastAPI's own view when it offers one)."""
    try:
        from fastapi import routing
    except ImportError:
        return [entry]
    contexts = getattr(routing, "iter_route_contexts", None)
    if contexts is None or getattr(entry, "endpoint", None) is not None or hasattr(entry, "app"):
        return [entry]
    try:
        return list(contexts([entry]))
    except Exception:  # noqa: BLE001
        return [entry]


def _unknown_router(entry) -> tuple[object, str] | None:
    """A router held by an entry of a kind this module does not know, with the prefix beside it, if any."""
    try:
        fields = list(vars(entry).values())
    except TypeError:
        return None
    router = next((v for v in fields if _routes_of(v)), None)
    if router is None:
        return None
    # The prefix the entry adds (a router's own prefix is already in its routes' paths).
    prefix = next((v.prefix for v in fields if v is not router and isinstance(getattr(v, "prefix", None), str)), "")
    return router, prefix


def walk(app) -> list[Served]:
    """Every route `app` serves, in dispatch order, with its full path."""
    served: list[Served] = []
    budget = [MAX_ENTRIES]

    def visit(node, prefix: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        for entry in _routes_of(node):
            for item in _expand(entry):
                budget[0] -= 1
                if budget[0] < 0:
                    return
                try:
                    _visit_item(item, prefix, depth)
                except Exception:  # noqa: BLE001 - learner objects: skip what cannot be read
                    continue

    def _visit_item(item, prefix: str, depth: int) -> None:
        path = getattr(item, "path", None)
        path = path if isinstance(path, str) else ""
        endpoint = getattr(item, "endpoint", None)
        if callable(endpoint):
            methods = getattr(item, "methods", None) or ()
            route = getattr(item, "original_route", None) or item
            served.append(Served(tuple(sorted(str(m).upper() for m in methods)), prefix + path, endpoint, route))
            return
        router = _router_in(item)
        if router is not None:
            visit(router, prefix + path.rstrip("/"), depth + 1)
            return
        unknown = _unknown_router(item)
        if unknown is not None:
            visit(unknown[0], prefix + unknown[1].rstrip("/"), depth + 1)

    try:
        visit(_router_in(app), "", 0)
    except Exception:  # noqa: BLE001
        pass
    return served


def count(app) -> int:
    """The learner's routes (FastAPI's own documentation routes left out): 0 for an untouched exercise."""
    return sum(1 for route in walk(app) if route.learners)


def table(app) -> list[list[str]]:
    """[METHOD, path] for each of the learner's routes ("*" for any method), for the grader's route questions."""
    rows: list[list[str]] = []
    for route in walk(app):
        if route.learners:
            rows.extend([method[:16], route.path[:MAX_PATH]] for method in (route.methods or ("*",)))
    return rows[:MAX_TABLE]


def _dependency_calls(route) -> Iterator[object]:
    """The callables of a route's dependency tree (FastAPI's `dependant`), nested ones included."""
    pending, seen = [getattr(route, "dependant", None)], 0
    while pending and seen < MAX_ENTRIES:
        dependant = pending.pop()
        seen += 1
        if dependant is None:
            continue
        call = getattr(dependant, "call", None)
        if call is not None:
            yield call
        pending.extend(list(getattr(dependant, "dependencies", None) or []))


def functions(app) -> list[object]:
    """The learner's functions that serve requests: endpoints and dependencies (a class's `__init__`/`__call__`)."""
    found: dict[int, object] = {}
    for route in walk(app):
        if not route.learners:
            continue
        try:
            calls = [route.endpoint, *_dependency_calls(route.route)]
        except Exception:  # noqa: BLE001
            calls = [route.endpoint]
        for call in calls:
            for candidate in (call, getattr(call, "__init__", None), vars(type(call)).get("__call__")):
                candidate = getattr(candidate, "__func__", candidate)
                if isinstance(getattr(candidate, "__globals__", None), dict):
                    found.setdefault(id(candidate), candidate)
    return list(found.values())
