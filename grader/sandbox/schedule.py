"""How long a sandbox waited for a CPU: lets a timeout count the sandbox's own time, not the machine's load.

Linux keeps, per task, the time it was runnable but waiting on a run queue
(`run_delay`, the second field of /proc/PID/task/TID/schedstat). A request
timed by the wall clock alone could time out for an honest app while the
machine is busy with other work (other sandboxes, other users); the runner
gives back the time the sandbox's busiest-waiting task spent queued. A
handler that sleeps or waits on I/O is not queued, so its timeout is not
stretched; one that spins is stretched at most MAX_STRETCH times.
"""

from __future__ import annotations

import os
from typing import Callable

MAX_STRETCH = 3.0


def _run_delays(pids: set[int]) -> dict[int, int]:
    """{tid: nanoseconds spent waiting for a CPU} for every thread of `pids` and their children."""
    delays: dict[int, int] = {}
    todo, seen = list(pids), set()
    while todo and len(seen) < 256:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat", "rb") as fh:
                    delays[int(tid)] = int(fh.read().split()[1])
                if tid == str(pid):
                    with open(f"/proc/{pid}/task/{tid}/children", "rb") as fh:
                        todo.extend(int(c) for c in fh.read().split())
            except (OSError, ValueError, IndexError):
                continue
    return delays


class WaitClock:
    """Started when a request is sent; `waited()` is the seconds the sandbox has since spent queued."""

    def __init__(self, pids: Callable[[], set[int]]):
        self._pids = pids
        self._start = _run_delays(pids())

    def waited(self) -> float:
        now = _run_delays(self._pids())
        return max((delay - self._start.get(tid, 0) for tid, delay in now.items()), default=0) / 1e9
