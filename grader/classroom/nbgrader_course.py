"""Running nbgrader the way this course needs it.

nbgrader starts `alembic` (its gradebook migrations) and Jupyter kernels by
name from PATH, so `.venv/bin/nbgrader` alone fails unless the venv's `bin/`
is on PATH. `grader nbgrader ARGS...` runs it with that folder first on PATH
and, in a course that holds a class release's key, with `GRADER_RELEASE_KEY`
set, so `autograde` scores the class quiz.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from grader.build_notebooks import CODE_STUB
from grader.classroom.release_key import ENV as KEY_ENV
from grader.classroom.release_key import KEY_NAME

COURSE_ID = "fastapi-response-course"

# The course's notebooks need exactly these settings; nbgrader's default stub
# (`raise NotImplementedError()`) would stop every released notebook at its first cell.
CONFIG = f"""\
# nbgrader settings for this course, written by `grader release --nbgrader`.
c = get_config()
c.CourseDirectory.course_id = {COURSE_ID!r}
# An untouched release must run top to bottom: the app cell and every quiz answer
# cell get a comment, not nbgrader's default `raise NotImplementedError()`.
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}
# A kernel that hangs must fail the run, not stall it.
c.ExecutePreprocessor.timeout = 300
"""


def bin_dir() -> Path:
    """The folder of the interpreter running the grader: the venv's `bin/`."""
    return Path(sys.executable).parent


def nbgrader_env(course: Path | None = None) -> dict:
    env = dict(os.environ, PATH=f"{bin_dir()}{os.pathsep}{os.environ.get('PATH', '')}")
    key = (course or Path.cwd()) / KEY_NAME
    if KEY_ENV not in env and key.is_file():
        env[KEY_ENV] = str(key.resolve())
    return env


def nbgrader_executable() -> Path:
    return bin_dir() / "nbgrader"


def run_nbgrader(args: list[str], course: Path | None = None, capture: bool = False) -> subprocess.CompletedProcess:
    exe = nbgrader_executable()
    if not exe.exists():
        raise FileNotFoundError(
            f"nbgrader is not installed next to {sys.executable}: run `make setup-instructor` in the course folder"
        )
    return subprocess.run(
        [str(exe), *args],
        cwd=course,
        env=nbgrader_env(course),
        capture_output=capture,
        text=True,
        stdin=subprocess.DEVNULL,
    )
