"""Module state a check may touch inside the worker: add to a starter dict, count a starter list.

Some contracts say the grader may add records to the app's starter data
between requests (`PRODUCTS`), or look at a starter list while a response is
being sent (`AUDIT_LOG`). Both are found by name in the globals of the app's
route functions, as fault injection finds its helpers. The grader trusts
nothing the learner's objects say beyond a bounded count; what the app does
with the data is judged from its HTTP responses.
"""

from __future__ import annotations

from grader.sandbox.faults import route_namespaces

MAX_RECORD_ITEMS = 20
MAX_COUNT = 10**9


def _is_record(value) -> bool:
    scalars = (str, int, float, bool, type(None))
    return (
        isinstance(value, dict)
        and len(value) <= MAX_RECORD_ITEMS
        and all(isinstance(k, str) and isinstance(v, scalars) for k, v in value.items())
    )


def seed(app, message: dict) -> dict:
    """`PRODUCTS[key] = record` in every route namespace whose `name` is a dict; `seeded` says whether one was."""
    name, key, record = message.get("name"), message.get("key"), message.get("record")
    valid = isinstance(name, str) and name.isidentifier() and type(key) is int and _is_record(record)
    if not valid or not isinstance(record, dict):
        return {"error": "seed: `name` must be an identifier, `key` an int and `record` a flat object"}
    seeded = False
    for namespace in route_namespaces(app):
        target = namespace.get(name)
        if type(target) is dict:  # the starter's plain dict, not an object of the learner's that acts like one
            target[key] = dict(record)
            seeded = True
    return {"seeded": seeded}


def counter(app, name: str):
    """A function returning `len(name)` for the starter list `name` (None when there is none), read when called."""
    if not isinstance(name, str) or not name.isidentifier():
        return None
    lists = [namespace[name] for namespace in route_namespaces(app) if type(namespace.get(name)) is list]
    if not lists:
        return None
    return lambda: min(len(lists[0]), MAX_COUNT)
