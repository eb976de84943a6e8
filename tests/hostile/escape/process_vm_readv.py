"""process_vm_readv of its own memory: the call that reads another process's."""

# says: where to start
import ctypes
import errno
import os

libc = ctypes.CDLL(None, use_errno=True)
source, target = ctypes.create_string_buffer(b"x" * 16), ctypes.create_string_buffer(16)


class Iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


local, remote = Iovec(ctypes.addressof(target), 16), Iovec(ctypes.addressof(source), 16)
result = libc.process_vm_readv(os.getpid(), ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
err = ctypes.get_errno()
print("escape:", "WORKED" if result >= 0 else errno.errorcode.get(err, err))
if result >= 0:
    # @solution
    pass
else:
    # @starter
    pass
