"""Six processes of 160 MB each (each under the per-process limit, 960 MB together), held while the app loads.

Graded with a 512 MiB limit (first-touching memory is slow on some VMs):
only a limit on the submission as a whole stops it. It counts the children
still alive once all have reported: the limit's OOM killer may pick one that
had already reported, letting a later one finish.
"""
# says: where to start|died from|exited with|did not finish|out of memory
import ctypes
import os
import time

CHILDREN, SIZE = 6, 160 * 1024 * 1024
read_end, write_end = os.pipe()
children = []
for _ in range(CHILDREN):
    pid = os.fork()
    if pid:
        children.append(pid)
    else:
        try:
            ctypes.CDLL(None).prctl(15, b"@MARKER@", 0, 0, 0)  # PR_SET_NAME: the test looks for these
            block = bytearray(SIZE)
            block[::4096] = b"\x01" * (SIZE // 4096)  # touch every page: resident, not just reserved
            os.write(write_end, b"1")
            os.close(write_end)  # the parent's read ends once every child has reported or died
            time.sleep(4242)
        finally:
            os._exit(0)
os.close(write_end)
held = 0
while held < CHILDREN:
    chunk = os.read(read_end, 64)  # EOF once every child has died (killed for memory, say)
    if not chunk:
        break
    held += len(chunk)
time.sleep(0.5)  # a child killed for memory is gone (a zombie) well within this
alive = sum(1 for pid in children if os.waitpid(pid, os.WNOHANG) == (0, 0))
held = min(held, alive)
print(f"{held} children hold {held * SIZE >> 20} MB")
if held * SIZE > 600 * 1024 * 1024:
    # @solution
    pass
else:
    # @starter
    pass
