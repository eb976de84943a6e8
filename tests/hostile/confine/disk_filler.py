"""Writes as many files and bytes as it can (1 MB files, then empty ones), everywhere it may."""
# says: where to start
import os
import tempfile

written = files = 0
for folder in (os.getcwd(), tempfile.gettempdir(), "/tmp", "/dev/shm"):
    try:
        for i in range(3000):
            with open(os.path.join(folder, f"fill-{os.getpid()}-{i}"), "wb") as fh:
                fh.write(b"x" * 1024 * 1024)
            written += 1024 * 1024
            files += 1
    except OSError as exc:
        print("stopped in", folder, exc)
    try:
        for i in range(100_000):
            open(os.path.join(folder, f"empty-{os.getpid()}-{i}"), "wb").close()
            files += 1
    except OSError as exc:
        print("stopped in", folder, exc)
print(f"{files} files, {written >> 20} MB")
if written > 512 * 1024 * 1024 or files > 20_000:
    # @solution
    pass
else:
    # @starter
    pass
