"""Writes 100 MB to stdout once the (starter) app is defined."""
# says: file too large
import sys

# @starter

chunk = "x" * (1024 * 1024)
for _ in range(100):
    sys.stdout.write(chunk)
