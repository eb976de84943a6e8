"""A background thread that spins for ever while the (starter) app answers."""
# says: where to start
import threading

# @starter


def spin():
    while True:
        pass


threading.Thread(target=spin, daemon=True).start()
