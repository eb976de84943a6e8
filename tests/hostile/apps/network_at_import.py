"""Defines the right app only if it can reach a listener the grader opened on 127.0.0.1."""
# says: where to start
import socket

try:
    socket.create_connection(("127.0.0.1", @PORT@), timeout=2).close()
    reached = True
except OSError:
    reached = False

if reached:
    # @solution
    pass
else:
    # @starter
    pass
