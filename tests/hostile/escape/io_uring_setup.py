"""io_uring_setup: a ring whose requests no system call filter sees."""

# says: where to start
import ctypes
import errno
import platform

libc = ctypes.CDLL(None, use_errno=True)
NR = (425, 425)[platform.machine() == "aarch64"]  # the system call's number on x86_64, aarch64
params = (ctypes.c_uint32 * 30)()
result = libc.syscall(NR, 4, params)
err = ctypes.get_errno()
print("escape:", "WORKED" if result >= 0 else errno.errorcode.get(err, err))
if result >= 0:
    # @solution
    pass
else:
    # @starter
    pass
