"""The confinement's parts on their own: what the sandbox shows, cgroup v2's files, clean-up, the weak-confinement line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.sandbox import cgroup, schedule, view
from grader.sandbox.cleanup import remove_tree
from grader.sandbox.runner import confinement_report

ROOT = Path(__file__).resolve().parents[2]


def test_the_view_holds_the_runtime_but_not_the_course():
    seen = view.visible()
    folders, files = view.readable(seen)
    allowed = folders + files
    assert any(Path(p, "fastapi").is_dir() or p.endswith("/fastapi") for p in allowed)
    assert str(ROOT / "grader" / "sandbox") in allowed
    for secret in (ROOT, ROOT / "lessons", ROOT / "solutions", ROOT / "grader", Path.home()):
        assert not any(view._within(str(secret), p) for p in allowed), secret  # nothing above it
        assert str(secret) not in allowed
    assert not any(p.endswith("/grader/_lessons") or "/grader/_lessons/" in p for p in allowed)
    assert not any(p == "/etc" or p == "/proc" or p == "/tmp" for p in allowed)


def test_installed_lessons_are_carved_out(tmp_path):
    site = tmp_path / "site-packages"
    (site / "grader" / "_lessons" / "01").mkdir(parents=True)
    (site / "fastapi").mkdir()
    (site / "typing_extensions.py").write_text("")
    folders, files = view.readable(view.View((str(site),), (), (str(site / "grader"),)))
    assert folders == [str(site / "fastapi")] and files == [str(site / "typing_extensions.py")]


V2_MOUNTINFO = "30 23 0:27 / {root} rw,nosuid - cgroup2 cgroup2 rw\n"


def test_cgroup_v2_limits_and_kill_go_to_its_files(tmp_path):
    """A v2-only machine, its cgroupfs stood in for by folders: the right files get the right values."""
    root = tmp_path / "cgroup"
    base = root / "grader.slice"
    base.mkdir(parents=True)
    (base / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (base / "cgroup.subtree_control").write_text("")
    found = cgroup.discover(V2_MOUNTINFO.format(root=root), "0::/grader.slice\n")
    assert found == [cgroup.Hierarchy(base, 2, frozenset({"memory", "pids", "cpu"}))]
    group = cgroup.Group.create(1 << 30, 64, where=tuple(found))
    (path,) = group.dirs.values()
    assert path.parent == base and path.name.startswith(cgroup.PREFIX)
    assert (base / "cgroup.subtree_control").read_text() == "+cpu +memory +pids"
    assert (path / "memory.max").read_text() == str(1 << 30)
    assert (path / "memory.swap.max").read_text() == "0"
    assert (path / "pids.max").read_text() == "64"
    assert group.limited == {"memory", "pids", "cpu"}
    (path / "cgroup.kill").write_text("")
    assert group.kill() is True  # all were reached: the runner then skips its uid sweep
    assert (path / "cgroup.kill").read_text() == "1"


def test_a_group_whose_processes_cannot_be_listed_does_not_claim_it_killed_them(tmp_path):
    """Without cgroup.kill, only a group seen empty counts as all killed; an unreadable one means the uid sweep runs."""
    base = tmp_path / "pids"
    base.mkdir()
    group = cgroup.Group.create(1 << 30, 64, where=(cgroup.Hierarchy(base, 1, frozenset({"pids"})),))
    (path,) = group.dirs.values()
    assert group.kill() is False  # no cgroup.procs to read
    (path / "cgroup.procs").write_text("")
    assert group.kill() is True


def test_cgroup_v1_hierarchies_are_found_per_controller():
    mountinfo = (
        "32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
        "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
        "36 31 0:33 / /sys/fs/cgroup/devices rw - cgroup cgroup rw,devices\n"
    )
    found = cgroup.discover(mountinfo, "4:memory:/jobs/7\n1:cpu:/\n5:devices:/\n")
    assert {(str(h.base), h.version, tuple(h.controllers)) for h in found} == {
        ("/sys/fs/cgroup/cpu", 1, ("cpu",)),
        ("/sys/fs/cgroup/memory/jobs/7", 1, ("memory",)),
    }


@pytest.mark.skipif(os.geteuid() != 0 or "kill" not in cgroup.available(), reason="needs a writable cgroup with a kill")
def test_a_real_group_kills_a_forking_tree_and_goes():
    group = cgroup.Group.create(256 << 20, 32)
    assert group is not None
    child = subprocess.Popen([sys.executable, "-c", "import os, time\nfor _ in range(5): os.fork()\ntime.sleep(600)"])
    group.add(child.pid)
    assert group.pids()
    assert group.kill()
    child.wait(timeout=30)
    assert group.remove()
    assert not any(p.exists() for p in group.dirs.values())


def _deep_tree(top: Path, depth: int) -> None:
    fd = os.open(top, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    Path(f"/proc/self/fd/{fd}/file").write_text("x")
    os.fchmod(fd, 0)
    os.close(fd)


def test_clean_up_removes_a_3000_deep_unreadable_tree():
    base = Path("/dev/shm") if os.access("/dev/shm", os.W_OK) else None  # a disk's rmdir is slow under load
    top = Path(os.environ.get("TMPDIR", "/tmp") if base is None else base) / f"grader-test-deep-{os.getpid()}"
    top.mkdir()
    _deep_tree(top, 3000)
    with pytest.raises((RecursionError, OSError)):
        import shutil

        shutil.rmtree(top)  # what clean-up used to do
    assert remove_tree(top)
    assert not top.exists()


def test_clean_up_of_nothing_is_fine(tmp_path):
    assert remove_tree(tmp_path / "absent")


def test_the_report_names_only_what_is_missing():
    missing = confinement_report()
    assert isinstance(missing, list)
    if os.geteuid() == 0 and "kill" in cgroup.available():
        assert not any(m.startswith(("namespaces", "cgroups")) for m in missing), missing


def test_groups_left_by_a_killed_grader_are_swept_and_live_ones_kept(tmp_path):
    """A SIGKILLed batch leaves its empty groups; the next grader removes those of dead graders only."""
    base = tmp_path / "pids"
    base.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = base / f"{cgroup.PREFIX}{dead.pid}-0123abcd"
    live = base / f"{cgroup.PREFIX}{os.getpid()}-4567cdef"
    held = base / f"{cgroup.PREFIX}{dead.pid}-89abcdef"  # still holds a file, as a populated group refuses rmdir
    other = base / "someone-else"
    for folder in (left, live, held, other):
        folder.mkdir()
    (held / "cgroup.procs").write_text("")
    assert cgroup.sweep((cgroup.Hierarchy(base, 1, frozenset({"pids"})),)) == [left]
    assert sorted(p.name for p in base.iterdir()) == sorted(p.name for p in (live, held, other))


def _clock(tmp_path, monkeypatch, queued: float, used: float | None, elapsed: float) -> float:
    """WaitClock.waited() after `elapsed` s in which the group was queued `queued` s and used `used` s of CPU."""
    pressure = tmp_path / "cpu.pressure"
    now = {"t": 100.0, "pressure": 5.0, "usage": 7.0}
    pressure.write_text(f"some avg10=0.00 avg60=0.00 avg300=0.00 total={int(now['pressure'] * 1e6)}\n")
    monkeypatch.setattr(schedule, "monotonic", lambda: now["t"])
    clock = schedule.WaitClock(pressure, set, (lambda: now["usage"]) if used is not None else None)
    now["t"] += elapsed
    now["usage"] += used or 0.0
    pressure.write_text(f"some avg10=0.00 avg60=0.00 avg300=0.00 total={int((now['pressure'] + queued) * 1e6)}\n")
    return clock.waited()


def test_a_timeout_gives_back_time_queued_behind_neighbours_not_behind_its_own_processes(tmp_path, monkeypatch):
    # Starved by others: 3 s of wall, 0.5 s on a CPU, 2 s queued: all 2 s given back.
    assert _clock(tmp_path, monkeypatch, queued=2.0, used=0.5, elapsed=3.0) == pytest.approx(2.0)
    # Its own busy processes on every core (a fork bomb): as queued, but it used 6 s of CPU in 3 s: nothing back.
    assert _clock(tmp_path, monkeypatch, queued=2.0, used=6.0, elapsed=3.0) == 0.0
    # Half and half: back only the wall time it did not spend on a CPU itself.
    assert _clock(tmp_path, monkeypatch, queued=2.0, used=2.5, elapsed=3.0) == pytest.approx(0.5)
    # Where its CPU use is unknown, the queueing alone (as before).
    assert _clock(tmp_path, monkeypatch, queued=2.0, used=None, elapsed=3.0) == pytest.approx(2.0)


@pytest.mark.skipif(os.geteuid() != 0 or not any(h.version == 2 for h in cgroup.hierarchies()), reason="needs a cgroup v2 group of its own")
def test_a_real_group_that_keeps_every_core_busy_gets_back_none_of_its_own_queueing():
    """Twice as many spinners as cores: always queued, mostly behind each other. Whatever else the machine runs
    (CI load gives the group less CPU), what is given back is capped by the wall time the group spent off a CPU."""
    spin = "import time\nend = time.time() + 5\nwhile time.time() < end: pass"
    group = cgroup.Group.create(256 << 20, 32)
    busy = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(2 * (os.cpu_count() or 1))]
    try:
        for process in busy:
            group.add(process.pid)
        time.sleep(0.3)  # all spinning
        start, used_before = time.monotonic(), group.cpu_seconds()
        assert used_before is not None
        clock = schedule.WaitClock(group.pressure, group.pids, group.cpu_seconds)
        time.sleep(2.0)
        queued, waited = clock._queued(), clock.waited()
        elapsed, used = time.monotonic() - start, group.cpu_seconds() - used_before
        assert waited <= max(0.0, elapsed - used) + 0.05
        assert queued - waited > 0.3, (queued, waited, used)  # the queueing behind its own processes stays counted
    finally:
        group.kill()
        for process in busy:
            process.wait()
        group.remove()
