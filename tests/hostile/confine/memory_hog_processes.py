"""Twelve processes of 300 MB each (under the per-process limit, 3.6 GB together), held while the app is graded."""
# says: where to start|died from|exited with|did not finish|out of memory
import ctypes
import os
import time

CHILDREN, SIZE = 12, 300 * 1024 * 1024
read_end, write_end = os.pipe()
for _ in range(CHILDREN):
    if os.fork() == 0:
        try:
            ctypes.CDLL(None).prctl(15, b"@MARKER@", 0, 0, 0)  # PR_SET_NAME: the test looks for these
            block = bytearray(SIZE)
            for i in range(0, SIZE, 4096):
                block[i] = 1  # touch every page: resident, not just reserved
            os.write(write_end, b"1")
            time.sleep(4242)
        finally:
            os._exit(0)
os.close(write_end)
held = 0
deadline = time.monotonic() + 8
while held < CHILDREN and time.monotonic() < deadline:
    chunk = os.read(read_end, 64)
    if not chunk:
        break
    held += len(chunk)
print(f"{held} children hold {held * SIZE >> 20} MB")
if held * SIZE > 2 * 1024**3:
    # @solution
    pass
else:
    # @starter
    pass
