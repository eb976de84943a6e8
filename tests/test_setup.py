"""Set-up: `make` installs what a learner needs (no instructor tools), `make test` everything;
the README's path without make installs the learner's set too."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from importlib.metadata import PackageNotFoundError, distribution

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from grader import build_notebooks

ROOT = build_notebooks.repo_root()
# sqlalchemy is not here: the capstone runs on it, so it is a runtime dependency.
INSTRUCTOR_ONLY = {"nbgrader", "psycopg", "pytest", "playwright"}


def planned_pip_installs(target: str) -> list[str]:
    """The extras each `pip install -e` of `make TARGET` would install, read from make's own dry run."""
    if shutil.which("make") is None:
        pytest.skip("no make")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    planned = subprocess.run(["make", "--no-print-directory", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    extras = []
    for line in planned.stdout.splitlines():
        words = shlex.split(line)
        if "pip" in words and "install" in words and "-e" in words:
            extras.append(re.fullmatch(r"\.\[(.*)\]", words[words.index("-e") + 1]).group(1))
    return extras


def closure(name: str, extras: set[str]) -> set[str]:
    """Every distribution `name[extras]` pulls in, by the installed packages' own metadata."""
    seen: set[str] = set()
    todo = [(name, frozenset(extras))]
    while todo:
        current, wanted = todo.pop()
        key = canonicalize_name(current)
        if (key, wanted) in seen:
            continue
        seen.add((key, wanted))
        try:
            requires = distribution(current).requires or []
        except PackageNotFoundError:
            continue  # an optional dependency for another platform or Python
        for line in requires:
            req = Requirement(line)
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in (wanted or {""})):
                todo.append((req.name, frozenset(req.extras)))
    return {key for key, _ in seen}


def test_make_installs_the_learners_set_and_make_test_everything():
    [learner] = planned_pip_installs("run")
    assert learner == "notebooks,docs"
    assert "dev" in planned_pip_installs("test")
    assert planned_pip_installs("lab") == [learner] and planned_pip_installs("docs") == [learner]


def test_the_learners_set_has_no_instructor_tools():
    learner = closure("fastapi-response-course", {"notebooks", "docs"})
    assert "jupyterlab" in learner and "ipykernel" in learner and "mkdocs" in learner
    assert not INSTRUCTOR_ONLY & learner, INSTRUCTOR_ONLY & learner
    assert {"nbgrader", "psycopg"} <= closure("fastapi-response-course", {"dev"})  # the check can see them
    assert "sqlalchemy" in learner  # the capstone starter imports it


def test_the_readmes_setup_without_make_installs_the_same_set():
    readme = (ROOT / "README.md").read_text()
    without_make = re.findall(r'pip install -e "\.\[([^\]]+)\]"', readme)
    assert without_make and set(without_make) == {planned_pip_installs("run")[0]}
    assert "python -m grader.lab" in readme
