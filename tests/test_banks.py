"""Every check catches the bug it exists for, and only that bug.

Wrong apps lose exactly the points of the checks their header names, with
feedback that says so; right apps in other styles get full marks.
"""

from collections import Counter

import pytest

from banks import BANKS, bank_apps
from grader.grade import grade_path
from grader.lessons import all_lessons

APPS = bank_apps()
SLUG_TO_ID = {lesson.slug: lesson.id for lesson in all_lessons()}


@pytest.mark.parametrize("bank", APPS, ids=[a.id for a in APPS])
def test_bank_app_loses_exactly_its_checks(bank, tmp_path):
    app = tmp_path / f"{bank.path.stem}.py"
    app.write_text(bank.source())
    report = grade_path(app, lesson_id=SLUG_TO_ID[bank.lesson_slug])
    failed = {c.name for c in report.checks if not c.passed}
    known = {c.name for c in report.checks}
    assert bank.fails <= known, f"unknown check names in header: {sorted(bank.fails - known)}"
    assert failed == bank.fails, "\n".join(f"{c.name}: {c.feedback}" for c in report.checks if not c.passed) + "\n" + "\n".join(report.notes)
    lost = sum(c.max_points for c in report.checks if c.name in bank.fails)
    assert report.exercise_score == report.exercise_max - lost
    feedback = " ".join(c.feedback for c in report.checks if not c.passed).lower()
    for words in bank.says:
        assert words.lower() in feedback, f"feedback does not say {words!r}: {feedback}"


def test_every_lesson_bank_is_big_enough():
    wrong = Counter(a.lesson_slug for a in APPS if a.fails)
    right = Counter(a.lesson_slug for a in APPS if not a.fails)
    for lesson in all_lessons():
        if not (BANKS / lesson.slug).is_dir():
            continue
        assert wrong[lesson.slug] >= 10, f"{lesson.slug}: only {wrong[lesson.slug]} wrong apps"
        assert right[lesson.slug] >= 3, f"{lesson.slug}: only {right[lesson.slug]} right apps"
