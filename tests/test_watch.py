"""`grader watch`: a fresh report each time the file is saved, until interrupted.

Driven as a learner would: the command runs in its own process, the test
edits the file and reads the new report from its output, then stops it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from grader.lessons import get_lesson

LESSON = get_lesson("status-codes")
SOLUTION = (LESSON.folder / "solution.py").read_text()
STARTER = SOLUTION.split("### BEGIN SOLUTION")[0]


def start_watch(path: Path) -> subprocess.Popen:
    grader = Path(sys.executable).parent / "grader"
    return subprocess.Popen(
        [str(grader), "watch", str(path), "--lesson", LESSON.id, "--interval", "0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "160"},
    )


def next_report(proc: subprocess.Popen) -> str:
    """Everything the watcher prints for one grading, up to its 'Watching ...' line."""
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("Watching "):
            return "".join(lines)
    raise AssertionError("the watcher stopped early:\n" + "".join(lines) + proc.stderr.read())


def stop(proc: subprocess.Popen, sig: int) -> tuple[int, str, str]:
    proc.send_signal(sig)
    out, err = proc.communicate()
    return proc.returncode, out, err


@pytest.fixture
def watched(tmp_path):
    path = tmp_path / "bookshelf.py"
    path.write_text(STARTER)
    proc = start_watch(path)
    yield path, proc
    if proc.poll() is None:
        proc.kill()
        proc.communicate()


def test_watch_regrades_on_every_save_and_stops_on_ctrl_c(watched):
    path, proc = watched
    first = next_report(proc)
    assert "(started)" in first and "Where to start" in first
    assert f"Exercise 0/{LESSON.exercise_points}" in first.replace("  ", " ")

    path.write_text(SOLUTION)
    second = next_report(proc)
    assert "(change 1)" in second
    assert f"Exercise {LESSON.exercise_points}/{LESSON.exercise_points}" in " ".join(second.split())
    assert "✘" not in second.split("Quiz")[0]  # every exercise check passes

    path.write_text(SOLUTION.replace('    response.headers["Location"] = f"/books/{new.id}"\n', ""))
    third = next_report(proc)
    assert "(change 2)" in third
    location = next(c for c in LESSON.checks if c.name == "create-sets-location")
    assert f"Exercise {LESSON.exercise_points - location.points}/{LESSON.exercise_points}" in " ".join(third.split())

    code, out, err = stop(proc, signal.SIGINT)
    assert code == 0
    assert "Stopped watching." in out
    assert "Traceback" not in err


def test_watch_reports_an_unreadable_save_and_stops_on_sigterm(tmp_path):
    path = tmp_path / "01-status-codes.ipynb"
    path.write_text("{}")
    proc = start_watch(path)
    try:
        first = next_report(proc)
        assert "Cannot grade it yet" in first and "not a notebook" in first
        path.write_text((Path(__file__).parents[1] / "solutions" / f"{LESSON.slug}.ipynb").read_text())
        second = next_report(proc)
        assert "All done!" in second
        code, out, err = stop(proc, signal.SIGTERM)
        assert code == 0 and "Stopped watching." in out and "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_in_a_terminal_each_report_replaces_the_last(tmp_path):
    """On a real terminal (a pty) every grading starts by clearing the screen and its scrollback."""
    import pty
    import select

    path = tmp_path / "bookshelf.py"
    path.write_text(STARTER)
    main, child = pty.openpty()
    grader = Path(sys.executable).parent / "grader"
    proc = subprocess.Popen(
        [str(grader), "watch", str(path), "--lesson", LESSON.id, "--interval", "0.1"],
        stdin=subprocess.DEVNULL, stdout=child, stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "160", "TERM": "xterm"},
    )
    os.close(child)
    seen = b""

    def read_until(count: int) -> None:
        nonlocal seen
        while seen.count(b"Watching ") < count:  # pytest-timeout bounds the wait
            assert proc.poll() is None, seen.decode(errors="replace")
            if select.select([main], [], [], 1)[0]:
                seen += os.read(main, 65536)

    try:
        read_until(1)
        path.write_text(SOLUTION)
        read_until(2)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate()
        os.close(main)
    rounds = seen.split(b"\x1b[3J")
    clear = b"\x1b[2J\x1b[H"  # screen cleared, cursor home, then the scrollback erased
    assert len(rounds) == 3 and rounds[0].endswith(clear) and rounds[1].endswith(clear)
    text = [re.sub(r"\x1b\[[0-9;]*m|\s+", "", part.decode(errors="replace")) for part in rounds]  # styles and wrapping
    assert "(started)" in text[1] and "(change1)" not in text[1]
    assert "(change1)" in text[2] and "(started)" not in text[2]
