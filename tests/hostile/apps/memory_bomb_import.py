"""Allocates 4 GiB at import."""
# says: memoryerror
hog = bytearray(4 * 1024**3)
# @starter
