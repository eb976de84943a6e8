"""How long a sandbox waited for a CPU: lets a timeout count the sandbox's own time, not the machine's load.

A request timed by the wall clock alone could time out for an honest app
while the machine is busy with other work (other sandboxes, other users);
the runner gives back the time the sandbox spent runnable but queued for a
CPU. Read from the sandbox's cgroup v2 pressure file (`cpu.pressure`, "some"
total: time during which at least one of its tasks waited; one read per
request) where there is one, else from each task's `run_delay` (the second
field of /proc/PID/task/TID/schedstat; the longest wait of any task). A
handler that sleeps or waits on I/O is not queued, so its timeout is not
stretched; one that spins is stretched at most MAX_STRETCH times.

Queued behind its own processes is not waiting for others: where the
sandbox's CPU use is known (cgroup v2 `cpu.stat`), no more is given back
than the wall time it did not itself spend on a CPU. A fork bomb or a pool
of spinning threads keeps every core busy and its tasks queued, yet gets no
extra time; an honest handler starved by neighbours gets it all.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from time import monotonic

MAX_STRETCH = 3.0


def _run_delays(pids: set[int]) -> dict[int, int]:
    """{tid: nanoseconds spent waiting for a CPU} for every thread of `pids` and their children."""
    delays: dict[int, int] = {}
    todo, seen = list(pids), set[int]()
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


def pressure_seconds(path: Path) -> float | None:
    """The "some" total of a cgroup v2 `cpu.pressure` file, in seconds; None when unreadable."""
    try:
        with open(path, "rb") as fh:
            first = fh.readline()
        return int(first.rsplit(b"total=", 1)[1]) / 1e6
    except (OSError, ValueError, IndexError):
        return None


class WaitClock:
    """Started when a request is sent; `waited()` is the seconds the sandbox has since spent queued."""

    def __init__(
        self, pressure: Path | None, pids: Callable[[], set[int]], usage: Callable[[], float | None] | None = None
    ):
        self._pressure, self._pids, self._usage = pressure, pids, usage
        self._start_pressure = pressure_seconds(pressure) if pressure is not None else None
        self._start = _run_delays(pids()) if self._start_pressure is None else {}
        self._start_time = monotonic()
        self._start_usage = usage() if usage is not None else None

    def waited(self) -> float:
        queued = self._queued()
        if self._start_usage is None:
            return queued
        used = self._usage() if self._usage is not None else None
        if used is None:
            return queued
        idle = monotonic() - self._start_time - (used - self._start_usage)  # wall time not spent on a CPU
        return min(queued, max(idle, 0.0))

    def _queued(self) -> float:
        if self._start_pressure is not None and self._pressure is not None:
            now = pressure_seconds(self._pressure)
            return max(now - self._start_pressure, 0.0) if now is not None else 0.0
        delays = _run_delays(self._pids())
        return max((delay - self._start.get(tid, 0) for tid, delay in delays.items()), default=0) / 1e9
