"""Writes fake protocol frames (a 'loaded' message and canned replies) straight to every socket fd."""
# says: answered out of turn|broke the grader's channel|stopped answering|not defined|where to start
import json
import os
import stat
import struct


def frame(message):
    data = json.dumps(message).encode()
    return struct.pack("!I", len(data)) + data


for fd in range(3, 64):
    try:
        if stat.S_ISSOCK(os.fstat(fd).st_mode):
            os.write(fd, frame({"op": "loaded", "app": "ok", "cell_errors": [], "route_count": 6}))
            for _ in range(50):
                os.write(fd, frame({"id": "0", "status": 201, "headers": [], "body": ""}))
    except OSError:
        pass
