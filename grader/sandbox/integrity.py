"""Tamper detection in the sandbox child: was the machinery that carries responses replaced?

The worker takes a fingerprint of the functions and classes of the modules
between the learner's app and the grader (the grader's own modules, json,
base64, socket, asyncio; see `grader.sandbox.asgi`) and of the framework (FastAPI,
Starlette, TestClient, httpx2, anyio) before learner code runs, and compares
it afterwards. A learner who monkeypatches any of them could hand the grader
responses the app never produced, so any change is reported (the grade
becomes zero). The baseline is a tuple held in a local of the worker's
`serve` frame, out of reach of Python code (it can be found, not emptied or
rebound), and `serve` checks that the comparison's own code is still the
one it started with. This raises the bar; it is no proof: the check and its
report run in the learner's process, so code that also subverts the path
the report takes (or rewrites memory through ctypes) can hide a change. Every
score is decided by the grader process from the bytes it receives.
Stdlib only.
"""

from __future__ import annotations

import sys
import types

# The path a response takes from the app to the grader (see grader.sandbox.asgi), checked after every request.
TRANSPORT = (
    "grader.sandbox.worker",
    "grader.sandbox.channel",
    "grader.sandbox.integrity",
    "grader.sandbox.asgi",
    "json",
    "base64",
    "binascii",
    "socket",
    "struct",
    "zlib",
    "asyncio.events",
    "asyncio.base_events",
    "asyncio.tasks",
    "asyncio.futures",
    "asyncio.locks",
    "asyncio.queues",
    "asyncio.selector_events",
    "asyncio.unix_events",
)
# Everything checked once the cells have run and again at the end.
WATCHED = TRANSPORT + ("grader", "fastapi", "starlette", "httpx2", "anyio", "asyncio", "builtins", "codecs", "types")


def _watched(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _entries(name: str, module) -> list[tuple]:
    """(namespace, key, object, code, defaults, label) for each callable, class and module in `module`.

    The objects themselves are kept, so a comparison is `is`, not a lookup by id.
    """
    entries = [(sys.modules, name, module, None, None, name)]
    for attr, value in list(vars(module).items()):
        if isinstance(value, type):
            entries.append((module.__dict__, attr, value, None, None, f"{name}.{attr}"))
            if getattr(value, "__module__", None) == name:
                for key, member in list(vars(value).items()):
                    if callable(member) or isinstance(member, (staticmethod, classmethod, property)):
                        entries.append(_entry(value.__dict__, key, member, f"{name}.{attr}.{key}"))
        elif callable(value) or isinstance(value, types.ModuleType):
            entries.append(_entry(module.__dict__, attr, value, f"{name}.{attr}"))
    return entries


def _entry(namespace, key, value, label) -> tuple:
    if isinstance(value, types.FunctionType):
        return (namespace, key, value, value.__code__, value.__defaults__, label)
    return (namespace, key, value, None, None, label)


def fingerprint(prefixes: tuple[str, ...] = WATCHED) -> tuple:
    """((module name, entries), ...) for the watched modules imported so far.

    Tuples all the way down: learner code that finds the baseline (through gc or a frame) cannot empty it.
    """
    return tuple(
        (name, tuple(_entries(name, module)))
        for name, module in list(sys.modules.items())
        if isinstance(module, types.ModuleType) and _watched(name, prefixes)
    )


_MISSING = object()


def changes(before: tuple, names: frozenset | None) -> list[str]:
    """Dotted names whose function, class or module is no longer the one in `before`.

    `names`: the module names to compare (None: all of `before`).
    """
    changed = []
    for name, entries in before:
        if names is not None and name not in names:
            continue
        for namespace, key, value, code, defaults, label in entries:
            now = namespace.get(key, _MISSING)
            if now is not value or (
                code is not None and (now.__code__ is not code or now.__defaults__ is not defaults)
            ):
                changed.append(label)
    return changed


def transport_modules(before: tuple) -> frozenset[str]:
    top = tuple(p for p in TRANSPORT if "." not in p)
    return frozenset(name for name, _ in before if name in TRANSPORT or _watched(name, top))
