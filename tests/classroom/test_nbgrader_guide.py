"""The instructor guide's nbgrader steps, run exactly as written.

The block after the `<!-- tested: ... -->` line in docs/guide/instructor.md is
run line by line in a fresh folder, `grader` being the venv's command and PATH
holding only the system's folders (no venv on it: `grader nbgrader` must bring
it). Where the guide says to collect submissions, two learners hand in: one
solved, one with a wrong quiz answer. The released notebooks must run (no
`raise NotImplementedError()`), nbgrader's autograde must score the class quiz
with the key, and `grader batch` and the export must agree with it.
"""

from __future__ import annotations

import csv
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grader.lessons import get_lesson
from grader.classroom.release_key import ENV as KEY_ENV, KEY_NAME, load_key

from classroom import variants

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide" / "instructor.md"
BIN = Path(sys.executable).parent
LESSON = get_lesson("status-codes")

pytestmark = [
    pytest.mark.skipif(not (BIN / "nbgrader").exists(), reason="nbgrader is not installed next to the interpreter"),
    pytest.mark.timeout(1200),
]


def guide_steps() -> list[str]:
    text = GUIDE.read_text()
    marker = text.index("<!-- tested: tests/classroom/test_nbgrader_guide.py")
    block = re.search(r"```sh\n(.*?)```", text[marker:], re.DOTALL)
    return [line.strip() for line in block[1].splitlines() if line.strip()]


def hand_in(course: Path) -> None:
    release = variants.read(course / "release" / LESSON.slug / f"{LESSON.slug}.ipynb")
    source = variants.read(course / "source" / LESSON.slug / f"{LESSON.slug}.ipynb")
    assert "NotImplementedError" not in "\n".join(c.source for c in release.cells)
    key = load_key(course / KEY_NAME)
    wrong = variants.solved(release, source)
    first = key.quizzes[LESSON.id].questions[0]
    for cell in wrong.cells:
        if cell.id == "quiz-answer-1":
            cell.source = f'QUIZ_ANSWERS[1] = "{next(c.key for c in first.choices if not c.correct)}"'
    for student, nb in (("alice", variants.solved(release, source)), ("bob", wrong)):
        variants.write(nb, course / "submitted" / student / LESSON.slug / f"{LESSON.slug}.ipynb")


def test_the_guide_s_nbgrader_steps_work_as_written(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != KEY_ENV}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"  # the venv is not on PATH
    cwd = tmp_path
    steps = guide_steps()
    assert any(step.startswith("grader nbgrader ") for step in steps)
    for step in steps:
        if step.startswith("#"):
            if "collect into submitted/" in step:
                hand_in(cwd)
            continue
        argv = shlex.split(step)
        if argv[0] == "cd":
            cwd = cwd / argv[1]
            continue
        assert argv[0] == "grader", step
        done = subprocess.run([str(BIN / "grader"), *argv[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=1100)
        assert done.returncode == 0, f"{step}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"

    course = cwd
    quiz_max = load_key(course / KEY_NAME).quizzes[LESSON.id].max_score
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as book:
        for student, quiz in (("alice", quiz_max), ("bob", quiz_max - 1)):
            notebook = book.find_submission_notebook(LESSON.slug, LESSON.slug, student)
            scores = {grade.name: grade.score for grade in notebook.grades}
            assert scores == {"check-exercise": LESSON.exercise_points, "check-quiz": quiz}, student
    with (course / "grades.csv").open() as fh:
        rows = {row["student"]: row for row in csv.DictReader(fh)}
    assert rows["alice"][f"{LESSON.slug} quiz"] == str(quiz_max)
    assert rows["bob"][f"{LESSON.slug} quiz"] == str(quiz_max - 1)
    assert rows["alice"][f"{LESSON.slug} exercise"] == str(LESSON.exercise_points)
    autograded = nbformat.read(course / "autograded" / "bob" / LESSON.slug / f"{LESSON.slug}.ipynb", as_version=4)
    quiz_cell = next(c for c in autograded.cells if c.id == "check-quiz")
    assert "Not quite" in str(quiz_cell.outputs)  # the explanations come with nbgrader's feedback
