"""Leaves a 3000-deep directory tree, its deepest folder unreadable, for clean-up to deal with."""
# says: where to start
import os

fd = os.open(".", os.O_RDONLY)
depth = 0
try:
    for depth in range(3000):
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.fchmod(fd, 0)
except OSError as exc:
    print("stopped at depth", depth, exc)
print("depth", depth)
# @starter
