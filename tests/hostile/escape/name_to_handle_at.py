"""name_to_handle_at on a folder of the view: the first half of a handle escape."""

# says: where to start
import ctypes
import errno

libc = ctypes.CDLL(None, use_errno=True)
buffer = (ctypes.c_char * 136)()
ctypes.cast(buffer, ctypes.POINTER(ctypes.c_uint))[0] = 128
mount_id = ctypes.c_int()
result = libc.name_to_handle_at(-100, b"/usr", buffer, ctypes.byref(mount_id), 0)
err = ctypes.get_errno()
print("escape:", "WORKED" if result >= 0 else errno.errorcode.get(err, err))
if result >= 0:
    # @solution
    pass
else:
    # @starter
    pass
