"""Length-prefixed JSON messages over a socket: the grader <-> worker channel.

Kept stdlib-only: the worker imports it before any learner code runs.
"""

from __future__ import annotations

import json
import socket
import struct

HEADER = struct.Struct("!I")
MAX_MESSAGE = 32 * 1024 * 1024


class ChannelClosed(EOFError):
    pass


class ProtocolError(ValueError):
    pass


class Channel:
    def __init__(self, sock: socket.socket, max_message: int = MAX_MESSAGE):
        self.sock = sock
        self.max_message = max_message

    def send(self, message: dict) -> None:
        payload = json.dumps(message, separators=(",", ":")).encode()
        self.sock.sendall(HEADER.pack(len(payload)) + payload)

    def recv(self, timeout: float | None = None, limit: int | None = None, max_containers: int | None = None) -> dict:
        """Next message; raises TimeoutError, ChannelClosed or ProtocolError.

        `limit` caps its bytes (else the channel's limit); `max_containers` caps
        its `[` and `{` bytes, counted before parsing: 300,000 tiny lists cost
        json.loads a second and 50 MB, counting them costs milliseconds.
        """
        self.sock.settimeout(timeout)
        (length,) = HEADER.unpack(self._read(HEADER.size))
        limit = self.max_message if limit is None else min(limit, self.max_message)
        if length > limit:
            raise ProtocolError(f"message of {length} bytes is over the {limit} byte limit")
        data = self._read(length)
        if max_containers is not None and data.count(b"[") + data.count(b"{") > max_containers:
            raise ProtocolError(f"message holds over {max_containers} lists and objects")
        try:
            message = json.loads(data)
        except (ValueError, RecursionError) as exc:  # bad UTF-8 or JSON, a 5000-digit number, 100000 nested lists
            raise ProtocolError(f"unreadable message: {type(exc).__name__}: {str(exc)[:200]}") from None
        if not isinstance(message, dict):
            raise ProtocolError("message is not an object")
        return message

    def _read(self, size: int) -> bytes:
        chunks = []
        while size:
            try:
                chunk = self.sock.recv(min(size, 1 << 20))
            except TimeoutError:
                raise TimeoutError from None
            if not chunk:
                raise ChannelClosed
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self.sock.close()
