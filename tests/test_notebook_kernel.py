"""The notebooks in a real Jupyter kernel (nbclient), as a learner runs them.

Solutions run top to bottom and their check cells report full marks; fresh
exercises run without a single error and say where to start; a learner's
fix turns a red row green. Plus the check cells' contract with nbgrader: a
number as the result and nothing on stderr.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbgrader.utils import determine_grade

from grader import build_notebooks, kernel_checks, lab
from grader.lessons import all_lessons, get_lesson

LESSONS = all_lessons()
ROOT = build_notebooks.repo_root()
ids = [lesson.slug for lesson in LESSONS]


def run(nb: nbformat.NotebookNode, cwd) -> nbformat.NotebookNode:
    """Execute in a real python3 kernel; any cell error fails the test (CellExecutionError)."""
    NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def cell(nb, cell_id: str):
    return next(c for c in nb.cells if c.id == cell_id)


def result_text(c) -> str:
    return next(o for o in c.outputs if o.output_type == "execute_result").data["text/plain"]


def shown(c, mime: str) -> str:
    return "".join(o.data.get(mime, "") for o in c.outputs if o.output_type == "display_data")


def stderr_outputs(nb) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("name") == "stderr"]


def nbgrader_points(c) -> float:
    return determine_grade(c)[0]


@pytest.mark.parametrize("lesson", LESSONS, ids=ids)
def test_solution_notebook_runs_and_checks_report_full_marks(lesson, tmp_path):
    nb = nbformat.read(ROOT / "solutions" / f"{lesson.slug}.ipynb", as_version=4)
    again = nbformat.from_dict(cell(nb, "check-exercise"))
    again.id = "check-again"  # a learner runs the check cell twice: the app's state has grown
    nb.cells.append(again)
    run(nb, tmp_path)
    exercise, quiz = cell(nb, "check-exercise"), cell(nb, "check-quiz")
    assert float(result_text(cell(nb, "check-again"))) == lesson.exercise_points
    assert "already ran against this `app`" in shown(cell(nb, "check-again"), "text/plain")
    assert float(result_text(exercise)) == lesson.exercise_points
    assert float(result_text(quiz)) == lesson.quiz.max_score
    assert nbgrader_points(exercise) == lesson.exercise_points
    assert nbgrader_points(quiz) == lesson.quiz.max_score
    html = shown(exercise, "text/html")
    assert "<table>" in html and "✔" in html and "✘" not in html
    assert "All checks pass" in html
    assert "Every answer is right" in shown(quiz, "text/html")
    assert not stderr_outputs(nb)


@pytest.mark.parametrize("lesson", LESSONS, ids=ids)
def test_fresh_exercise_runs_without_errors_and_says_where_to_start(lesson, tmp_path):
    nb = run(nbformat.read(ROOT / "exercises" / f"{lesson.slug}.ipynb", as_version=4), tmp_path)
    exercise, quiz = cell(nb, "check-exercise"), cell(nb, "check-quiz")
    # The only "failures" are the checks' own not-done-yet rows: no cell raised.
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not stderr_outputs(nb)
    assert float(result_text(quiz)) == 0
    assert "No answer yet" in shown(quiz, "text/plain")
    if (lesson.folder / "starter.py").exists():
        # A starter app (the capstone's leaky one) may earn some points, never all.
        assert float(result_text(exercise)) < lesson.exercise_points
    else:
        assert float(result_text(exercise)) == 0
        text = shown(exercise, "text/plain")
        assert "Where to start" in text and lesson.start_hint in text
        assert "Traceback" not in text and "Got " not in text  # no request-by-request failures yet
        assert text.count("TODO") == len(lesson.checks)


def test_fixing_the_app_turns_the_failing_check_green(tmp_path):
    """Lesson 01 as a learner lives it: a bug shows a red row with its hint and link; the fix shows all green."""
    lesson = get_lesson("status-codes")
    solution = (lesson.folder / "solution.py").read_text()
    learner_code = solution.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0]
    buggy = learner_code.replace('    response.headers["Location"] = f"/books/{new.id}"\n', "")
    assert buggy != learner_code

    fresh = nbformat.read(ROOT / "exercises" / f"{lesson.slug}.ipynb", as_version=4)
    starter = cell(fresh, "app").source.replace(build_notebooks.CODE_STUB, "")

    nb = nbformat.from_dict(fresh)
    cell(nb, "app").source = starter + buggy
    cell(nb, "quiz-answer-1").source = 'QUIZ_ANSWERS[1] = "a"'
    run(nb, tmp_path)
    exercise = cell(nb, "check-exercise")
    text, html = shown(exercise, "text/plain"), shown(exercise, "text/html")
    location = next(c for c in lesson.checks if c.name == "create-sets-location")
    assert float(result_text(exercise)) == lesson.exercise_points - location.points
    assert f"FAIL {location.title}" in text
    assert f"Next: {location.title}" in text
    assert text.count("FAIL") == 1
    assert location.hint.split("`")[0] in text
    assert f"href='{lesson.page_url(location.docs)}'" in html
    quiz_text = shown(cell(nb, "check-quiz"), "text/plain")
    assert "You chose a. Not quite" in quiz_text and "FAIL 1." in quiz_text
    assert "answer questions 2, 3" in quiz_text

    nb = nbformat.from_dict(fresh)
    cell(nb, "app").source = starter + learner_code
    run(nb, tmp_path)
    assert float(result_text(cell(nb, "check-exercise"))) == lesson.exercise_points
    assert "FAIL" not in shown(cell(nb, "check-exercise"), "text/plain")


def test_a_crash_in_the_app_cell_is_the_first_thing_the_check_cell_shows(tmp_path):
    """Run All goes on past the app cell's error (its raises-exception tag), and the check cell leads with it.

    Once the learner has fixed the cell, a later run of the checks no longer shows the old error."""
    lesson = get_lesson("status-codes")
    fresh = nbformat.read(ROOT / "exercises" / f"{lesson.slug}.ipynb", as_version=4)
    assert "raises-exception" in cell(fresh, "app").metadata["tags"]
    nb = nbformat.from_dict(fresh)
    starter = cell(nb, "app").source.replace(build_notebooks.CODE_STUB, "")
    cell(nb, "app").source = starter + "\nBOOKS[0].title  # KeyError: no book 0\n"
    fixed = nbformat.v4.new_code_cell(starter)
    again = nbformat.from_dict(cell(nb, "check-exercise"))
    fixed.id, again.id = "fixed", "check-again"
    nb.cells += [fixed, again]
    NotebookClient(nb, kernel_name="python3", timeout=120, allow_errors=False, resources={"metadata": {"path": str(tmp_path)}}).execute()
    html, text = shown(cell(nb, "check-exercise"), "text/html"), shown(cell(nb, "check-exercise"), "text/plain")
    assert text.splitlines()[1].startswith(">> Your code raised an error. Cell [1], line ")
    assert "KeyError: 0" in text.splitlines()[1]
    assert html.index("KeyError") < html.index("<table>")
    assert "raised an error" not in shown(cell(nb, "check-again"), "text/plain")


def test_the_check_cell_numbers_a_crashing_cell_as_grader_check_does(tmp_path):
    """In JupyterLab the kernel knows its notebook (`__session__`): the check cell names the cell by its position,
    as `grader check` and the batch do, not by its execution count."""
    from grader.grade import grade_path

    lesson = get_lesson("status-codes")
    nb = nbformat.read(ROOT / "exercises" / f"{lesson.slug}.ipynb", as_version=4)
    starter = cell(nb, "app").source.replace(build_notebooks.CODE_STUB, "")
    cell(nb, "app").source = starter + "\nBOOKS[0].title  # KeyError: no book 0\n"
    path = tmp_path / f"{lesson.slug}.ipynb"
    nbformat.write(nb, path)
    sandbox = grade_path(path).crashes[0]
    where = sandbox.split(":")[0]
    assert re.fullmatch(r"Cell \d+, line \d+", where), sandbox
    ran = nbformat.from_dict(nb)
    ran.cells.insert(0, nbformat.v4.new_code_cell(f"__session__ = {str(path)!r}  # what JupyterLab's kernel sets"))
    NotebookClient(ran, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
    text = shown(cell(ran, "check-exercise"), "text/plain")
    assert f"Your code raised an error. {where}: KeyError: 0" in text, (where, text[:400])


def test_only_the_next_check_shows_its_hint_the_others_are_folded(tmp_path):
    lesson = get_lesson("status-codes")
    solution = (lesson.folder / "solution.py").read_text()
    learner_code = solution.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0]
    buggy = learner_code.replace('    response.headers["Location"] = f"/books/{new.id}"\n', "")
    buggy = buggy.replace("status_code=status.HTTP_202_ACCEPTED", "status_code=200")
    nb = nbformat.read(ROOT / "exercises" / f"{lesson.slug}.ipynb", as_version=4)
    cell(nb, "app").source = cell(nb, "app").source.replace(build_notebooks.CODE_STUB, buggy)
    run(nb, tmp_path)
    html, text = shown(cell(nb, "check-exercise"), "text/html"), shown(cell(nb, "check-exercise"), "text/plain")
    location = next(c for c in lesson.checks if c.name == "create-sets-location")
    accepted = next(c for c in lesson.checks if c.name == "import-202")
    assert f"<b>Hint:</b> {kernel_checks.inline(location.hint)}" in html
    assert f"<details><summary>Hint</summary>{kernel_checks.inline(accepted.hint)}</details>" in html
    assert accepted.hint not in text and f"grader hint NOTEBOOK {accepted.name}" in text


# -- the check functions themselves, in this process ---------------------------


def test_exercise_points_without_an_app_gives_advice_not_an_error(capsys):
    lesson = LESSONS[0]
    points = kernel_checks.exercise_points(lesson.id)  # this module defines no `app`
    out, err = capsys.readouterr()
    assert points == 0 and isinstance(points, float) and repr(points) == "0"
    assert "There is no `app` yet" in out
    assert err == ""
    assert kernel_checks.quiz_points(lesson.id) == 0  # nor QUIZ_ANSWERS
    out, err = capsys.readouterr()
    assert "There is no `QUIZ_ANSWERS` yet" in out and err == ""


def test_exercise_points_reads_the_callers_app_and_keeps_stderr_clean(capsys):
    from fastapi import FastAPI

    lesson = get_lesson("status-codes")
    app = FastAPI()

    @app.post("/books", status_code=201)
    def create(book: dict):
        import sys

        print("noisy app", file=sys.stderr)
        return {"id": 1, **book}

    points = kernel_checks.exercise_points(lesson.id)
    out, err = capsys.readouterr()
    assert err == ""
    assert "noisy app" in out  # shown as part of the feedback instead
    assert 0 < points < lesson.exercise_points
    assert "PASS POST /books answers 201 Created" in out
    assert re.search(r"FAIL .+\n\s+Sent ", out)


def test_quiz_points_scores_and_explains_without_revealing_the_key(capsys):
    lesson = LESSONS[0]
    first, second = lesson.quiz.questions[:2]
    wrong = next(c.key for c in second.choices if not c.correct)
    QUIZ_ANSWERS = {first.number: first.answer.upper(), second.number: f" {wrong}) "}  # noqa: N806, F841 - read from this frame
    points = kernel_checks.quiz_points(lesson.id)
    out, err = capsys.readouterr()
    assert points == 1 and err == ""
    assert f"You chose {wrong}. Not quite: {second.choice(wrong).why}" in out
    assert f'"{second.answer}"' not in out.split("\n", 2)[1]  # the banner names no right letter
    assert "No answer yet" in out


def test_points_carry_a_number_for_nbgrader_and_a_summary_for_jupyterlab():
    points = kernel_checks.Points(14, 22)
    assert float(repr(points)) == 14
    assert "14 / 22 points" in points._repr_html_()


def test_feedback_escapes_html_and_shows_code_spans():
    feedback = kernel_checks.Feedback("T", "0/1", "use `<b>`", rows=[kernel_checks.Row("fail", "x & y", "0/1", ["got <script>"])])
    html = feedback._repr_html_()
    assert "<code>&lt;b&gt;</code>" in html and "&lt;script&gt;" in html and "x &amp; y" in html


# -- `grader check` on an untouched notebook -------------------------------------


@pytest.mark.parametrize("lesson", [l for l in LESSONS if not (l.folder / "starter.py").exists()], ids=lambda l: l.slug)
def test_grader_check_of_a_fresh_exercise_shows_where_to_start_and_a_todo_list(lesson):
    from typer.testing import CliRunner

    from grader.cli import app

    result = CliRunner().invoke(app, ["check", str(ROOT / "exercises" / f"{lesson.slug}.ipynb")], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "Where to start" in result.output and "make lab" in result.output and "Nothing to grade yet" in result.output
    assert "Expected" not in result.output  # no request-by-request failures before anything is written
    for check in lesson.checks:
        assert check.title in result.output


def test_broken_code_is_not_mistaken_for_an_untouched_exercise(tmp_path):
    from grader.grade import grade_path

    lesson = get_lesson("status-codes")
    nb = nbformat.read(ROOT / "exercises" / f"{lesson.slug}.ipynb", as_version=4)
    cell(nb, "app").source += "\n\n@app.post('/books'\ndef oops(:\n    pass\n"
    nbformat.write(nb, tmp_path / f"{lesson.slug}.ipynb")
    report = grade_path(tmp_path / f"{lesson.slug}.ipynb")
    assert report.started and any("SyntaxError" in note for note in report.notes)
    assert not grade_path(ROOT / "exercises" / f"{lesson.slug}.ipynb").started
    assert grade_path(ROOT / "solutions" / f"{lesson.slug}.ipynb").started


# -- JupyterLab -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def jupyter_lab(command: list[str], tmp_path: Path):
    """Run a JupyterLab server command headless on 127.0.0.1; yield (base URL, token) once it answers."""
    port, token = free_port(), secrets.token_hex(16)
    command = [*command, "--no-browser", f"--ServerApp.port={port}", f"--IdentityProvider.token={token}"]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "ws")}
    log_path = tmp_path / "lab.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:  # until the server answers (pytest-timeout bounds the wait)
            assert server.poll() is None, log_path.read_text()
            try:
                urllib.request.urlopen(f"{base}/api?token={token}").close()
                break
            except OSError:
                time.sleep(0.2)
        yield base, token
    finally:
        server.terminate()
        server.wait()


def api(base: str, token: str, path: str):
    with urllib.request.urlopen(f"{base}{path}?token={token}") as reply:
        return json.loads(reply.read())


def test_make_lab_serves_the_exercises_with_a_python3_kernel(tmp_path):
    """Runs the Makefile's own `lab` command (headless, on 127.0.0.1) and asks the server what it serves."""
    if shutil.which("make") is None:
        pytest.skip("no make")
    # Under `make test` the parent make's MAKEFLAGS/MAKELEVEL would add "make[1]: Entering directory" lines.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    planned = subprocess.run(
        ["make", "--no-print-directory", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True, env=env
    )
    command = shlex.split(planned.stdout.strip().splitlines()[-1])
    assert command[0].endswith("python") and command[1:3] == ["-m", "grader.lab"]
    command[0] = sys.executable  # the venv running these tests
    with jupyter_lab(command, tmp_path) as (base, token):
        names = {item["name"] for item in api(base, token, "/api/contents")["content"]}
        assert {f"{lesson.slug}.ipynb" for lesson in LESSONS} <= names
        assert "python3" in api(base, token, "/api/kernelspecs")["kernelspecs"]


def lab_command(root: Path) -> list[str]:
    return lab.command(root, ["--LabApp.expose_app_in_browser=True"])


def test_opening_a_notebook_and_saving_it_changes_no_byte(tmp_path):
    """A learner who only looked: JupyterLab starts the kernel, writes its language_info and (auto)saves."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    lesson = LESSONS[-1]
    exercises = tmp_path / "exercises"
    exercises.mkdir()
    shipped = ROOT / "exercises" / f"{lesson.slug}.ipynb"
    shutil.copy(shipped, exercises)
    with jupyter_lab(lab_command(exercises), tmp_path) as (base, token), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.set_default_timeout(180_000)
            page.goto(f"{base}/lab/tree/{lesson.slug}.ipynb?token={token}")
            start_kernel(page)
            # The kernel's language_info (with this Python's version) is in the open notebook's model...
            page.wait_for_function("() => 'version' in window.jupyterapp.shell.currentWidget.model.getMetadata('language_info')")
            page.evaluate(SAVE)
            page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
        finally:
            browser.close()
    # ...but what reaches the disk is the shipped notebook, byte for byte.
    assert (exercises / f"{lesson.slug}.ipynb").read_bytes() == shipped.read_bytes()


SET_SOURCES = """([cells]) => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  for (const cell of notebook.model.cells) {
    if (cell.id in cells) cell.sharedModel.setSource(cells[cell.id]);
  }
}"""
# Not awaited: the promise of run-all can stay pending with cells out of view; the outputs tell.
RUN_ALL = "() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }"
SAVE = "async () => { await window.jupyterapp.commands.execute('docmanager:save'); }"


OUTPUT_OF = """([id]) => {
  // The rendered output of a cell, by the cell's id (JupyterLab renders cells out of view too).
  const widget = window.jupyterapp.shell.currentWidget.content.widgets.find(w => w.model.id === id);
  const area = widget.node.querySelector('.jp-OutputArea');
  return area && area.querySelector('table') ? area.textContent : '';
}"""


KERNEL_OR_DIALOG = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (document.querySelector('.jp-Dialog')) return 'dialog';
  const session = panel && panel.sessionContext && panel.sessionContext.session;
  return session && session.kernel && session.kernel.status === 'idle' ? 'kernel' : false;
}"""


def start_kernel(page) -> None:
    """Wait for the notebook's kernel; on a slow machine JupyterLab may ask which one, and the learner picks Python 3."""
    while page.wait_for_function(KERNEL_OR_DIALOG).json_value() == "dialog":
        page.click(".jp-Dialog .jp-mod-accept")
        page.wait_for_selector(".jp-Dialog", state="detached")


def wait_for_output(page, cell_id: str, text: str) -> str:
    """The cell's rendered output (an HTML table) once it contains `text`."""
    page.wait_for_function(f"([id, text]) => ({OUTPUT_OF})([id]).includes(text)", arg=[cell_id, text])
    return page.evaluate(OUTPUT_OF, [cell_id])


def test_lesson_01_in_jupyterlab_from_where_to_start_to_all_green_and_progress_done(tmp_path):
    """The learner's path: open the notebook in JupyterLab, run it, write the code and answers, see green, save."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    from grader import progress

    lesson = get_lesson("status-codes")
    exercises = tmp_path / "exercises"
    exercises.mkdir()
    shutil.copy(ROOT / "exercises" / f"{lesson.slug}.ipynb", exercises)
    solution = (lesson.folder / "solution.py").read_text()
    learner_code = solution.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0]
    app_cell = cell(nbformat.read(exercises / f"{lesson.slug}.ipynb", as_version=4), "app").source
    written = {"app": app_cell.replace(build_notebooks.CODE_STUB, learner_code)}
    written.update({f"{build_notebooks.ANSWER_CELL_PREFIX}{q.number}": f'QUIZ_ANSWERS[{q.number}] = "{q.answer}"' for q in lesson.quiz.questions})

    with jupyter_lab(lab_command(exercises), tmp_path) as (base, token), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.set_default_timeout(180_000)
            page.goto(f"{base}/lab/tree/{lesson.slug}.ipynb?token={token}")
            start_kernel(page)

            # Before any code: the check cells say where to start.
            page.evaluate(RUN_ALL)
            before = wait_for_output(page, "check-exercise", "Where to start")
            assert "✘" not in before and lesson.start_hint.split("`")[0] in before
            wait_for_output(page, "check-quiz", "Answer each question")

            # A crash in the app cell: Run All goes on to the check cells, which lead with the error.
            page.evaluate(SET_SOURCES, [{"app": app_cell + "\nBOOKS[0]  # no book 0 yet\n"}])
            page.evaluate(RUN_ALL)
            crashed = wait_for_output(page, "check-exercise", "Your code raised an error")
            assert "KeyError: 0" in crashed

            # The learner writes the routes and the answers, runs everything again and saves.
            page.evaluate(SET_SOURCES, [written])
            page.evaluate(RUN_ALL)
            wait_for_output(page, "check-exercise", "All checks pass")
            # The points are the cell's result, rendered after its table: wait for them too.
            points = f"{lesson.exercise_points} / {lesson.exercise_points} points"
            exercise_text = wait_for_output(page, "check-exercise", points)
            wait_for_output(page, "check-quiz", "Every answer is right")
            assert exercise_text.count("✔") == len(lesson.checks) and "✘" not in exercise_text
            page.evaluate(SAVE)
            page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
        finally:
            browser.close()

    saved = nbformat.read(exercises / f"{lesson.slug}.ipynb", as_version=4)
    assert learner_code.strip() in cell(saved, "app").source
    row = next(r for r in progress.collect(exercises) if r.lesson == lesson.id)
    assert row.status == progress.DONE
    assert (row.exercise_score, row.quiz_score) == (lesson.exercise_points, lesson.quiz.max_score)
