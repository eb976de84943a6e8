"""pivot_root('.', '.') from the root folder."""

# says: where to start
import ctypes
import errno
import os
import platform

libc = ctypes.CDLL(None, use_errno=True)
NR = (155, 41)[platform.machine() == "aarch64"]  # the system call's number on x86_64, aarch64
os.chdir("/")
result = libc.syscall(NR, b".", b".")
err = ctypes.get_errno()
print("escape:", "WORKED" if result >= 0 else errno.errorcode.get(err, err))
if result >= 0:
    # @solution
    pass
else:
    # @starter
    pass
