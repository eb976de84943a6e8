"""Class mode end to end: `grader release`, a learner running the notebook's
quiz check in a real kernel (nbclient), `grader batch` with the release key,
and the export; plus private questions in check, batch and release.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from test_release_key import PRIVATE

from classroom import variants
from grader.build_notebooks import build_solution, render
from grader.classroom.private_questions import graded_quiz, load_overrides
from grader.classroom.release_key import ENV as KEY_ENV
from grader.classroom.release_key import KEY_NAME, load_key
from grader.lessons import get_lesson

BIN = Path(sys.executable).parent
LESSON = get_lesson("status-codes")
QUIZ_CELL = re.compile(r'^QUIZ_ANSWERS\[(\d+)\] = ""', re.MULTILINE)


def grader(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / "grader"), *args], capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr
    return done


def answered(nb: nbformat.NotebookNode, answers: dict[int, str]) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = QUIZ_CELL.sub(lambda m: f'QUIZ_ANSWERS[{m[1]}] = "{answers.get(int(m[1]), "")}"', cell.source)
    return nb


def run_in_kernel(nb: nbformat.NotebookNode, cwd: Path, key: Path | None = None) -> nbformat.NotebookNode:
    """The learner's kernel has no key; an instructor running nbgrader's autograde has it in GRADER_RELEASE_KEY."""
    saved = os.environ.pop(KEY_ENV, None)
    if key is not None:
        os.environ[KEY_ENV] = str(key)
    try:
        nb = copy.deepcopy(nb)
        NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(cwd)}}).execute()
        return nb
    finally:
        os.environ.pop(KEY_ENV, None)
        if saved is not None:
            os.environ[KEY_ENV] = saved


def check_quiz_output(nb) -> tuple[str, str]:
    cell = next(c for c in nb.cells if c.id == "check-quiz")
    shown = "".join(o.data.get("text/plain", "") + o.data.get("text/html", "") for o in cell.outputs if o.output_type == "display_data")
    result = next(o for o in cell.outputs if o.output_type == "execute_result").data["text/plain"]
    return shown, result


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """A class release of lesson 01 with one private question added."""
    root = tmp_path_factory.mktemp("class")
    private = root / "private.toml"
    private.write_text(PRIVATE)
    out = root / "release"
    grader("release", str(out), "--lesson", "01", "--questions", str(private), "--shuffle-seed", "5")
    key = load_key(out / KEY_NAME)
    return {"root": root, "out": out, "key": key, "key_path": out / KEY_NAME, "private": private,
            "notebook": variants.read(out / "exercises" / f"{LESSON.slug}.ipynb")}


def right_answers(release) -> dict[int, str]:
    return {q.number: q.answer for q in release["key"].quizzes[LESSON.id].questions}


def wrong_answers(release) -> dict[int, str]:
    return {q.number: next(c.key for c in q.choices if not c.correct) for q in release["key"].quizzes[LESSON.id].questions}


def test_release_holds_the_private_question_and_a_shuffled_order(release):
    nb, key = release["notebook"], release["key"]
    quiz = key.quizzes[LESSON.id]
    assert quiz.max_score == LESSON.quiz.max_score + 1
    text = "\n".join(c.source for c in nb.cells)
    assert "Private: which status" in text and "Private:" not in (LESSON.folder / "quiz.toml").read_text()
    assert nb.metadata["grader"] == {"lesson": LESSON.id, "release": key.release}
    assert len(QUIZ_CELL.findall(text)) == quiz.max_score
    # The learner's notebook holds no key: no solution, no "correct", no explanation.
    assert "correct" not in json.dumps(nb) and not any(c.why in text for q in quiz.questions for c in q.choices)
    assert "NotImplementedError" not in text
    # A second release into the same folder would orphan the first one's notebooks.
    done = subprocess.run([str(BIN / "grader"), "release", str(release["out"])], capture_output=True, text=True)
    assert done.returncode == 2 and "already exists" in done.stderr


def test_the_class_check_cell_reveals_no_correctness(release, tmp_path):
    nb = release["notebook"]
    right = run_in_kernel(answered(nb, right_answers(release)), tmp_path)
    wrong = run_in_kernel(answered(nb, wrong_answers(release)), tmp_path)
    # A learner who computes answers from the installed quiz.toml gets no score in the kernel either.
    computed = answered(nb, {})
    computed.cells.append(nbformat.v4.new_code_cell(
        "from grader.lessons import get_lesson\n"
        "QUIZ_ANSWERS = {q.number: q.answer for q in get_lesson('status-codes').quiz.questions}"
    ))
    computed.cells.append(nbformat.from_dict(next(c for c in nb.cells if c.id == "check-quiz")))
    computed.cells[-1].id = "check-again"
    computed = run_in_kernel(computed, tmp_path)
    outputs = []
    for run in (right, wrong):
        shown, result = check_quiz_output(run)
        assert result == "0"  # nbgrader would read 0 points: no key in this kernel
        assert "answered" in shown and "Right" not in shown and "Not quite" not in shown
        outputs.append(re.sub(r"Answered: [a-d]", "Answered: ?", shown))
    assert outputs[0] == outputs[1]
    again = next(c for c in computed.cells if c.id == "check-again")
    assert next(o for o in again.outputs if o.output_type == "execute_result").data["text/plain"] == "0"
    # Where the instructor's key is (nbgrader autograde on their machine), the same cell scores.
    scored = run_in_kernel(answered(nb, right_answers(release)), tmp_path, key=release["key_path"])
    shown, result = check_quiz_output(scored)
    assert float(result) == release["key"].quizzes[LESSON.id].max_score and "Every answer is right" in shown


def test_class_mode_end_to_end(release, tmp_path):
    nb = release["notebook"]
    solution = build_solution(LESSON, release["key"].quizzes[LESSON.id], release["key"].release)
    handed_in = tmp_path / "handed-in"
    # Each learner ran the notebook (outputs saved, as Jupyter saves them) before handing it in.
    solved = run_in_kernel(variants.solved(nb, solution), tmp_path)
    variants.write(solved, handed_in / "alice" / f"{LESSON.slug}.ipynb")
    wrong = answered(variants.solved(nb, solution), {})
    for cell in wrong.cells:
        if cell.id == "quiz-answer-1":
            cell.source = f'QUIZ_ANSWERS[1] = "{wrong_answers(release)[1]}"'
    variants.write(wrong, handed_in / "bob" / f"{LESSON.slug}.ipynb")
    # Carol answers in the course file's letters and edits the metadata to leave class mode.
    public = {q.number: q.answer for q in LESSON.quiz.questions}
    forged = answered(nb, {})
    forged.metadata["grader"].pop("release")
    forged.cells.append(nbformat.v4.new_code_cell("QUIZ_ANSWERS.update(" + repr(public) + ")"))
    variants.write(forged, handed_in / "carol" / f"{LESSON.slug}.ipynb")

    db = tmp_path / "gradebook.db"
    summary = json.loads(grader("batch", str(handed_in), "--db", str(db), "--release-key", str(release["key_path"]), "--json").stdout)
    by_student = {o["student"]: o for o in summary["outcomes"]}
    quiz_max = release["key"].quizzes[LESSON.id].max_score
    reports = {}
    for student in ("alice", "bob", "carol"):
        reports[student] = json.loads(grader("check", str(handed_in / student / f"{LESSON.slug}.ipynb"), "--json", "--release-key", str(release["key_path"])).stdout)
        assert by_student[student]["max_score"] == LESSON.exercise_points + quiz_max
    assert by_student["alice"]["score"] == LESSON.exercise_points + quiz_max
    assert reports["bob"]["quiz"]["score"] == quiz_max - 1
    # Scores and explanations come with the graded feedback.
    first = reports["bob"]["quiz"]["questions"][0]
    assert first["correct"] is False and first["explanation"] == release["key"].quizzes[LESSON.id].questions[0].choice(first["given"]).why
    carol = reports["carol"]
    assert carol["quiz"]["score"] < quiz_max and any("may mean other choices" in n for n in carol["notes"])

    # Without the key a class notebook's quiz is recorded, not scored.
    unkeyed = json.loads(grader("check", str(handed_in / "alice" / f"{LESSON.slug}.ipynb"), "--json").stdout)
    assert unkeyed["quiz"]["max_score"] == 0 and any("recorded, not scored" in n for n in unkeyed["notes"])

    rows = list(csv.DictReader(io.StringIO(grader("export", "csv", "--db", str(db)).stdout)))
    quiz_column = {row["student"]: row[f"{LESSON.slug} quiz"] for row in rows}
    assert quiz_column["alice"] == str(quiz_max) and quiz_column["bob"] == str(quiz_max - 1)


def test_private_questions_in_check_and_batch(release, tmp_path):
    """A notebook made (by hand or by nbgrader) with the private question, letters as written."""
    quiz = graded_quiz(LESSON, load_overrides(release["private"]))
    path = tmp_path / "dave" / f"{LESSON.slug}.ipynb"
    path.parent.mkdir()
    path.write_text(render(build_solution(LESSON, quiz)))
    with_private = json.loads(grader("check", str(path), "--json", "--questions", str(release["private"])).stdout)
    assert (with_private["quiz"]["score"], with_private["quiz"]["max_score"]) == (quiz.max_score, LESSON.quiz.max_score + 1)
    assert with_private["quiz"]["questions"][-1]["prompt"].startswith("Private:")
    without = json.loads(grader("check", str(path), "--json").stdout)
    assert without["quiz"]["max_score"] == LESSON.quiz.max_score
    env = dict(os.environ, GRADER_QUESTIONS=str(release["private"]))  # the environment variable works too
    summary = json.loads(grader("batch", str(tmp_path / "dave"), "--db", str(tmp_path / "g.db"), "--json", env=env).stdout)
    [outcome] = summary["outcomes"]
    assert outcome["max_score"] == LESSON.exercise_points + quiz.max_score == outcome["score"]
    # The export's maxima are the quiz as graded (with the private question), not the public quiz.toml.
    rows = list(csv.reader(io.StringIO(grader("export", "csv", "--db", str(tmp_path / "g.db")).stdout)))
    header, possible = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert possible[f"{LESSON.slug} quiz"] == str(quiz.max_score) == str(LESSON.quiz.max_score + 1)
    # Only lesson 01 was handed in: the export covers it alone.
    assert possible["total"] == str(LESSON.exercise_points + quiz.max_score)
    assert len(header) == 4
    assert dict(zip(header, rows[2], strict=True))[f"{LESSON.slug} quiz"] == possible[f"{LESSON.slug} quiz"]
