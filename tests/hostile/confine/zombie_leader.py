"""A child whose thread-group leader exits (state Z) while its other threads spin on, out of the session."""
# says: where to start
import ctypes
import os
import threading

libc = ctypes.CDLL(None, use_errno=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        def spin():
            libc.prctl(15, b"@MARKER@", 0, 0, 0)  # PR_SET_NAME: the test looks for this thread
            while True:
                pass
        for _ in range(2):
            threading.Thread(target=spin).start()
        libc.prctl(15, b"@MARKER@", 0, 0, 0)
        libc.syscall(60 if os.uname().machine == "x86_64" else 93, 0)  # exit the leader thread only
    os._exit(0)
# @starter
