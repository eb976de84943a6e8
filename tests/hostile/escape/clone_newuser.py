"""clone with CLONE_NEWUSER, raw (libc would use clone3): a child in a new user namespace."""

# says: where to start
import ctypes
import errno
import os
import platform

libc = ctypes.CDLL(None, use_errno=True)
NR = (56, 220)[platform.machine() == "aarch64"]  # the system call's number on x86_64, aarch64
result = libc.syscall(NR, 0x10000000 | 17, 0, 0, 0, 0)  # CLONE_NEWUSER | SIGCHLD, fork-like
if result == 0:
    os._exit(0)
if result > 0:
    os.waitpid(result, 0)
err = ctypes.get_errno()
print("escape:", "WORKED" if result >= 0 else errno.errorcode.get(err, err))
if result >= 0:
    # @solution
    pass
else:
    # @starter
    pass
