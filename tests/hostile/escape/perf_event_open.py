"""perf_event_open of a software counter on itself."""

# says: where to start
import ctypes
import errno
import platform

libc = ctypes.CDLL(None, use_errno=True)
NR = (298, 241)[platform.machine() == "aarch64"]  # the system call's number on x86_64, aarch64
attr = (ctypes.c_uint32 * 32)(1, 128)  # PERF_TYPE_SOFTWARE, size 128, PERF_COUNT_SW_CPU_CLOCK
result = libc.syscall(NR, attr, 0, -1, -1, 0)
err = ctypes.get_errno()
print("escape:", "WORKED" if result >= 0 else errno.errorcode.get(err, err))
if result >= 0:
    # @solution
    pass
else:
    # @starter
    pass
