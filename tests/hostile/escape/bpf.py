"""bpf(BPF_MAP_CREATE): an eBPF array map."""

# says: where to start
import ctypes
import errno
import platform

libc = ctypes.CDLL(None, use_errno=True)
NR = (321, 280)[platform.machine() == "aarch64"]  # the system call's number on x86_64, aarch64
attr = (ctypes.c_uint32 * 32)(2, 4, 8, 1)  # array map, 4-byte keys, 8-byte values, one entry
result = libc.syscall(NR, 0, attr, ctypes.sizeof(attr))
err = ctypes.get_errno()
print("escape:", "WORKED" if result >= 0 else errno.errorcode.get(err, err))
if result >= 0:
    # @solution
    pass
else:
    # @starter
    pass
