"""Fault injection inside the worker: make a starter helper raise, on the grader's request.

A catch-all check needs a crash of a type no learner could have written a
handler for. The grader names a module-level helper of the learner's app
(`page_density`, `build_report`) and a fresh exception class name; until it
clears the fault, the helper raises that class (deriving from `Exception`
only). The helper is found in the global namespaces of every function that
serves a request (routes on the app, on included routers, on mounted
sub-applications, and their dependencies: `grader.sandbox.routes`), and it is
the function object itself that fails: its code is swapped in place, so every
reference to it (a name bound with `from module import helper`, a default
argument, a dict of callbacks) calls the same object, now raising from its own
first line. Its identity, name, qualified name, module, signature, defaults and
globals are unchanged; what remains visible while armed is its `__code__`
object (same name, file and first line, other bytecode), which the README says.
Nothing on disk changes. What the app answers is judged by the grader from the
HTTP response alone; the worker's reply only says whether there was a helper.
"""

from __future__ import annotations

import sys
import types
import warnings

from grader.sandbox import routes

MAX_MESSAGE = 200
_CO_COROUTINE, _CO_GENERATOR, _CO_ASYNC_GENERATOR = 0x80, 0x20, 0x200


def route_namespaces(app) -> list[dict]:
    """The distinct global namespaces the functions serving the app's requests run in."""
    found: dict[int, dict] = {}
    for function in routes.functions(app):
        namespace = getattr(function, "__globals__", None)
        if isinstance(namespace, dict):
            found.setdefault(id(namespace), namespace)
    return list(found.values())


def _fault_class(name: str) -> type:
    # A class of its own, importable from nowhere: only a handler for Exception (or BaseException) catches it.
    return type(name, (Exception,), {"__module__": "builtins"})


def _function(value) -> types.FunctionType | None:
    """The plain function behind `value` (through `functools.wraps`, `lru_cache`, a bound method)."""
    for _ in range(8):
        if isinstance(value, types.FunctionType):
            return value
        value = getattr(value, "__wrapped__", None) or getattr(value, "__func__", None)
        if value is None:
            return None
    return None


def _learners(function: types.FunctionType) -> bool:
    """Defined by the learner's code, not by the framework, the grader or an installed package."""
    namespace = function.__globals__
    if str(namespace.get("__name__", "")).startswith(("fastapi", "starlette", "pydantic", "grader")):
        return False
    file = str(namespace.get("__file__", "") or "")
    return not (file and any(file.startswith(root) for root in {sys.prefix, sys.base_prefix, sys.exec_prefix}))


def _template(flags: int) -> types.CodeType:
    """Bytecode that raises constant 0 called with constant 1, in the kind of function `flags` says."""
    head = "async def" if flags & (_CO_COROUTINE | _CO_ASYNC_GENERATOR) else "def"
    tail = "\n    yield" if flags & (_CO_GENERATOR | _CO_ASYNC_GENERATOR) else ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "'int' object is not callable": the constants are replaced below
        module = compile(f"{head} f():\n    raise (0)(1){tail}\n", "<fault>", "exec")
    return next(c for c in module.co_consts if isinstance(c, types.CodeType))


def failing_code(original: types.CodeType, fault: type, text: str) -> types.CodeType:
    """`original` with a body that raises `fault(text)`: names, file, first line, arguments and cells kept."""
    template = _template(original.co_flags)
    constants = tuple(fault if c == 0 else text if c == 1 else c for c in template.co_consts)
    # The body's fields, as this Python's code objects have them (3.11 added an exception table).
    body = {
        field: getattr(template, field)
        for field in ("co_code", "co_names", "co_stacksize", "co_linetable", "co_exceptiontable")
        if hasattr(template, field)
    }
    return original.replace(co_consts=constants, **body)


def handle(app, message: dict, armed: list) -> dict:
    """Arm (`exception`, `message`) or clear (`clear`) a fault on `helper`; `armed` keeps the originals."""
    helper = message.get("helper")
    if not isinstance(helper, str) or not helper.isidentifier():
        return {"error": "fault: `helper` must be an identifier"}
    while armed:  # one fault at a time: clear whatever is armed
        function, code = armed.pop()
        function.__code__ = code
    if message.get("clear"):
        return {"armed": False}
    name, text = message.get("exception"), message.get("message")
    if not isinstance(name, str) or not name.isidentifier() or not isinstance(text, str) or len(text) > MAX_MESSAGE:
        return {"error": "fault: `exception` must be an identifier and `message` a short string"}
    fault = _fault_class(name)
    targets: dict[int, types.FunctionType] = {}
    for namespace in route_namespaces(app):
        function = _function(namespace.get(helper))
        if function is not None and _learners(function):
            targets.setdefault(id(function), function)
    for function in targets.values():
        try:
            replacement = failing_code(function.__code__, fault, text)
            original, function.__code__ = function.__code__, replacement
        except (TypeError, ValueError):  # a code object this Python cannot rebuild: leave the helper alone
            continue
        armed.append((function, original))
    return {"armed": bool(armed)}
