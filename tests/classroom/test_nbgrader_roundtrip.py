"""The real nbgrader, in a throwaway course: our solution notebooks are its source notebooks.

`generate_assignment` releases every lesson; three learners hand in the solved
notebook, the untouched release and a wrong variant; `autograde` runs them in a
real kernel and `export` writes the grades. Those must be full marks, zero (or,
where a lesson hands out working starter code, what `grader check` gives it),
and exactly what `grader check` gives the wrong variant. `grader batch` over the
same `submitted/` tree must agree with nbgrader, learner by learner.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from classroom import variants
from grader.build_notebooks import CODE_STUB
from grader.lessons import all_lessons

LESSONS = all_lessons()
BIN = Path(sys.executable).parent
NBGRADER = BIN / "nbgrader"
STUDENTS = ("solved", "untouched", "wrong")

pytestmark = [
    pytest.mark.skipif(not NBGRADER.exists(), reason=f"nbgrader is not installed next to {sys.executable} (pip install -e '.[classroom]')"),
    pytest.mark.timeout(1200),
]

CONFIG = """\
c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "fastapi-response-course"
c.Exchange.root = {exchange!r}
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
# A kernel that hangs must fail the run, not stall it.
c.ExecutePreprocessor.timeout = 300
"""


def _env() -> dict:
    # nbgrader runs `alembic` and the kernel from PATH: put this venv first.
    return dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def _check(done: subprocess.CompletedProcess, args) -> subprocess.CompletedProcess:
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    return _check(subprocess.run([str(NBGRADER), *args], cwd=course, env=_env(), capture_output=True, text=True, timeout=1100), args)


def write_config(root: Path, exchange: Path) -> None:
    (root / "nbgrader_config.py").write_text(CONFIG.format(root=str(root), exchange=str(exchange), stub=CODE_STUB))


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """The instructor's course: released lessons, and every learner's submissions under submitted/."""
    root = tmp_path_factory.mktemp("course")
    exchange = tmp_path_factory.mktemp("exchange")
    write_config(root, exchange)
    for lesson in LESSONS:
        source = root / "source" / lesson.slug
        source.mkdir(parents=True)
        shutil.copy(variants.solution_path(lesson), source / f"{lesson.slug}.ipynb")
    nbgrader(root, "generate_assignment", "*", "--force")

    for lesson in LESSONS:
        release = variants.read(root / "release" / lesson.slug / f"{lesson.slug}.ipynb")
        solution = variants.read(variants.solution_path(lesson))
        notebooks = {
            "solved": variants.solved(release, solution),
            "untouched": release,
            "wrong": variants.wrong(release, solution, lesson),
        }
        for student, nb in notebooks.items():
            variants.write(nb, root / "submitted" / student / lesson.slug / f"{lesson.slug}.ipynb")
    return root


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory) -> dict[str, Path]:
    """student -> a copy of the course where `autograde` and `export` ran for that learner.

    One copy per learner so the three autogrades (a kernel per notebook) run at
    once without sharing nbgrader's SQLite gradebook.
    """
    copies = {}
    for student in STUDENTS:
        copy = tmp_path_factory.mktemp(f"course-{student}")
        shutil.copytree(course, copy, dirs_exist_ok=True, ignore=lambda folder, names, student=student: [n for n in names if Path(folder) == course / "submitted" and n != student])
        write_config(copy, tmp_path_factory.mktemp(f"exchange-{student}"))
        copies[student] = copy
    args = ("autograde", "*", "--force")
    running = {s: subprocess.Popen([str(NBGRADER), *args], cwd=c, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for s, c in copies.items()}
    for process in running.values():
        out, err = process.communicate(timeout=1100)
        _check(subprocess.CompletedProcess(process.args, process.returncode, out, err), args)
    for copy in copies.values():
        nbgrader(copy, "export", "--to", str(copy / "grades.csv"))
    return copies


@pytest.fixture(scope="module")
def grades(graded) -> dict[tuple[str, str], dict]:
    rows = {}
    for copy in graded.values():
        with (copy / "grades.csv").open() as fh:
            rows.update({(row["student_id"], row["assignment"]): row for row in csv.DictReader(fh)})
    return rows


def cell_scores(graded: dict[str, Path], lesson, student: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded[student] / 'gradebook.db'}") as book:
        submission = book.find_submission_notebook(lesson.slug, lesson.slug, student)
        return {grade.name: grade.score for grade in submission.grades}


def grader_check(path: Path) -> dict:
    done = subprocess.run([str(BIN / "grader"), "check", "--json", str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def lesson_max(lesson) -> int:
    return lesson.exercise_points + lesson.quiz.max_score


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_release_is_the_committed_exercise_notebook(course, lesson):
    release = variants.read(course / "release" / lesson.slug / f"{lesson.slug}.ipynb")
    exercise = variants.read(variants.exercise_path(lesson))
    assert [(c.cell_type, c.source) for c in release.cells] == [(c.cell_type, c.source) for c in exercise.cells]


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_solved_notebook_gets_full_marks(grades, lesson):
    row = grades[("solved", lesson.slug)]
    assert float(row["max_score"]) == lesson_max(lesson)
    assert float(row["score"]) == lesson_max(lesson)


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_untouched_release_gets_what_grader_check_gives_it(course, graded, grades, lesson):
    """Zero, unless the lesson hands out starter code that already does part of the job."""
    report = grader_check(course / "submitted" / "untouched" / lesson.slug / f"{lesson.slug}.ipynb")
    exported = float(grades[("untouched", lesson.slug)]["score"])
    assert exported == report["score"]
    assert cell_scores(graded, lesson, "untouched") == {"check-exercise": report["exercise"]["score"], "check-quiz": 0}
    if not (lesson.folder / "starter.py").exists():
        assert exported == 0


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_wrong_variant_gets_the_partial_score_grader_check_gives(course, graded, grades, lesson):
    report = grader_check(course / "submitted" / "wrong" / lesson.slug / f"{lesson.slug}.ipynb")
    exported = float(grades[("wrong", lesson.slug)]["score"])
    assert 0 < exported < lesson_max(lesson)
    assert exported == report["score"]
    assert cell_scores(graded, lesson, "wrong") == {"check-exercise": report["exercise"]["score"], "check-quiz": report["quiz"]["score"]}
    assert report["quiz"]["score"] == lesson.quiz.max_score - 1


@pytest.mark.parametrize("student", STUDENTS)
def test_autograded_cells_write_nothing_to_stderr(graded, student):
    for lesson in LESSONS:
        nb = nbformat.read(graded[student] / "autograded" / student / lesson.slug / f"{lesson.slug}.ipynb", as_version=4)
        cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
        assert cells
        for cell in cells:
            kinds = [(o.output_type, o.get("name")) for o in cell.outputs]
            assert ("stream", "stderr") not in kinds, (lesson.slug, cell.id, cell.outputs)
            assert "error" not in [kind for kind, _ in kinds], (lesson.slug, cell.id)
            assert "execute_result" in [kind for kind, _ in kinds], (lesson.slug, cell.id)


def test_batch_over_the_submitted_tree_agrees_with_nbgrader(course, grades, tmp_path):
    db = tmp_path / "gradebook.db"
    done = subprocess.run(
        [str(BIN / "grader"), "batch", str(course), "--db", str(db), "--json"],
        capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["found"] == len(STUDENTS) * len(LESSONS)
    ours = {(o["student"], o["lesson"]): o for o in summary["outcomes"]}
    for lesson in LESSONS:
        for student in STUDENTS:
            outcome = ours[(student, lesson.id)]
            assert outcome["status"] == "graded"
            assert outcome["max_score"] == lesson_max(lesson)
            assert outcome["score"] == float(grades[(student, lesson.slug)]["score"]), (student, lesson.slug)
