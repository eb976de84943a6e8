"""One control group per sandbox: limits for the submission as a whole, and a kill that misses nothing.

Created by the grader (as root, or wherever it may write a cgroup) before the
worker runs any learner code, as a child of the grader's own cgroup in each
hierarchy (so limits set on the grader still hold). cgroup v2 where it has
the controllers (memory.max, pids.max, cpu.weight, cgroup.kill); cgroup v1
controllers (memory, pids, cpu, freezer) where that is what the machine has;
a hybrid machine (v1 controllers plus an empty v2 hierarchy) gets the v1
limits and v2's cgroup.kill.

Fair CPU share: the scheduler divides CPU time between groups by weight, so
a sandbox running fifty busy processes gets the same share as a neighbour
running one; its processes only compete with each other.
"""

from __future__ import annotations

import os
import secrets
import signal
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PREFIX = "grader-sandbox-"
V1_CONTROLLERS = ("memory", "pids", "cpu", "freezer")


@dataclass(frozen=True)
class Hierarchy:
    base: Path  # where our sandboxes' groups go: the grader's own cgroup in this hierarchy
    version: int
    controllers: frozenset[str]


@lru_cache(maxsize=1)
def hierarchies() -> tuple[Hierarchy, ...]:
    """The hierarchies this process may create groups in (empty when none, e.g. not root on cgroup v1)."""
    try:
        found = discover(Path("/proc/self/mountinfo").read_text(), Path("/proc/self/cgroup").read_text())
    except OSError:
        return ()
    return tuple(h for h in found if os.access(h.base, os.W_OK))


def discover(mountinfo: str, own: str) -> list[Hierarchy]:
    """The cgroup hierarchies mounted (`/proc/self/mountinfo`), based at our own group in each (`/proc/self/cgroup`)."""
    paths: dict[str, str] = {}  # "0" (v2) or a v1 controller -> our path in that hierarchy
    for line in own.splitlines():
        number, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else ["0" if number == "0" else ""]:
            paths[name] = path
    found = []
    for line in mountinfo.splitlines():
        before, _, after = line.partition(" - ")
        fields, tail = before.split(), after.split()
        if len(fields) < 5 or len(tail) < 3:
            continue
        mount, fstype, options = fields[4], tail[0], frozenset(tail[2].split(","))
        if fstype == "cgroup2" and "0" in paths:
            base = Path(mount + paths["0"])
            try:
                available = frozenset((base / "cgroup.controllers").read_text().split())
            except OSError:
                continue
            found.append(Hierarchy(base, 2, available & {"memory", "pids", "cpu"}))
        elif fstype == "cgroup":
            mounted = options & set(V1_CONTROLLERS)
            if len(mounted) == 1:
                (name,) = mounted
                found.append(Hierarchy(Path(mount + paths.get(name, "/")), 1, mounted))
    return found


def available() -> set[str]:
    """What the groups give here: 'memory', 'pids', 'cpu', 'kill' (a kill that misses nothing)."""
    out: set[str] = set()
    for h in hierarchies():
        out |= h.controllers
        if h.version == 2 and (h.base / "cgroup.kill").exists() or "freezer" in h.controllers:
            out.add("kill")
    out.discard("freezer")
    return out


class Group:
    """The sandbox's cgroups, one per hierarchy."""

    def __init__(self, dirs: dict[Hierarchy, Path]):
        self.dirs = dirs
        self.limited: set[str] = set()

    @classmethod
    def create(cls, memory_bytes: int, max_processes: int, where: tuple[Hierarchy, ...] | None = None) -> Group | None:
        name = PREFIX + f"{os.getpid()}-{secrets.token_hex(4)}"
        dirs: dict[Hierarchy, Path] = {}
        if where is None:
            _sweep_once()
        for h in hierarchies() if where is None else where:
            if h.version == 2 and h.controllers:
                _enable(h)
            try:
                (h.base / name).mkdir()
            except OSError:
                continue
            dirs[h] = h.base / name
        if not dirs:
            return None
        group = cls(dirs)
        group._write("memory", {2: "memory.max", 1: "memory.limit_in_bytes"}, memory_bytes)
        group._write("memory", {2: "memory.swap.max"}, 0)  # v1 counts swap only where memsw exists
        group._write("memory", {1: "memory.memsw.limit_in_bytes"}, memory_bytes)
        group._write("pids", {2: "pids.max", 1: "pids.max"}, max_processes)
        if any("cpu" in h.controllers for h in dirs):
            group.limited.add("cpu")  # the default weight: what makes the share fair is being one group
        return group

    def _write(self, controller: str, files: dict[int, str], value) -> None:
        for h, path in self.dirs.items():
            if controller in h.controllers and h.version in files:
                try:
                    (path / files[h.version]).write_text(str(value))
                    self.limited.add(controller)
                except OSError:
                    pass  # not offered here (e.g. v1 without swap accounting); confinement_report says what is missing

    def add(self, pid: int) -> None:
        for path in self.dirs.values():
            (path / "cgroup.procs").write_text(str(pid))

    def pids(self) -> set[int]:
        """The group's processes (every hierarchy holds the same ones; one that can be read is enough)."""
        return self._pids() or set()

    def _pids(self) -> set[int] | None:
        for path in self.dirs.values():
            try:
                return {int(p) for p in (path / "cgroup.procs").read_text().split()}
            except (OSError, ValueError):
                continue
        return None  # none could be read

    def cpu_seconds(self) -> float | None:
        """CPU time the group's processes have used (cgroup v2's cpu.stat, which every v2 group has); None elsewhere."""
        for h, path in self.dirs.items():
            if h.version == 2:
                try:
                    with open(path / "cpu.stat", "rb") as fh:
                        first = fh.readline()
                    if first.startswith(b"usage_usec "):
                        return int(first.split()[1]) / 1e6
                except (OSError, ValueError, IndexError):
                    pass
        return None

    @property
    def pressure(self) -> Path | None:
        """cgroup v2's CPU pressure file for the group, when the kernel keeps one (PSI)."""
        for h, path in self.dirs.items():
            if h.version == 2 and (path / "cpu.pressure").exists():
                return path / "cpu.pressure"
        return None

    def kill(self) -> bool:
        """SIGKILL every process in the group, whatever it does meanwhile (forking included).

        True when every one was signalled (cgroup.kill, or the group seen empty: an empty group gains
        no process): no process of the sandbox is left to look for elsewhere.
        """
        for h, path in self.dirs.items():
            if h.version == 2 and (path / "cgroup.kill").exists():
                try:
                    (path / "cgroup.kill").write_text("1")
                    return True
                except OSError:
                    pass
        freezer = next((p for h, p in self.dirs.items() if "freezer" in h.controllers), None)
        for _ in range(100):  # without cgroup.kill: freeze (no more forks), kill, thaw
            if freezer is not None:
                _try_write(freezer / "freezer.state", "FROZEN")
            seen = self._pids()
            left = seen or set()
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            if freezer is not None:
                _try_write(freezer / "freezer.state", "THAWED")
            if not left:
                return seen is not None
            time.sleep(0.005)
        return False

    def remove(self, timeout: float = 10.0) -> bool:
        """Kill what is left and delete the groups; False if one could not be deleted in time."""
        deadline = time.monotonic() + timeout
        pending = dict(self.dirs)
        while pending:
            for h, path in list(pending.items()):
                try:
                    path.rmdir()
                    del pending[h]
                except FileNotFoundError:
                    del pending[h]
                except OSError:
                    pass
            if not pending or time.monotonic() > deadline:
                break
            self.kill()
            time.sleep(0.005)
        self.dirs = pending
        return not pending


def _enable(h: Hierarchy) -> None:
    """cgroup v2 gives a child a controller only once its parent delegates it."""
    try:
        enabled = set((h.base / "cgroup.subtree_control").read_text().split())
        missing = h.controllers - enabled
        if missing:
            (h.base / "cgroup.subtree_control").write_text(" ".join("+" + c for c in sorted(missing)))
    except OSError:
        pass  # e.g. the grader's own cgroup holds processes (v2's no-internal-process rule): no limits, kill still works


def _try_write(path: Path, text: str) -> None:
    try:
        path.write_text(text)
    except OSError:
        pass


def sweep(where: tuple[Hierarchy, ...]) -> list[Path]:
    """Delete the empty groups of graders that are gone (a SIGKILLed batch cannot remove its own); returns them.

    A group is named for the grader's pid: one whose grader still runs, or
    that still holds a process, is left alone (rmdir refuses a populated group).
    """
    removed = []
    for h in where:
        try:
            entries = list(os.scandir(h.base))
        except OSError:
            continue
        for entry in entries:
            if not entry.name.startswith(PREFIX) or not entry.is_dir(follow_symlinks=False):
                continue
            try:
                owner = int(entry.name[len(PREFIX) :].split("-", 1)[0])
                os.kill(owner, 0)
                continue  # its grader is alive
            except ProcessLookupError:
                pass
            except (ValueError, OSError):
                continue
            try:
                os.rmdir(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed


@lru_cache(maxsize=1)
def _sweep_once() -> None:
    sweep(hierarchies())
