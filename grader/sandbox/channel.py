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

    def recv(self, timeout: float | None = None) -> dict:
        """Next message; raises TimeoutError, ChannelClosed or ProtocolError."""
        self.sock.settimeout(timeout)
        (length,) = HEADER.unpack(self._read(HEADER.size))
        if length > self.max_message:
            raise ProtocolError(f"message of {length} bytes is over the {self.max_message} byte limit")
        try:
            message = json.loads(self._read(length))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ProtocolError(f"unreadable message: {exc}") from None
        if not isinstance(message, dict):
            raise ProtocolError("message is not an object")
        return message

    def _read(self, size: int) -> bytes:
        chunks = []
        while size:
            try:
                chunk = self.sock.recv(min(size, 1 << 20))
            except socket.timeout:
                raise TimeoutError from None
            if not chunk:
                raise ChannelClosed
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self.sock.close()
