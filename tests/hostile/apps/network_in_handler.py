"""Tries the grader's loopback listener (TCP and UDP) from inside every request, answering 201 if it got through."""
# says: internal server error
import socket

# @starter


@app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "DELETE"])
def probe(path: str):
    try:
        socket.create_connection(("127.0.0.1", @PORT@), timeout=1).close()
    except OSError:
        pass
    else:
        return {"reached": True}
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.sendto(b"leak", ("127.0.0.1", @UDP_PORT@))
    except OSError:
        pass
    raise RuntimeError("no network")
