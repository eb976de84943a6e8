"""Every way a reader could decode a piece of response text.

Leak and echo scans compare secrets with what a client would see, and a
client decodes: JSON strings (`\\u0070`, at any depth, JSON inside a JSON
string), percent-encoding and RFC 5987 `filename*=UTF-8''...` values, RFC 2047
encoded words (`=?utf-8?b?...?=`), HTML entities, base64 (standard and
URL-safe, padded or not) and hex runs. `readings(text)` is the text as sent
plus each decoding, applied again to what they give, so an app cannot hide a
secret by escaping or encoding it, once or twice; `shown` compares without
case, so upper-case hex (or an upper-cased secret) is still the secret.
Bounded, because the text comes from learner code.
"""

from __future__ import annotations

import base64
import binascii
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
# Runs worth decoding: long enough to hold a canary (a 19-character secret is 28 in base64), and few
# enough per text that a body made of such runs stays within the budget below.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX_RUN = re.compile(r"[0-9a-fA-F]{16,}")
MAX_RUNS = 256
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


def _base64(run: str) -> bytes | None:
    run = run.rstrip("=").replace("-", "+").replace("_", "/")
    if len(run) % 4 == 1:
        return None
    try:
        return base64.b64decode(run + "=" * (-len(run) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def _binary_runs(text: str) -> Iterator[str]:
    """Base64 and hex runs decoded: as text, and (for a digest sent as raw bytes) as lower-case hex."""
    for number, match in enumerate(_BASE64_RUN.finditer(text)):
        if number >= MAX_RUNS:
            break
        raw = _base64(match.group(0))
        if raw:
            yield raw.decode("utf-8", "replace")
            yield raw.hex()
    for number, match in enumerate(_HEX_RUN.finditer(text)):
        if number >= MAX_RUNS:
            break
        run = match.group(0)
        for start in (0, 1) if len(run) % 2 else (0,):  # a run may begin with a stray hex letter
            pairs = run[start : start + (len(run) - start) // 2 * 2]
            yield bytes.fromhex(pairs).decode("utf-8", "replace")


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
    yield from _binary_runs(text)


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
    """The needles that `text` shows, as sent or decoded, in any case (a needle never spans two readings)."""
    joined = "\n".join(readings(text)).casefold()
    return [needle for needle in needles if needle.casefold() in joined]


def joined_headers(reply) -> str:
    """Every header value run together in the order sent: a secret split across two headers reads whole here."""
    return "".join(value for _, value in reply.headers.multi_items())


def readable_text(reply) -> str:
    """The reply's body and header values (one by one and run together), as sent and decoded, in one string."""
    parts = [*readings(reply.content.decode("utf-8", "replace"))]
    for name, value in reply.headers.multi_items():
        parts.extend(f"{name}: {reading}" for reading in readings(value))
    parts.extend(readings(joined_headers(reply)))
    return "\n".join(parts)


def shown_by_reply(reply, needles) -> list:
    """The needles the reply shows anywhere a client could read them, in any case."""
    text = readable_text(reply).casefold()
    return [needle for needle in needles if needle.casefold() in text]
