"""Undo a response's Content-Encoding the way a client does, in the grader.

Starlette's TestClient (httpx), requests and browsers decode gzip and deflate
(and br where a Brotli decoder is installed), and a stream cut short still
gives the client what decoded before the cut: a body gzipped and truncated
before its trailer reads as plain text in every one of them. Checks and
scans must see that same text, so the decoding happens here, on the
grader's side of the channel, never in the learner's process. Output is
capped: a few kilobytes may inflate to gigabytes.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable

try:  # the decoder httpx uses for br, when it is installed
    import brotli
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

# Read in steps so a decompression bomb stops at `limit` without building the rest.
_STEP = 64 * 1024


def _zlib(content: bytes, wbits: int, limit: int) -> bytes:
    """What a zlib stream decodes to, up to `limit` bytes; a stream cut short or corrupt mid-way
    gives what decoded before the damage, as a streaming client shows it."""
    decoder = zlib.decompressobj(wbits)
    out = bytearray()
    data = content
    try:
        while data and len(out) < limit:
            out += decoder.decompress(data, min(_STEP, limit - len(out)))
            data = decoder.unconsumed_tail
            if decoder.eof:
                break
        if len(out) < limit and not decoder.eof:
            out += decoder.flush()[: limit - len(out)]
    except zlib.error:
        if not out:
            raise
    return bytes(out[:limit])


def _gzip(content: bytes, limit: int) -> bytes:
    return _zlib(content, zlib.MAX_WBITS | 16, limit)


def _deflate(content: bytes, limit: int) -> bytes:
    # "deflate" is zlib-wrapped by the RFC and raw in some servers; httpx accepts both.
    try:
        return _zlib(content, zlib.MAX_WBITS, limit)
    except zlib.error:
        return _zlib(content, -zlib.MAX_WBITS, limit)


def _brotli(content: bytes, limit: int) -> bytes:
    decoder = brotli.Decompressor()
    out = bytearray()
    try:
        out += decoder.process(content, output_buffer_limit=limit)
        while len(out) < limit and not decoder.is_finished() and not decoder.can_accept_more_data():
            out += decoder.process(b"", output_buffer_limit=limit - len(out))
    except brotli.error:
        if not out:
            raise zlib.error("not a brotli stream") from None
    return bytes(out[:limit])


DECODERS: dict[str, Callable[[bytes, int], bytes]] = {"gzip": _gzip, "x-gzip": _gzip, "deflate": _deflate}
if brotli is not None:
    DECODERS["br"] = _brotli


def codings(headers: Iterable[tuple[str, str]]) -> list[str]:
    """The content codings a response declares, in the order they were applied."""
    return [
        part.strip().lower()
        for name, value in headers
        if name.lower() == "content-encoding"
        for part in value.split(",")
        if part.strip()
    ]


def decode(headers: Iterable[tuple[str, str]], content: bytes, limit: int) -> bytes:
    """The body a client reads: each declared coding undone, last applied first.

    An unknown coding (or "identity") stops the decoding and leaves the rest as sent, as httpx does
    for codings it does not support; a coding that cannot decode at all leaves the body as sent.
    """
    for coding in reversed(codings(headers)):
        decoder = DECODERS.get(coding)
        if decoder is None:
            break
        try:
            content = decoder(content, limit)
        except zlib.error:
            break
    return content
