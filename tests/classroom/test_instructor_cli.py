"""The instructor's commands read well: readable help with -h, one line for an unreachable gradebook,
the instructor setup documented and ending with the next step, and a success line from the notebook build."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


def grader(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "grader"), *args], capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.mark.parametrize("command", ["batch", "export", "release", "check"])
def test_help_with_h_has_readable_metavars(command):
    done = grader(command, "-h")
    assert done.returncode == 0, done.stderr
    for typer_says in ("<list[str]>", "<int range>", "<str>", "<path>", "{paths}", "{out}", "{path}"):
        assert typer_says not in done.stdout, f"grader {command} -h shows {typer_says}"


def test_export_s_format_is_a_choice_list():
    done = grader("export", "-h")
    assert "[csv|canvas|moodle|gradescope|exercism]" in done.stdout
    assert grader("export", "xml").returncode == 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("command", ["batch", "export"])
def test_an_unreachable_postgresql_gradebook_is_one_line(tmp_path, command):
    pytest.importorskip("psycopg")
    (tmp_path / "a-01-status-codes.py").write_text("app = None\n")
    url = f"postgresql://grader:secret@127.0.0.1:{free_port()}/class"
    args = ["batch", str(tmp_path), "--db", url] if command == "batch" else ["export", "csv", "--db", url]
    done = grader(*args)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("warning:")]
    assert len(lines) == 1, done.stderr
    assert (
        f"cannot reach the gradebook at postgresql+psycopg://grader:***@127.0.0.1:{url.split(':')[3].split('/')[0]}/class"
        in lines[0]
    )
    assert "secret" not in done.stderr and "Traceback" not in done.stderr


def test_the_release_says_1_notebook(tmp_path):
    done = grader("release", str(tmp_path / "c"), "--lesson", "01")
    assert done.returncode == 0, done.stderr
    assert re.search(r": 1 notebook for learners:", done.stdout)


def test_make_setup_instructor_installs_the_classroom_and_scale_out_extras_and_says_what_next():
    # -B: as on a fresh machine, even where this venv is set up already; not nested in the caller's make.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(
        ["make", "-n", "-B", "--no-print-directory", "setup-instructor"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    # Dry run: what it would install, and the line it ends with.
    assert re.search(r"pip install --quiet -e \"\.\[notebooks,docs,classroom,scale-out\]\"", done.stdout), done.stdout
    assert "Next: source .venv/bin/activate" in done.stdout.splitlines()[-1]
    guide = (ROOT / "docs" / "guide" / "instructor.md").read_text()
    assert "make setup-instructor" in guide and "`make setup` includes it" not in guide


def test_the_notebook_build_says_so_when_all_is_up_to_date():
    done = subprocess.run(
        [sys.executable, "-m", "grader.build_notebooks", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0
    from grader.lessons import all_lessons

    assert done.stdout.strip() == f"All {2 * len(all_lessons())} notebooks are up to date."
