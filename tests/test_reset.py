"""`grader reset`: a fresh exercise notebook in place, the learner's kept as a backup."""

from __future__ import annotations

import subprocess

import nbformat
import pytest
from typer.testing import CliRunner

from grader import build_notebooks
from grader.cli import app
from grader.lessons import all_lessons
from grader.reset import committed_exercise, fresh_exercise

LESSONS = all_lessons()
ROOT = build_notebooks.repo_root()


def reset(folder, lesson: str):
    return CliRunner().invoke(app, ["reset", lesson, "--dir", str(folder)], env={"COLUMNS": "200"})


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_fresh_exercise_is_the_one_the_course_ships(lesson):
    # What `python -m grader.build_notebooks` writes to exercises/ (kept committed by test_notebooks).
    assert fresh_exercise(lesson) == build_notebooks.targets(lesson)[ROOT / "exercises" / f"{lesson.slug}.ipynb"]


def test_without_nbgrader_the_fresh_exercise_comes_from_git_head(monkeypatch):
    lesson = LESSONS[0]
    committed = committed_exercise(lesson, ROOT)
    if committed is None:
        pytest.skip("not a git checkout with the exercise committed")

    def no_nbgrader(solution):
        raise ImportError("No module named 'nbgrader'")

    monkeypatch.setattr(build_notebooks, "build_exercise", no_nbgrader)
    assert fresh_exercise(lesson) == committed
    assert nbformat.reads(committed, as_version=4).metadata["grader"]["lesson"] == lesson.id


def test_reset_keeps_a_backup_and_restores_the_fresh_notebook(tmp_path):
    lesson = LESSONS[0]
    folder = tmp_path / "exercises"
    folder.mkdir()
    mine = folder / f"{lesson.slug}.ipynb"
    nb = nbformat.reads(fresh_exercise(lesson), as_version=4)
    next(c for c in nb.cells if c.id == "app").source += "\n\n@app.get('/mine')\ndef mine():\n    return {}\n"
    nbformat.write(nb, mine)
    my_work = mine.read_bytes()

    result = reset(folder, f"{lesson.number:02d}")
    assert result.exit_code == 0, result.output
    assert mine.read_text() == fresh_exercise(lesson)
    backups = list((tmp_path / ".grader-backups").glob(f"{lesson.slug}-*.ipynb"))
    assert len(backups) == 1 and backups[0].read_bytes() == my_work
    assert str(backups[0].name) in result.output and "Reload Notebook from Disk" in result.output

    # Already fresh: nothing to back up, nothing written.
    result = reset(folder, lesson.id)
    assert result.exit_code == 0 and "already a fresh notebook" in result.output
    assert len(list((tmp_path / ".grader-backups").glob("*.ipynb"))) == 1

    # A second reset of changed work never overwrites the first backup.
    mine.write_text("{broken")
    assert reset(folder, f"exercises/{lesson.slug}.ipynb").exit_code == 0
    assert sorted(p.read_bytes() for p in (tmp_path / ".grader-backups").glob("*.ipynb")) == sorted([my_work, b"{broken"])


def test_reset_restores_a_deleted_notebook(tmp_path):
    lesson = LESSONS[-1]
    folder = tmp_path / "exercises"
    result = reset(folder, lesson.id)
    assert result.exit_code == 0, result.output
    assert (folder / f"{lesson.slug}.ipynb").read_text() == fresh_exercise(lesson)
    assert not (tmp_path / ".grader-backups").exists()


def test_reset_of_an_unknown_lesson_is_a_usage_error(tmp_path):
    result = reset(tmp_path, "no-such-lesson")
    assert result.exit_code == 2
    assert "unknown lesson" in result.output


def test_backups_and_cache_are_ignored_by_git():
    ignored = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", ".grader-backups/x.ipynb", ".grader-cache/progress/x.json"],
        capture_output=True, text=True,
    )
    if ignored.returncode == 128:
        pytest.skip("not a git checkout")
    assert ignored.stdout.split() == [".grader-backups/x.ipynb", ".grader-cache/progress/x.json"]
