"""Starts threads until it cannot, then defines the starter app."""
# says: where to start
import threading
import time

threads = []
try:
    for _ in range(100_000):
        t = threading.Thread(target=time.sleep, args=(3600,), daemon=True)
        t.start()
        threads.append(t)
except RuntimeError:
    pass
# @starter
