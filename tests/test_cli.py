"""The `grader` command's own surface: help text, --version, and hints on request."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from grader import build_notebooks
from grader.cli import app
from grader.lessons import get_lesson

ROOT = build_notebooks.repo_root()
GRADER = Path(sys.executable).parent / "grader"
LESSON = get_lesson("status-codes")
COMMANDS = sorted(typer.main.get_command(app).commands)


def help_text(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_help_keeps_every_default_and_labels_no_flag_with_a_type(command):
    text = help_text(command)
    declared = [p for p in typer.main.get_command(app).commands[command].params if p.help]
    for param in declared:
        for default in re.findall(r"\[default: [^\]]+\]", param.help):
            assert default in " ".join(text.split()), f"{command}: {default} lost from the help"
    assert "<bool>" not in text
    for flag in ("--json", "--regrade", "--no-cache", "--help"):
        if flag in text:
            assert re.search(rf"{flag}\s{{2,}}\S", text), f"{command}: {flag} shown with a value"


def test_batch_help_shows_its_defaults():
    text = " ".join(help_text("batch").split())
    assert "[default: $GRADER_DB_URL, else gradebook.db]" in text and "[default: twice the number of cores]" in text


def test_version():
    from importlib.metadata import version

    done = subprocess.run([str(GRADER), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == f"grader {version('fastapi-response-course')}\n"


# -- hints on request ------------------------------------------------------------------


def test_hint_for_a_named_check_by_name_number_or_title_word(tmp_path):
    location = next(c for c in LESSON.checks if c.name == "create-sets-location")
    number = LESSON.checks.index(location) + 1
    notebook = ROOT / "exercises" / f"{LESSON.slug}.ipynb"
    for key in ("create-sets-location", str(number), "Location"):
        result = CliRunner().invoke(app, ["hint", str(notebook), key], env={"COLUMNS": "300"})
        assert result.exit_code == 0, result.output
        assert location.title in result.output and location.hint in " ".join(result.output.split())
    result = CliRunner().invoke(app, ["hint", str(notebook), "no-such-check"])
    assert result.exit_code == 2 and "no such check" in result.output and "create-sets-location" in result.output


def test_hint_without_a_check_names_the_next_one_to_fix(tmp_path):
    solution = (LESSON.folder / "solution.py").read_text()
    buggy = tmp_path / "bookshelf.py"
    buggy.write_text(solution.replace('    response.headers["Location"] = f"/books/{new.id}"\n', ""))
    location = next(c for c in LESSON.checks if c.name == "create-sets-location")
    result = CliRunner().invoke(app, ["hint", str(buggy), "--lesson", LESSON.id], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert location.title in text and location.hint in text and "Expected a Location header" in text


def test_the_report_shows_the_first_failing_hint_and_keeps_the_others_on_request(tmp_path):
    """Two bugs: the first failing check's hint is shown, the second only as the command that shows it."""
    solution = (LESSON.folder / "solution.py").read_text()
    buggy = solution.replace('    response.headers["Location"] = f"/books/{new.id}"\n', "")
    buggy = buggy.replace("status_code=status.HTTP_202_ACCEPTED", "status_code=200")
    assert buggy.count("Location") < solution.count("Location") and "HTTP_202" not in buggy
    path = tmp_path / "bookshelf.py"
    path.write_text(buggy)
    result = CliRunner().invoke(app, ["check", str(path), "--lesson", LESSON.id], env={"COLUMNS": "400"})
    text = " ".join(result.output.split())
    location = next(c for c in LESSON.checks if c.name == "create-sets-location")
    accepted = next(c for c in LESSON.checks if c.name == "import-202")
    assert location.hint in text
    assert accepted.hint not in text and f"grader hint {path} {accepted.name}" in text
    assert f"Next: {location.title}" in text


def test_an_untouched_exercise_shows_the_first_steps_hint_only():
    notebook = ROOT / "exercises" / f"{LESSON.slug}.ipynb"
    result = CliRunner().invoke(app, ["check", str(notebook)], env={"COLUMNS": "400"})
    text = " ".join(result.output.split())
    first, second = LESSON.checks[:2]
    assert first.hint in text and second.hint not in text
    assert f"grader hint {notebook} CHECK" in text


@pytest.mark.parametrize(
    ("argv", "warms"),
    [
        (["check", "x.ipynb"], True),
        (["hint", "x.ipynb"], True),
        (["batch", "subs/"], True),
        (["batch", "subs/", "--scheduler", "tcp://127.0.0.1:8786"], False),
        (["batch", "subs/", "--scheduler=tcp://127.0.0.1:8786"], False),
        (["progress"], False),
        ([], False),
    ],
)
def test_the_commands_that_grade_here_warm_the_sandbox(argv, warms):
    from grader.entry import grades_here

    assert grades_here(["grader", *argv]) is warms


def test_the_sandbox_starts_before_the_cli_imports_typer():
    """The zygote's 0.6 s of imports overlap the CLI's own only when it is started first."""
    probe = (
        "import sys\n"
        "from grader.sandbox import pool\n"
        "pool.warm = lambda: print(sorted(m for m in ('typer', 'rich', 'grader.cli') if m in sys.modules))\n"
        "sys.argv = ['grader', 'check', 'no-such-file.ipynb']\n"
        "from grader.entry import main\n"
        "main()\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert run.returncode == 2, run.stderr  # the check itself then refuses the missing file
    assert run.stdout.splitlines()[0] == "[]"
