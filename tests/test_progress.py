"""`grader progress`: one table of every lesson, what is done, and the next step."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from typer.testing import CliRunner

from grader import build_notebooks, progress
from grader.cli import app
from grader.lessons import all_lessons
from grader.reset import fresh_exercise

LESSONS = all_lessons()
ROOT = build_notebooks.repo_root()
FIRST = LESSONS[0]


@pytest.fixture
def exercises(tmp_path):
    """A learner's exercises/ folder as a fresh checkout has it."""
    folder = tmp_path / "exercises"
    folder.mkdir()
    for lesson in LESSONS:
        (folder / f"{lesson.slug}.ipynb").write_text(fresh_exercise(lesson))
    return folder


def run_progress(folder, *args) -> dict:
    result = CliRunner().invoke(app, ["progress", "--dir", str(folder), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_lesson(data: dict) -> dict:
    return {row["lesson"]: row for row in data["lessons"]}


def answer_first_question(path, letter: str) -> None:
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.id == f"{build_notebooks.ANSWER_CELL_PREFIX}1")
    cell.source = f'QUIZ_ANSWERS[1] = "{letter}"'
    nbformat.write(nb, path)


def test_fresh_checkout_shows_every_lesson_at_zero_and_lesson_01_next(exercises):
    data = run_progress(exercises)
    assert [row["lesson"] for row in data["lessons"]] == [lesson.id for lesson in LESSONS]
    for lesson, row in zip(LESSONS, data["lessons"]):
        assert row["status"] == progress.NOT_STARTED
        assert row["quiz_score"] == 0 and row["quiz_max"] == lesson.quiz.max_score
        assert row["exercise_max"] == lesson.exercise_points
        # Not even the capstone, whose leaky starter app passes a few checks before a line is written.
        assert row["exercise_score"] == 0
    assert data["next_step"].startswith(f"Start lesson {FIRST.number:02d}")
    assert "`make lab`" in data["next_step"] and f"{FIRST.slug}.ipynb" in data["next_step"]


def test_running_the_cells_without_writing_code_is_still_not_started(exercises):
    path = exercises / f"{FIRST.slug}.ipynb"
    nb = nbformat.read(path, as_version=4)
    for number, code_cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        code_cell.execution_count = number + 1
        code_cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "0"}, execution_count=number + 1)]
    nbformat.write(nb, path)
    row = by_lesson(run_progress(exercises))[FIRST.id]
    assert row["status"] == progress.NOT_STARTED


def test_table_names_every_lesson_and_the_next_step(exercises):
    result = CliRunner().invoke(app, ["progress", "--dir", str(exercises)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for lesson in LESSONS:
        assert lesson.title in result.output
        assert f"0/{lesson.quiz.max_score}" in result.output
    assert "Next step" in result.output and "make lab" in result.output
    total = sum(lesson.exercise_points + lesson.quiz.max_score for lesson in LESSONS)
    assert f"0 of {len(LESSONS)} lessons done · 0/{total} points" in result.output


def test_scores_statuses_and_next_step_follow_the_learners_work(exercises):
    # Lesson 01 solved, quiz included: done; the next step moves on.
    shutil.copy(ROOT / "solutions" / f"{FIRST.slug}.ipynb", exercises / f"{FIRST.slug}.ipynb")
    data = run_progress(exercises)
    first = by_lesson(data)[FIRST.id]
    assert first["status"] == progress.DONE
    assert (first["exercise_score"], first["quiz_score"]) == (FIRST.exercise_points, FIRST.quiz.max_score)
    if len(LESSONS) > 1:
        assert data["next_step"].startswith(f"Start lesson {LESSONS[1].number:02d}")
    else:
        assert data["next_step"].startswith(f"All {len(LESSONS)} lessons are done")

    # Back to a fresh notebook with one quiz answer right: in progress, next step says what is left.
    (exercises / f"{FIRST.slug}.ipynb").write_text(fresh_exercise(FIRST))
    answer_first_question(exercises / f"{FIRST.slug}.ipynb", FIRST.quiz.questions[0].answer)
    data = run_progress(exercises)
    first = by_lesson(data)[FIRST.id]
    assert first["status"] == progress.IN_PROGRESS and first["quiz_score"] == 1
    assert data["next_step"].startswith(f"Continue lesson {FIRST.number:02d}")
    assert f"the quiz (1/{FIRST.quiz.max_score})" in data["next_step"]
    assert f"grader watch {exercises / FIRST.slug}.ipynb" in data["next_step"]


def test_missing_and_unreadable_notebooks_point_at_reset(exercises):
    (exercises / f"{FIRST.slug}.ipynb").unlink()
    data = run_progress(exercises)
    assert by_lesson(data)[FIRST.id]["status"] == progress.MISSING
    assert f"grader reset {FIRST.slug}" in data["next_step"]

    (exercises / f"{FIRST.slug}.ipynb").write_text("{not json")
    data = run_progress(exercises)
    row = by_lesson(data)[FIRST.id]
    assert row["status"] == progress.UNREADABLE and "invalid JSON" in row["detail"]
    assert f"grader reset {FIRST.slug}" in data["next_step"]


def test_grades_are_cached_by_file_hash(exercises, monkeypatch):
    first = progress.collect(exercises)
    assert list((exercises.parent / ".grader-cache" / "progress").glob("*.json"))

    def must_not_grade(lesson, path):
        raise AssertionError(f"{lesson.slug} graded again although nothing changed")

    monkeypatch.setattr(progress, "grade_lesson", must_not_grade)
    assert progress.collect(exercises) == first

    # A saved change is graded again (here: the stand-in says so by raising).
    answer_first_question(exercises / f"{FIRST.slug}.ipynb", "a")
    with pytest.raises(AssertionError, match=f"{FIRST.slug} graded again"):
        progress.collect(exercises)
    monkeypatch.undo()
    row = progress.collect(exercises, use_cache=False)[0]
    assert row.status == progress.IN_PROGRESS


def test_progress_finds_the_course_exercises_from_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no exercises/ here: the course checkout's folder is used
    from grader.workspace import exercises_dir

    assert exercises_dir() == ROOT / "exercises"


def test_a_class_release_notebook_shows_its_quiz_as_recorded_not_as_zero_of_zero(exercises):
    """A class notebook's quiz is scored with the instructor's key: progress says so instead of "0/0"."""
    path = exercises / f"{FIRST.slug}.ipynb"
    nb = nbformat.read(ROOT / "solutions" / f"{FIRST.slug}.ipynb", as_version=4)
    nb.metadata.setdefault("grader", {})["release"] = "class-2026"
    nbformat.write(nb, path)
    first = by_lesson(run_progress(exercises))[FIRST.id]
    assert first["quiz_recorded"] is True and first["exercise_score"] == FIRST.exercise_points
    table = CliRunner().invoke(app, ["progress", "--dir", str(exercises), "--no-cache"], env={"COLUMNS": "200"}).stdout
    row = next(line for line in table.splitlines() if FIRST.title in line)
    assert "recorded" in row and "0/0" not in row
    # An ordinary notebook's quiz is scored as before.
    shutil.copy(ROOT / "solutions" / f"{FIRST.slug}.ipynb", path)
    first = by_lesson(run_progress(exercises))[FIRST.id]
    assert first["quiz_recorded"] is False and first["quiz_score"] == FIRST.quiz.max_score
