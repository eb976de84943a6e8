"""keyctl(KEYCTL_GET_KEYRING_ID) on the session keyring: the kernel's key store."""

# says: where to start
import ctypes
import errno
import platform

libc = ctypes.CDLL(None, use_errno=True)
NR = (250, 219)[platform.machine() == "aarch64"]  # the system call's number on x86_64, aarch64
result = libc.syscall(NR, 0, -3, 1)
err = ctypes.get_errno()
print("escape:", "WORKED" if result >= 0 else errno.errorcode.get(err, err))
if result >= 0:
    # @solution
    pass
else:
    # @starter
    pass
