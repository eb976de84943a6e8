"""Mounts a tmpfs over its working folder."""

# says: where to start
import ctypes
import errno
import os

libc = ctypes.CDLL(None, use_errno=True)
result = libc.mount(b"none", os.getcwd().encode(), b"tmpfs", ctypes.c_ulong(0), None)
err = ctypes.get_errno()
print("escape:", "WORKED" if result >= 0 else errno.errorcode.get(err, err))
if result >= 0:
    # @solution
    pass
else:
    # @starter
    pass
