"""Ignores every catchable signal, then hangs at import."""
# says: did not finish loading
import signal

for sig in signal.valid_signals():
    try:
        signal.signal(sig, signal.SIG_IGN)
    except (OSError, ValueError):
        pass
while True:
    pass
