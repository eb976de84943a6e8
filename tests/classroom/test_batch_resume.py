"""A real `grader batch` over a mixed class folder, SIGKILLed mid-run, then resumed.

The folder holds every lesson's solution, an untouched exercise, a wrong
variant, and the bad ones: invalid JSON, not UTF-8, code that kills its own
process, code that never finishes loading. Nothing graded before the kill is
lost or graded again; every bad submission ends up recorded with its reason.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from classroom import variants
from grader.classroom.gradebook import GRADED, NOT_LOADED, UNUSABLE
from grader.lessons import all_lessons

LESSONS = all_lessons()
FIRST = LESSONS[0]
GRADER = Path(sys.executable).parent / "grader"
WAIT_LIMIT = 600  # seconds: a safety net so a broken batch fails the test instead of hanging it

pytestmark = pytest.mark.timeout(900)


def make_class(folder: Path) -> dict[str, tuple[str, str]]:
    """Write the class; return student -> (expected status, words the reason must contain)."""
    release = variants.read(variants.exercise_path(FIRST))
    solution = variants.read(variants.solution_path(FIRST))
    # Graded in this order with --jobs 1 (files first, then folders, each sorted):
    variants.write(variants.solved(release, solution), folder / f"a-ada-{FIRST.slug}.ipynb")
    (folder / f"b-bo-{FIRST.slug}.py").write_text("while True:\n    pass\n")  # never finishes loading
    variants.write(release, folder / f"c-cy-{FIRST.slug}.ipynb")
    variants.write(variants.wrong(release, solution, FIRST), folder / f"d-di-{FIRST.slug}.ipynb")
    (folder / "e-ed.ipynb").write_text('{"cells": [')
    (folder / f"f-flo-{FIRST.slug}.py").write_bytes(b"\xff\xfe not text")
    (folder / "g-gus").mkdir()
    (folder / "g-gus" / f"{FIRST.slug}.py").write_text("import os\nos._exit(3)\n")
    for lesson in LESSONS:
        target = folder / "z-zoe" / f"{lesson.slug}.ipynb"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(variants.solution_path(lesson).read_bytes())
    return {
        "a-ada": (GRADED, ""),
        "b-bo": (NOT_LOADED, "did not finish loading"),
        "c-cy": (GRADED, ""),
        "d-di": (GRADED, ""),
        "e-ed": (UNUSABLE, "invalid JSON"),
        "f-flo": (UNUSABLE, "not UTF-8"),
        "g-gus": (NOT_LOADED, "could not be loaded"),
        "z-zoe": (GRADED, ""),
    }


def rows(db: Path) -> list[dict]:
    if not db.exists():
        return []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as con:
        con.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in con.execute("SELECT * FROM grader_results ORDER BY id")]
        except sqlite3.OperationalError:  # the table is not there yet
            return []


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


def batch(folder: Path, db: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(GRADER), "batch", str(folder), "--db", str(db), "--json", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the sandbox workers")
def test_batch_killed_mid_run_loses_nothing_and_resumes(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    expected = make_class(folder)
    total = len(expected) - 1 + len(LESSONS)
    db = tmp_path / "gradebook.db"

    first = batch(folder, db, "--jobs", "1")
    # The first result is committed while the second submission (an endless loop) is loading.
    wait_until(lambda: first.poll() is not None or (rows(db) and children(first.pid)), "the first result and the next sandbox")
    assert first.poll() is None, first.communicate()
    workers = children(first.pid)
    os.kill(first.pid, signal.SIGKILL)
    first.communicate()
    assert first.returncode == -signal.SIGKILL

    before = rows(db)
    assert [(r["student"], r["status"]) for r in before] == [("a-ada", GRADED)]
    assert before[0]["exercise_score"] + before[0]["quiz_score"] == FIRST.exercise_points + FIRST.quiz.max_score
    # The learner code that was loading died with the batch instead of spinning on as an orphan.
    wait_until(lambda: not any(alive(pid) for pid in workers), "the orphaned sandbox worker to exit")
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    second = batch(folder, db, "--jobs", "2")
    out, err = second.communicate(timeout=WAIT_LIMIT)
    assert second.returncode == 0, err
    summary = json.loads(out)
    assert (summary["found"], summary["skipped"]) == (total, 1)
    assert sorted(o["student"] for o in summary["outcomes"]).count("a-ada") == 0

    after = rows(db)
    assert len(after) == total
    ada = next(r for r in after if r["student"] == "a-ada")
    assert (ada["id"], ada["graded_at"], ada["seed"]) == (before[0]["id"], before[0]["graded_at"], before[0]["seed"])

    by_student: dict[str, list[dict]] = {}
    for row in after:
        by_student.setdefault(row["student"], []).append(row)
    for student, (status, reason) in expected.items():
        for row in by_student[student]:
            assert row["status"] == status, (student, row["status"], row["reason"])
            assert reason in row["reason"], (student, row["reason"])
    assert {r["lesson_id"] for r in by_student["z-zoe"]} == {lesson.id for lesson in LESSONS}
    for row in by_student["z-zoe"]:
        assert row["exercise_score"] == row["exercise_max"] and row["quiz_score"] == row["quiz_max"]
    full = FIRST.exercise_points + FIRST.quiz.max_score
    cy, di = by_student["c-cy"][0], by_student["d-di"][0]
    assert cy["exercise_score"] + cy["quiz_score"] == 0
    assert 0 < di["exercise_score"] + di["quiz_score"] < full
    assert by_student["f-flo"][0]["lesson_id"] == FIRST.id  # known from its name, though unreadable
    assert by_student["e-ed"][0]["lesson_id"] is None

    third = batch(folder, db)
    out, err = third.communicate(timeout=WAIT_LIMIT)
    assert third.returncode == 0, err
    assert json.loads(out)["skipped"] == total
    assert rows(db) == after
