"""Writes 100 MB to stderr once the (starter) app is defined."""
# says: file too large
import sys

# @starter

chunk = "y" * (1024 * 1024)
for _ in range(100):
    sys.stderr.write(chunk)
