"""The generated notebooks: up to date, solutions earn every point, exercises start at zero."""

import importlib.metadata
import subprocess
import sys

import nbformat
import pytest

from grader import build_notebooks
from grader.grade import grade_path
from grader.lessons import all_lessons

LESSONS = all_lessons()
ROOT = build_notebooks.repo_root()


def test_committed_notebooks_are_up_to_date():
    assert build_notebooks.main(["--check"]) == 0, "run `python -m grader.build_notebooks` and commit the result"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_notebooks_carry_no_outputs_and_valid_nbgrader_metadata(lesson):
    for folder in ("solutions", "exercises"):
        nb = nbformat.read(ROOT / folder / f"{lesson.slug}.ipynb", as_version=4)
        nbformat.validate(nb)
        assert nb.metadata["grader"]["lesson"] == lesson.id
        for cell in nb.cells:
            assert "nbgrader" in cell.metadata or "try-it" in cell.metadata.get("tags", []) or cell.id == "starter"
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert sum(c.metadata["nbgrader"]["points"] for c in graded) == lesson.exercise_points + lesson.quiz.max_score


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_solution_notebook_gets_full_marks(lesson):
    report = grade_path(ROOT / "solutions" / f"{lesson.slug}.ipynb")
    assert report.lesson.id == lesson.id
    assert report.score == report.max_score, [c.feedback for c in report.checks if not c.passed] + report.notes


@pytest.mark.parametrize("lesson", [l for l in LESSONS if not (l.folder / "starter.py").exists()], ids=lambda l: l.slug)
def test_untouched_exercise_gets_no_exercise_points_and_says_where_to_start(lesson):
    report = grade_path(ROOT / "exercises" / f"{lesson.slug}.ipynb")
    assert report.exercise_score == 0, [c.name for c in report.checks if c.passed]
    assert report.quiz.score == 0
    assert any(note.startswith("Where to start") for note in report.notes)
    assert not any("Error" in note for note in report.notes), report.notes


def _installed(distribution: str) -> bool:
    """From the installed metadata: `sys.modules` (where an import may have hidden it) is not asked."""
    try:
        importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


@pytest.mark.skipif(not _installed("rfc3987-syntax"), reason="rfc3987-syntax is not installed here")
def test_reading_notebooks_skips_jsonschemas_slow_iri_checker_and_leaves_it_importable():
    """`import grader.source` (every `grader` command, every check cell) without rfc3987_syntax's seconds of parser building."""
    probe = (
        "import sys, time\n"
        "start = time.process_time()\n"
        "import grader.source, jsonschema\n"
        "assert 'rfc3987_syntax' not in sys.modules, 'imported'\n"
        "grader.source.nbformat.validate(grader.source.nbformat.v4.new_notebook())\n"
        "import rfc3987_syntax\n"  # still there for anyone who asks for it
        "print(round(time.process_time() - start, 2))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
