"""setns into its own network namespace (any namespace file would do)."""

# says: where to start
import ctypes
import errno
import os

libc = ctypes.CDLL(None, use_errno=True)
result = libc.setns(os.open("/proc/self/ns/net", os.O_RDONLY), 0)
err = ctypes.get_errno()
print("escape:", "WORKED" if result >= 0 else errno.errorcode.get(err, err))
if result >= 0:
    # @solution
    pass
else:
    # @starter
    pass
