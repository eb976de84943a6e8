"""Fault injection inside the worker: make a starter helper raise, on the grader's request.

A catch-all check needs a crash of a type no learner could have written a
handler for. The grader names a module-level helper of the learner's app
(`page_density`, `build_report`) and a fresh exception class name; until it
clears the fault, the helper raises that class (deriving from `Exception`
only) wherever a route looks it up: in the globals of the app's route
functions, which learner code cannot swap for others. Nothing on disk
changes. What the app answers is judged by the grader from the HTTP response
alone; the worker's reply only says whether there was a helper to replace.
"""

from __future__ import annotations

MAX_MESSAGE = 200


def route_namespaces(app) -> list[dict]:
    """The distinct global namespaces the app's route functions run in."""
    found: dict[int, dict] = {}
    for route in list(getattr(app, "routes", None) or []):
        if type(route).__name__ != "APIRoute":
            continue
        namespace = getattr(getattr(route, "endpoint", None), "__globals__", None)
        if isinstance(namespace, dict):
            found.setdefault(id(namespace), namespace)
    return list(found.values())


def _fault_class(name: str) -> type:
    # A class of its own, importable from nowhere: only a handler for Exception (or BaseException) catches it.
    return type(name, (Exception,), {"__module__": "builtins"})


def handle(app, message: dict, armed: list) -> dict:
    """Arm (`exception`, `message`) or clear (`clear`) a fault on `helper`; `armed` keeps the originals."""
    helper = message.get("helper")
    if not isinstance(helper, str) or not helper.isidentifier():
        return {"error": "fault: `helper` must be an identifier"}
    while armed:  # one fault at a time: clear whatever is armed
        namespace, name, original = armed.pop()
        namespace[name] = original
    if message.get("clear"):
        return {"armed": False}
    name, text = message.get("exception"), message.get("message")
    if not isinstance(name, str) or not name.isidentifier() or not isinstance(text, str) or len(text) > MAX_MESSAGE:
        return {"error": "fault: `exception` must be an identifier and `message` a short string"}
    fault = _fault_class(name)

    def failing(*args, **kwargs):
        raise fault(text)

    failing.__name__ = helper
    for namespace in route_namespaces(app):
        original = namespace.get(helper)
        if callable(original):
            armed.append((namespace, helper, original))
            namespace[helper] = failing
    return {"armed": bool(armed)}
