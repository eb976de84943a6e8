"""Connects to the host's PostgreSQL-style UNIX sockets and writes to them."""
# says: where to start
import socket

reached = False
for path in "@SOCKETS@".split(","):
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect(path)
            s.sendall(b"UPDATE grades SET score = 100")
            reached = True
    except OSError as exc:
        print("could not reach", path, exc)
if reached:
    # @solution
    pass
else:
    # @starter
    pass
