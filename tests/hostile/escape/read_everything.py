"""Reads /etc/shadow, a 0600 file, a classmate's notebook and the release key by every route it knows."""

# says: where to start
import ctypes
import os

import fastapi

libc = ctypes.CDLL(None, use_errno=True)
TARGETS = ["/etc/shadow", "@PRIVATE@", "@CLASSMATE@", "@KEY@"]


class Handle(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_uint),
        ("type", ctypes.c_int),
        ("inode", ctypes.c_uint32),
        ("generation", ctypes.c_uint32),
    ]


def by_handle(path):
    """The host's root through the ext4 root's handle (inode 2, generation 0), then the path below it."""
    root = libc.open_by_handle_at(os.open("/usr", os.O_RDONLY), ctypes.byref(Handle(8, 1, 2, 0)), os.O_RDONLY)
    if root < 0:
        raise OSError(ctypes.get_errno(), "open_by_handle_at")
    return os.read(os.open(path.lstrip("/"), os.O_RDONLY, dir_fd=root), 1 << 16)


def by_path(path):
    with open(path, "rb") as fh:
        return fh.read()


up = "/../../../../../../../.."
routes = {
    "path": by_path,
    "/proc/self/root": lambda p: by_path("/proc/self/root" + p),
    "/proc/1/root": lambda p: by_path("/proc/1/root" + p),
    ".. from a bind": lambda p: by_path(os.path.dirname(fastapi.__file__) + up + p),
    ".. from /usr": lambda p: by_path("/usr" + up + p),
    "handle": by_handle,
}
READ, ERRORS = [], set()
for target in TARGETS:
    for route, read in routes.items():
        try:
            read(target)
            READ.append(f"{route}: {target}")
        except OSError as exc:
            ERRORS.add(type(exc).__name__ + " " + str(exc.errno))
print("read:", READ)
print("errors:", sorted(ERRORS))
if READ:
    # @solution
    pass
else:
    # @starter
    pass
