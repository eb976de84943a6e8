"""Tamper detection in the sandbox child: was the machinery that carries responses replaced?

The worker takes a fingerprint of the functions and classes of the modules
between the learner's app and the grader (the grader's own modules, json,
base64, socket, asyncio; see `grader.sandbox.asgi`) and of the framework (FastAPI,
Starlette, TestClient, httpx2, anyio) before learner code runs, and compares
it afterwards. A learner who monkeypatches any of them could hand the grader
responses the app never produced, so any change is reported (the grade
becomes zero). This raises the bar; it is no proof against code that rewrites
memory through ctypes, which is why every score is still decided by the
grader process from the bytes it receives.
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


def fingerprint(prefixes: tuple[str, ...] = WATCHED) -> dict:
    """{module name: entries} for the watched modules imported so far."""
    return {
        name: _entries(name, module)
        for name, module in list(sys.modules.items())
        if isinstance(module, types.ModuleType) and _watched(name, prefixes)
    }


_MISSING = object()


def changes(before: dict, names=None) -> list[str]:
    """Dotted names whose function, class or module is no longer the one in `before`.

    `names`: the module names to compare (default: all of `before`).
    """
    changed = []
    for name in before if names is None else names:
        for namespace, key, value, code, defaults, label in before[name]:
            now = namespace.get(key, _MISSING)
            if now is not value or (
                code is not None and (now.__code__ is not code or now.__defaults__ is not defaults)
            ):
                changed.append(label)
    return changed


def transport_modules(before: dict) -> list[str]:
    top = tuple(p for p in TRANSPORT if "." not in p)
    return [name for name in before if name in TRANSPORT or _watched(name, top)]
