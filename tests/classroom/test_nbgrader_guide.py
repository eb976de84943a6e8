"""The instructor guide's nbgrader steps, run exactly as written.

The block after the `<!-- tested: ... -->` line in docs/guide/instructor.md is
run line by line in a fresh folder, `grader` being the venv's command and PATH
holding only the system's folders (no venv on it: `grader nbgrader` must bring
it). Where the guide says to collect submissions, four learners hand in: alice
solved, bob with a wrong quiz answer, carl a notebook not from the release (the
course's own solution, whose letters are the course's), dan the release untouched.
Where it says to write the roster, one is written that leaves out dan and names
erin, who handed nothing in. The released notebooks must run (no
`raise NotImplementedError()`), nbgrader's autograde must score the class quiz
with the key, `grader batch` (from `submitted/` and from the course folder) must
agree with it and list carl and dan as needing a look, and each export must match
the import format it claims, covering lesson 01 only.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import jsonschema
import nbformat
import pytest

from classroom import formats, variants
from grader.classroom.release_key import ENV as KEY_ENV
from grader.classroom.release_key import KEY_NAME, load_key
from grader.lessons import get_lesson

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
    for student, nb in (("alice", variants.solved(release, source)), ("bob", wrong), ("dan", release)):
        variants.write(nb, course / "submitted" / student / LESSON.slug / f"{LESSON.slug}.ipynb")
    foreign = course / "submitted" / "carl" / LESSON.slug / f"{LESSON.slug}.ipynb"
    foreign.parent.mkdir(parents=True)
    foreign.write_bytes(variants.solution_path(LESSON).read_bytes())


def write_roster(course: Path) -> None:
    (course / "roster.csv").write_text(
        "submission,name,canvas_id,sis_user_id,sis_login_id,section,email,idnumber\n"
        "alice,Alice,101,S1,alice,A,alice@uni.example,S1\n"
        "bob,Bob,102,S2,bob,A,bob@uni.example,S2\n"
        "carl,Carl,103,S3,carl,A,carl@uni.example,S3\n"
        "erin,Erin,105,S5,erin,A,erin@uni.example,S5\n"
    )


def test_the_guide_s_nbgrader_steps_work_as_written(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != KEY_ENV}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"  # the venv is not on PATH
    cwd = tmp_path
    steps = guide_steps()
    assert any(step.startswith("grader nbgrader ") for step in steps)
    said: dict[str, subprocess.CompletedProcess] = {}
    for step in steps:
        if step.startswith("#"):
            if "collect into submitted/" in step:
                hand_in(cwd)
            if "Write roster.csv" in step:
                write_roster(cwd)
            continue
        argv = shlex.split(step)
        if argv[0] == "cd":
            cwd = cwd / argv[1]
            continue
        assert argv[0] == "grader", step
        done = subprocess.run(
            [str(BIN / "grader"), *argv[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=1100
        )
        assert done.returncode == 0, f"{step}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        said[step] = done

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
    # Both batches list what needs a look; the second graded nothing new.
    batches = [step for step in steps if step.startswith("grader batch ")]
    assert batches == ["grader batch submitted/ --db grader.db", "grader batch . --db grader.db"]
    for step in batches:
        look = said[step].stdout.split("Submissions that need a look", 1)[-1]
        assert "carl" in look and "Quiz scored with the key of release" in look, said[step].stdout
        assert "dan" in look and "looks untouched" in look, said[step].stdout
        assert "alice" not in look
    assert "Skipping 4 already in the gradebook" in said[batches[1]].stderr
    assert rows["carl"][f"{LESSON.slug} exercise"] == str(LESSON.exercise_points)  # graded, and flagged
    assert list(rows["alice"]) == [
        "student",
        f"{LESSON.slug} exercise",
        f"{LESSON.slug} quiz",
        "total",
    ]  # lesson 01 only
    # Each export as the import it claims to be.
    canvas = (course / "canvas.csv").read_text()
    assert formats.canvas_problems(canvas) == [] and formats.csv_cells(canvas)[0][5:] == [LESSON.slug]
    assert formats.moodle_problems((course / "moodle.csv").read_text()) == []
    roster_said = said["grader export canvas --db grader.db --roster roster.csv --out canvas.csv"].stderr
    assert "with no submission: erin" in roster_said and "dan" in roster_said.split("not in the roster")[1]
    for fmt, schema in (("gradescope", formats.GRADESCOPE), ("exercism", formats.EXERCISM_V3)):
        for student in ("alice", "bob", "carl", "dan"):
            data = json.loads((course / fmt / student / "results.json").read_text())
            jsonschema.validate(data, schema)
            if fmt == "exercism":
                assert data["max_score"] == LESSON.exercise_points + quiz_max  # lesson 01's points only
    autograded = nbformat.read(course / "autograded" / "bob" / LESSON.slug / f"{LESSON.slug}.ipynb", as_version=4)
    quiz_cell = next(c for c in autograded.cells if c.id == "check-quiz")
    assert "Not quite" in str(quiz_cell.outputs)  # the explanations come with nbgrader's feedback


def cluster_steps() -> dict[str, str]:
    """The cluster section's scheduler, worker and batch commands, joined over their `\\` line breaks."""
    text = GUIDE.read_text()
    section = text[text.index("## A class larger than one machine") :]
    section = section[: section.index("\n## ")]
    commands = [
        " ".join(block.replace("\\\n", " ").split()) for block in re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    ]
    return {
        name: next(c for c in commands if c.startswith(prefix))
        for name, prefix in (("scheduler", "dask scheduler"), ("worker", "dask worker"), ("batch", "grader batch"))
    }


def test_the_guide_s_cluster_commands_grade_two_batches_on_the_same_workers(tmp_path):
    """The guide's own commands, on 127.0.0.1 and a free port: two batches, one after the other, on the same
    long-running scheduler and worker (the second one used to wait 60 s and fail)."""
    import signal
    import socket
    import time

    pytest.importorskip("distributed")
    steps = cluster_steps()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    def here(command: str) -> list[str]:
        command = (
            command.replace("10.0.0.1", "127.0.0.1")
            .replace(":8786", f":{port}")
            .replace("--port 8786", f"--port {port}")
        )
        command = command.replace("$((2 * $(nproc)))", "2").replace(":8787", ":0")
        return shlex.split(command)

    scheduler, worker = here(steps["scheduler"]), here(steps["worker"])
    assert "--dashboard-address" in scheduler and "127.0.0.1:0" in scheduler  # the HTTP server stays on this machine
    batch = here(steps["batch"])
    db = batch.index("--db")
    batch[db + 1] = str(tmp_path / "cluster.db")  # the guide's PostgreSQL: SQLite here
    variants.write(variants.read(variants.solution_path(LESSON)), tmp_path / "class" / "ann" / f"{LESSON.slug}.ipynb")
    batch[batch.index("submitted/")] = str(tmp_path / "class")
    processes = []
    try:
        for argv, log in ((scheduler, "scheduler.log"), (worker, "worker.log")):
            with (tmp_path / log).open("wb") as out:
                processes.append(
                    subprocess.Popen(
                        [str(BIN / argv[0]), *argv[1:]], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
                    )
                )
            time.sleep(2)
        for run in range(2):
            started = time.monotonic()
            done = subprocess.run(
                [str(BIN / batch[0]), *batch[1:], "--regrade"], capture_output=True, text=True, timeout=300
            )
            assert done.returncode == 0, f"batch {run + 1}: {done.stderr[-2000:]}"
            assert "Full marks: 1 of 1 graded." in done.stdout
            assert time.monotonic() - started < 55, f"batch {run + 1} waited for a worker that was there"
    finally:
        for process in reversed(processes):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()
