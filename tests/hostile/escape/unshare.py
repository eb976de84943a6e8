"""unshare(CLONE_NEWUSER | CLONE_NEWNS): a namespace where it would be root again."""

# says: where to start
import ctypes
import errno

libc = ctypes.CDLL(None, use_errno=True)
result = libc.unshare(0x10000000 | 0x20000)
err = ctypes.get_errno()
print("escape:", "WORKED" if result >= 0 else errno.errorcode.get(err, err))
if result >= 0:
    # @solution
    pass
else:
    # @starter
    pass
