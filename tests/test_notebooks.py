"""The generated notebooks: up to date, solutions earn every point, exercises start at zero."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

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


def test_reading_notebooks_skips_jsonschemas_format_checkers_and_leaves_them_importable():
    """`import grader.source` (every `grader` command, every check cell) without the optional format
    checkers jsonschema would import: rfc3987_syntax alone builds parsers for seconds."""
    from grader._nbformat import _FORMAT_CHECKERS

    installed = [name for name in _FORMAT_CHECKERS if importlib.util.find_spec(name) is not None]
    assert "rfc3987_syntax" in installed  # JupyterLab brings it: the case this module exists for
    probe = (
        "import importlib, sys\n"
        "import grader.source, jsonschema\n"
        f"installed = {installed!r}\n"
        "loaded = [name for name in installed if name in sys.modules]\n"
        "assert not loaded, loaded\n"
        "grader.source.nbformat.validate(grader.source.nbformat.v4.new_notebook())\n"
        "for name in installed:\n"
        "    importlib.import_module(name)\n"  # still there for anyone who asks for it
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr


def test_no_notebook_schema_uses_a_format_so_hiding_the_checkers_changes_no_verdict():
    """The reason `grader._nbformat` may hide them: nbformat's schemas never use the `format` keyword."""
    schemas = sorted(Path(nbformat.__file__).parent.glob("v*/*.schema.json"))
    assert len(schemas) >= 7

    def formats(node) -> list[str]:
        if isinstance(node, list):
            return [f for item in node for f in formats(item)]
        if not isinstance(node, dict):
            return []
        found = [node["format"]] if isinstance(node.get("format"), str) else []
        # Under "properties" a key named "format" is a property (raw cells have one), not the keyword.
        children = [v for k, v in node.items() if k != "properties"] + list(node.get("properties", {}).values())
        return found + [f for child in children for f in formats(child)]

    for schema in schemas:
        assert formats(json.loads(schema.read_text())) == [], schema.name
