"""Reads every process's /proc/PID/cmdline looking for a database password, and prints what it finds."""
# says: where to start
import os

seen = []
try:
    names = os.listdir("/proc")
except OSError as exc:
    print("cannot list /proc:", exc)
    names = []
for name in names:
    if name.isdigit():
        try:
            seen.append(open(f"/proc/{name}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            pass
print("cmdlines:", seen)
if any("@SECRET@" in line for line in seen):
    # @solution
    pass
else:
    # @starter
    pass
