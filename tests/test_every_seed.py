"""A grade does not depend on luck: every bank app gets the same verdict under several seeds.

Each lesson's bank (and its reference solution) is graded under SEEDS
different seeds, through the warm pool with a thread per job as `grader batch`
does. A wrong app must lose exactly the checks its header names on every
seed, a right app must keep full marks on every seed. The seeds are new each
run (so the suite keeps probing) and printed on failure; `GRADER_TEST_SEEDS=1,2,3,4,5`
replays a run.
"""

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from banks import bank_apps
from grader.batch import default_jobs
from grader.grade import grade_path
from grader.lessons import all_lessons

SEEDS = [int(s) for s in os.environ.get("GRADER_TEST_SEEDS", "").split(",") if s.strip()] or [
    secrets.randbelow(2**31) for _ in range(5)
]
LESSONS = all_lessons()
APPS = bank_apps()


def verdict(path: Path, lesson_id: str, seed: int) -> tuple[frozenset, int, str]:
    """(the checks lost, the points lost, their feedback) for one grading."""
    report = grade_path(path, lesson_id=lesson_id, seed=seed)
    failed = [c for c in report.checks if not c.passed]
    feedback = "\n".join(f"    {c.name}: {c.feedback[:300]}" for c in failed) + "".join(f"\n    note: {n}" for n in report.notes)
    return frozenset(c.name for c in failed), report.exercise_max - report.exercise_score, feedback


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_every_bank_app_gets_the_same_verdict_on_every_seed(lesson, tmp_path):
    assert len(set(SEEDS)) >= 5, f"needs at least 5 different seeds, got {SEEDS}"
    apps: list[tuple[str, Path, frozenset]] = [("solution.py", lesson.folder / "solution.py", frozenset())]
    for bank in (a for a in APPS if a.lesson_slug == lesson.slug):
        path = tmp_path / f"{bank.path.stem}.py"
        path.write_text(bank.source())
        apps.append((bank.id, path, bank.fails))
    points = {check.name: check.points for check in lesson.checks}  # imported here, before the threads
    jobs = [(name, path, fails, seed) for name, path, fails in apps for seed in SEEDS]
    with ThreadPoolExecutor(max_workers=default_jobs()) as pool:
        results = list(pool.map(lambda job: verdict(job[1], lesson.id, job[3]), jobs))

    problems = []
    for (name, _, fails, seed), (lost, lost_points, feedback) in zip(jobs, results):
        if lost != fails or lost_points != sum(points[c] for c in fails):
            wrong = sorted(lost ^ fails)
            problems.append(f"{name} under seed {seed}: expected to lose {sorted(fails)}, lost {sorted(lost)} "
                            f"(differs on {wrong})\n{feedback}")
    assert not problems, f"seeds {SEEDS}\n" + "\n".join(problems)

