"""Fault injection inside the worker: make a starter helper raise, on the grader's request.

A catch-all check needs a crash of a type no learner could have written a
handler for. The grader names a module-level helper of the learner's app
(`page_density`, `build_report`) and a fresh exception class name; until it
clears the fault, calling the helper through the module raises that class,
which derives from `Exception` only. Nothing on disk changes. What the app
answers is judged by the grader from the HTTP response alone; the worker's
reply only says whether the helper was there to replace.
"""

from __future__ import annotations

MAX_MESSAGE = 200


def _fault_class(name: str) -> type:
    # A class of its own, in no module the learner could import: only a handler for Exception catches it.
    return type(name, (Exception,), {"__module__": "builtins"})


def handle(namespace: dict, message: dict, armed: dict) -> dict:
    """Arm (`exception`, `message`) or clear (`clear`) a fault on `helper`; `armed` keeps the originals."""
    helper = message.get("helper")
    if not isinstance(helper, str) or not helper.isidentifier():
        return {"error": "fault: `helper` must be an identifier"}
    if message.get("clear"):
        if helper in armed:
            namespace[helper] = armed.pop(helper)
        return {"armed": False}
    name, text = message.get("exception"), message.get("message")
    if not isinstance(name, str) or not name.isidentifier() or not isinstance(text, str) or len(text) > MAX_MESSAGE:
        return {"error": "fault: `exception` must be an identifier and `message` a short string"}
    original = armed.get(helper, namespace.get(helper))
    if not callable(original):
        return {"armed": False}
    fault = _fault_class(name)

    def failing(*args, **kwargs):
        raise fault(text)

    failing.__name__ = getattr(original, "__name__", helper)
    armed[helper] = original
    namespace[helper] = failing
    return {"armed": True}
