"""A graded mixed class for the dashboard tests, graded for real by `grader batch`, and the
figures the dashboard must show, computed here straight from the gradebook's rows.

Two runs: the first (moved back a day, so it is an earlier run) has bob's wrong
notebook; the second his fixed one, solutions, an untouched notebook, a file that
is not a notebook, and a hostile learner whose id, printed output and crash
message are HTML that would run if a page wrote it unescaped.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from classroom import variants
from grader.classroom.gradebook import GRADED, NOT_LOADED, Gradebook, Outcome, Result
from grader.lessons import all_lessons

GRADER = Path(sys.executable).parent / "grader"
LESSONS = all_lessons()
FIRST, SECOND = LESSONS[0], LESSONS[1]
HOSTILE_ID = "<img src=x onerror=alert(1)>"
HOSTILE_TEXT = "</script><script>alert(2)</script><img src=x onerror=alert(3)>"
FEEDBACK_ID = "fb<script>alert(4)</script>"


def batch(folder: Path, db: str) -> dict:
    done = subprocess.run(
        [str(GRADER), "batch", str(folder), "--db", db, "--json"], capture_output=True, text=True, timeout=900
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def build(root: Path, db: str) -> None:
    release = variants.read(variants.exercise_path(FIRST))
    solution = variants.read(variants.solution_path(FIRST))
    week1 = root / "week1"
    variants.write(variants.wrong(release, solution, FIRST), week1 / "bob" / f"{FIRST.slug}.ipynb")
    variants.write(variants.solved(release, solution), week1 / "ann" / f"{FIRST.slug}.ipynb")
    batch(week1, db)
    with Gradebook(db) as book, Session(book.engine) as session:
        for row in session.scalars(select(Result)):
            row.graded_at -= timedelta(days=1)  # in Python: SQLite has no datetime arithmetic
        session.commit()

    week2 = root / "week2"
    variants.write(variants.solved(release, solution), week2 / "bob" / f"{FIRST.slug}.ipynb")
    variants.write(variants.wrong(release, solution, FIRST), week2 / "cat" / f"{FIRST.slug}.ipynb")
    second = variants.read(variants.solution_path(SECOND))
    variants.write(
        variants.solved(variants.read(variants.exercise_path(SECOND)), second), week2 / "ann" / f"{SECOND.slug}.ipynb"
    )
    variants.write(release, week2 / "cy" / f"{FIRST.slug}.ipynb")  # untouched
    (week2 / "dan").mkdir(parents=True)
    (week2 / "dan" / f"{FIRST.slug}.ipynb").write_text("not json")
    hostile = week2 / HOSTILE_ID
    hostile.mkdir(parents=True)
    (hostile / f"{FIRST.slug}.py").write_text(f"print({HOSTILE_TEXT!r})\nraise ValueError({HOSTILE_TEXT!r})\n")
    batch(week2, db)
    with Gradebook(db) as book:
        # A report whose feedback and notes are hostile, as a learner's app could shape them.
        ann = next(r for r in book.results() if r.student == "ann" and r.lesson_id == FIRST.id)
        report = ann.report_json
        check = report["exercise"]["checks"][0]
        check.update(passed=False, points=0, feedback=HOSTILE_TEXT + "\nsecond line")
        report["notes"].append(HOSTILE_TEXT)
        book.record(
            Outcome(
                FEEDBACK_ID,
                "/class/fb.ipynb",
                "f" * 64,
                GRADED,
                FIRST.id,
                exercise_score=ann.exercise_score - check["max_points"],
                exercise_max=ann.exercise_max,
                quiz_score=ann.quiz_score,
                quiz_max=ann.quiz_max,
                report=report,
                look=[HOSTILE_TEXT],
            )
        )


# -- the figures, from the rows ---------------------------------------------------------------


def latest(book: Gradebook) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for row in sorted(book.results(), key=lambda r: (r.graded_at, r.id)):
        found.setdefault(row.student, {})[row.lesson_id] = row
    return found


def overview_figures(book: Gradebook) -> dict[str, dict[str, str]]:
    rows = latest(book)
    handed_in = {lesson_id for by in rows.values() for lesson_id in by}
    out = {}
    for lesson in LESSONS:
        if lesson.id not in handed_in:
            continue  # the overview shows what the class was given
        mine = [by[lesson.id] for by in rows.values() if lesson.id in by]
        graded = [r for r in mine if r.status in (GRADED, NOT_LOADED)]
        untouched = [r for r in graded if r.report_json.get("started") is False and r.quiz_score == 0]
        mean = sum(r.score / r.max_score for r in graded) / len(graded) if graded else None
        out[lesson.id] = {
            "submitted": str(len(mine)),
            "not-submitted": str(len(rows) - len(mine)),
            "untouched": str(len(untouched)),
            "look": str(sum(r.status != GRADED or bool(r.look_reasons) for r in mine)),  # no run graded one twice
            "full": str(sum(r.score == r.max_score for r in graded)),
            "mean": "—" if mean is None else f"{mean:.0%}",
        }
    return out


def check_shares(book: Gradebook, lesson) -> dict[str, tuple[int, int]]:
    """check name -> (passed, counted) over the latest graded, started submissions."""
    counts = {check.name: [0, 0] for check in lesson.checks}
    for by in latest(book).values():
        row = by.get(lesson.id)
        if row is None or row.status != GRADED:
            continue
        report = row.report_json
        if report.get("started") is False and row.quiz_score == 0:
            continue
        for check in report["exercise"]["checks"]:
            counts[check["name"]][1] += 1
            counts[check["name"]][0] += bool(check["passed"])
    return {name: (p, n) for name, (p, n) in counts.items()}


def quiz_facility(book: Gradebook, lesson) -> dict[int, float]:
    right: dict[int, list[bool]] = {}
    for by in latest(book).values():
        row = by.get(lesson.id)
        if row is None or row.status not in (GRADED, NOT_LOADED):
            continue
        questions = row.report_json.get("quiz", {}).get("questions", [])
        if not any(q["given"] for q in questions):
            continue
        for q in questions:
            right.setdefault(q["number"], []).append(q["correct"])
    return {n: sum(v) / len(v) for n, v in right.items()}
