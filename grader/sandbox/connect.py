"""The worker's channel where a socket cannot be inherited (Windows).

On Linux the grader hands the worker one end of a socketpair. Windows has no
`pass_fds`, so the worker connects back to a listener on 127.0.0.1 and first
sends a one-time token from its environment: a connection without it (another
local process guessing the port) is dropped, and the listener closes as soon as
the worker is in.
"""

from __future__ import annotations

import hmac
import os
import secrets
import socket
import time

PORT_ENV, TOKEN_ENV = "GRADER_CONNECT_PORT", "GRADER_CONNECT_TOKEN"
TOKEN_BYTES = 32  # hex characters


class Listener:
    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.token = secrets.token_hex(TOKEN_BYTES // 2)

    def env(self) -> dict[str, str]:
        return {PORT_ENV: str(self.sock.getsockname()[1]), TOKEN_ENV: self.token}

    def accept(self, timeout: float) -> socket.socket:
        """The worker's connection; TimeoutError when it does not connect in time."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the worker did not connect")
                self.sock.settimeout(left)
                try:
                    conn, _ = self.sock.accept()
                except TimeoutError:
                    raise TimeoutError("the worker did not connect") from None
                if self._token_ok(conn, deadline):
                    conn.settimeout(None)
                    return conn
                conn.close()
        finally:
            self.sock.close()

    def _token_ok(self, conn: socket.socket, deadline: float) -> bool:
        received = b""
        try:
            while len(received) < TOKEN_BYTES:
                conn.settimeout(max(deadline - time.monotonic(), 0.01))
                chunk = conn.recv(TOKEN_BYTES - len(received))
                if not chunk:
                    return False
                received += chunk
        except OSError:
            return False
        return hmac.compare_digest(received, self.token.encode())


def connect_back() -> socket.socket:
    """In the worker: connect to the grader and prove who we are."""
    sock = socket.create_connection(("127.0.0.1", int(os.environ[PORT_ENV])))
    sock.sendall(os.environ.pop(TOKEN_ENV).encode())  # not left for the learner's code to read
    return sock
