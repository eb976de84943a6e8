"""Every way a reader could decode a piece of response text.

Leak and echo scans compare secrets with what a client would see, and a
client decodes: JSON strings (`\\u0070`, at any depth, JSON inside a JSON
string), percent-encoding and RFC 5987 `filename*=UTF-8''...` values, RFC 2047
encoded words (`=?utf-8?b?...?=`) and HTML entities. `readings(text)` is the
text as sent plus each decoding, applied again to what they give, so an app
cannot hide a secret by escaping it, once or twice. Bounded, because the text
comes from learner code.
"""

from __future__ import annotations

import email.errors
import email.header
import html
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

MAX_DEPTH = 4  # decodings applied on top of each other
# Decoded text kept per text read, in characters: every decoding of a response is at most about as
# long as the response, so this only cuts off bodies built to multiply on decoding.
BUDGET_FACTOR, BUDGET_EXTRA = 8, 1 << 16
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|U([0-9a-fA-F]{8})|(/))")


def _backslash(text: str) -> str:
    def char(match: re.Match) -> str:
        if match.group(4):
            return "/"
        code = int(match.group(1) or match.group(2) or match.group(3), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(char, text)


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for key, child in item.items():
                yield str(key)
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)


def _rfc2047(text: str) -> str:
    return str(email.header.make_header(email.header.decode_header(text)))


def decodings(text: str) -> Iterator[str]:
    """One step of decoding: what `text` reads as, for each encoding it may be in."""
    stripped = text.strip()
    if stripped[:1] in ("{", "[", '"'):
        try:
            yield from _strings(json.loads(stripped))
        except (ValueError, RecursionError):
            pass
    if "\\" in text:
        yield _backslash(text)
    if "%" in text:
        yield unquote(text, errors="replace")
    if "&" in text:
        yield html.unescape(text)
    if "=?" in text:
        try:
            yield _rfc2047(text)
        except (ValueError, LookupError, UnicodeError, email.errors.HeaderParseError):
            pass


def readings(text: str) -> set[str]:
    """`text` and everything it decodes to, up to MAX_DEPTH decodings deep (within a size budget)."""
    seen = {text}
    budget = BUDGET_FACTOR * len(text) + BUDGET_EXTRA
    layer = [text]
    for _ in range(MAX_DEPTH):
        following = []
        for item in layer:
            for decoded in decodings(item):
                if decoded not in seen:
                    budget -= len(decoded)
                    if budget < 0:
                        return seen
                    seen.add(decoded)
                    following.append(decoded)
        if not following:
            break
        layer = following
    return seen


def shown(text: str, needles) -> list:
    """The needles that `text` shows, as sent or decoded (a needle never spans two readings)."""
    joined = "\n".join(readings(text))
    return [needle for needle in needles if needle in joined]


def readable_text(reply) -> str:
    """The reply's body and header values, as sent and decoded, in one string for `marker in ...` tests."""
    parts = [*readings(reply.content.decode("utf-8", "replace"))]
    for name, value in reply.headers.multi_items():
        parts.extend(f"{name}: {reading}" for reading in readings(value))
    return "\n".join(parts)
