"""Writes a `loaded` report of the wrong shape (a route count that is a string, a million cell errors) to every socket fd."""
# says: malformed report|broke the grader's channel|stopped answering
import json
import os
import stat


def frame(message):
    data = json.dumps(message).encode()
    return len(data).to_bytes(4, "big") + data


for fd in range(3, 64):
    try:
        if stat.S_ISSOCK(os.fstat(fd).st_mode):
            os.write(fd, frame({"op": "loaded", "app": "ok", "route_count": "lots", "cell_errors": [{"cell": "x"}] * 1000}))
    except OSError:
        pass
