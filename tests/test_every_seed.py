"""A grade does not depend on luck: every bank app gets the same verdict under several seeds.

Each bank app (and each lesson's reference solution) is graded under five
different seeds at once, through the warm pool with a thread per grading as
`grader batch` does. A wrong app must lose exactly the checks its header names on every
seed, with feedback that says what its header says, and a right app must keep
full marks on every seed. (This is the bank's one grading pass: test_banks.py
only checks its size.) The seeds are new each
run (so the suite keeps probing) and printed on failure; `GRADER_TEST_SEEDS=1,2,3,4,5`
replays a run.
"""

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from banks import bank_apps
from grader.grade import grade_path
from grader.lessons import all_lessons

SEEDS = [int(s) for s in os.environ.get("GRADER_TEST_SEEDS", "").split(",") if s.strip()] or [
    secrets.randbelow(2**31) for _ in range(5)
]
LESSONS = {lesson.slug: lesson for lesson in all_lessons()}
# Every bank app, and each lesson's reference solution as a right app.
CASES = [(f"{slug}/solution", slug, None) for slug in LESSONS] + [(app.id, app.lesson_slug, app) for app in bank_apps()]


def verdict(path: Path, lesson_id: str, seed: int) -> tuple[frozenset, int, str, str]:
    """(the checks lost, the points lost, their feedback to show, all of it lowercased to search) for one grading."""
    report = grade_path(path, lesson_id=lesson_id, seed=seed)
    failed = [c for c in report.checks if not c.passed]
    feedback = "\n".join(f"    {c.name}: {c.feedback[:300]}" for c in failed) + "".join(f"\n    note: {n}" for n in report.notes)
    said = " ".join(c.feedback for c in failed).lower()
    return frozenset(c.name for c in failed), report.exercise_max - report.exercise_score, feedback, said


@pytest.mark.parametrize("name, slug, bank", CASES, ids=[case[0] for case in CASES])
def test_same_verdict_on_every_seed(name, slug, bank, tmp_path):
    assert len(set(SEEDS)) >= 5, f"needs at least 5 different seeds, got {SEEDS}"
    lesson = LESSONS[slug]
    if bank is None:
        path, fails = lesson.folder / "solution.py", frozenset()
    else:
        path, fails = tmp_path / f"{bank.path.stem}.py", bank.fails
        path.write_text(bank.source())
    points = {check.name: check.points for check in lesson.checks}  # imports the checks before the threads do
    assert fails <= set(points), f"unknown check names in header: {sorted(fails - set(points))}"
    # One grading per seed at once, through the warm pool, as `grader batch` grades a class.
    with ThreadPoolExecutor(max_workers=len(SEEDS)) as pool:
        results = list(pool.map(lambda seed: verdict(path, lesson.id, seed), SEEDS))
    problems = []
    says = bank.says if bank is not None else ()
    for seed, (lost, lost_points, feedback, said) in zip(SEEDS, results):
        if lost != fails or lost_points != sum(points[c] for c in fails):
            problems.append(f"seed {seed}: expected to lose {sorted(fails)}, lost {sorted(lost)} "
                            f"(differs on {sorted(lost ^ fails)})\n{feedback}")
        problems.extend(f"seed {seed}: the feedback does not say {words!r}\n{feedback}" for words in says if words.lower() not in said)
    assert not problems, f"{name} under seeds {SEEDS}:\n" + "\n".join(problems)
