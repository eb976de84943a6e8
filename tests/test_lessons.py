"""Every lesson is complete and its reference solution earns every point."""

import pytest

from grader.grade import grade_path
from grader.lessons import all_lessons

LESSONS = all_lessons()


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_lesson_folder_is_complete(lesson):
    for name in ("lesson.toml", "quiz.toml", "checks.py", "solution.py"):
        assert (lesson.folder / name).is_file(), name
    assert len(lesson.quiz.questions) >= 6
    for question in lesson.quiz.questions:
        assert all(choice.why.strip() for choice in question.choices)
    assert lesson.checks, "no checks"
    assert list((lesson.folder / "examples").glob("*.py")), "no examples"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_solution_module_gets_full_exercise_marks(lesson):
    report = grade_path(lesson.folder / "solution.py", lesson_id=lesson.id)
    failures = [f"{c.name}: {c.feedback}" for c in report.checks if not c.passed]
    assert not failures, "\n".join(failures + report.notes)
    assert report.exercise_score == report.exercise_max == lesson.exercise_points
