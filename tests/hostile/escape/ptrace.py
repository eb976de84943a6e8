"""ptrace(PTRACE_TRACEME), the start of reading and steering another process."""

# says: where to start
import ctypes
import errno

libc = ctypes.CDLL(None, use_errno=True)
result = libc.ptrace(0, 0, None, None)
err = ctypes.get_errno()
print("escape:", "WORKED" if result >= 0 else errno.errorcode.get(err, err))
if result >= 0:
    # @solution
    pass
else:
    # @starter
    pass
