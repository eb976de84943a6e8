"""userfaultfd: the tool that makes kernel races easy to win."""

# says: where to start
import ctypes
import errno
import platform

libc = ctypes.CDLL(None, use_errno=True)
NR = (323, 282)[platform.machine() == "aarch64"]  # the system call's number on x86_64, aarch64
result = libc.syscall(NR, 0)
err = ctypes.get_errno()
print("escape:", "WORKED" if result >= 0 else errno.errorcode.get(err, err))
if result >= 0:
    # @solution
    pass
else:
    # @starter
    pass
