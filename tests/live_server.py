"""A real server for claims TestClient cannot show: uvicorn on 127.0.0.1, a free port, in a thread."""

from __future__ import annotations

import contextlib
import threading
import time

import uvicorn


@contextlib.contextmanager
def serve(app, timeout: float = 10.0):
    """Yield (host, port) while uvicorn serves `app`; stop it afterwards."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, lifespan="off", http="h11")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    try:
        yield host, port
    finally:
        server.should_exit = True
        thread.join(timeout)
