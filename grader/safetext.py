"""Text that came from a submission, made safe to show, store and export.

Anything a learner controls (an error message, a type name, a response body
or header, a file or folder name) reaches feedback, the gradebook, exports
and the terminal. This module is the one place that says how long each kind
may be and how it is made harmless:

- `cap` cuts a string to its kind's limit and says so;
- `clean` writes control characters (ESC sequences, C0/C1 but newline and
  tab, bidi overrides), lone surrogates and NULs as visible escapes, so a
  terminal shows them as inert text and any database stores them;
- `safe` does both; `safe_tree` walks a JSON-like value (a stored report).
"""

from __future__ import annotations

import os
import re

# Characters kept per kind of text; a longer one is cut with "… (cut, N more characters)".
CAPS = {
    "name": 200,  # a student id, a type name, a header name
    "header": 500,  # a header value shown in feedback
    "excerpt": 200,  # a response body excerpt
    "message": 400,  # an exception's message, one cell error (the worker sends 500: a cut one says so)
    "note": 1000,  # one note on a report
    "feedback": 2000,  # one check's feedback
    "reason": 2000,  # why a submission was not graded
    "output": 2000,  # what the code printed
    "path": 1000,  # a file path (the gradebook's `source` column holds 1000)
}

# C0 but tab and newline, DEL, C1, the bidi embeddings/overrides/isolates, lone surrogates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """Control characters, surrogates and NUL as visible escapes (`\\x1b`), newlines and tabs kept."""
    return _UNSAFE.sub(_escape, text)


def cap(text: str, kind: str) -> str:
    limit = CAPS[kind]
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… (cut, {len(text) - limit} more characters)"


def safe(value: object, kind: str) -> str:
    """Any value from a submission as a capped, clean string (cut first: cleaning a huge one would cost)."""
    return clean(cap(value if isinstance(value, str) else str(value), kind))


def safe_tree(value):
    """A JSON-like value with every string cleaned (keys too); numbers, booleans and None as they are."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(str(k)): safe_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [safe_tree(v) for v in value]
    return value


def file_name(name: str | os.PathLike) -> str:
    """A path or name as text: bytes that are not UTF-8 (surrogate-escaped by Python) become `\\xff`."""
    raw = os.fsencode(name)
    return clean(raw.decode("utf-8", "backslashreplace"))
