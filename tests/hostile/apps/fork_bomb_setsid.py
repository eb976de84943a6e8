"""Forks children that leave the session (setsid) and then fork for ever."""
# says: did not finish loading|died from|exited with
import os

for _ in range(20):
    try:
        if os.fork() == 0:
            os.setsid()
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
    except OSError:
        pass
while True:
    pass
