"""Building the hostile submissions: apps from `apps/` rendered into files, and broken notebooks.

An app file starts with a docstring saying what it does, then

    # says: words the report must contain (case-insensitive; `|` separates alternatives)

and may hold placeholders: a line `# @starter` or `# @solution` becomes the
lesson-01 starter code or reference solution (indented like the marker),
`@PORT@` / `@UDP_PORT@` the loopback listeners the test opened, `@OUTSIDE@`
a file outside the sandbox the app must not be able to write, `@SLEEP@` this
run's `sleep` argument.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = Path(__file__).resolve().parent / "apps"
LESSON = "status-codes"
SOLUTION_NOTEBOOK = ROOT / "solutions" / "01-status-codes.ipynb"
EXERCISE_NOTEBOOK = ROOT / "exercises" / "01-status-codes.ipynb"
# The argument of every `sleep` a hostile app leaves behind (`@SLEEP@`): this run's own, so that a
# leftover check counts no other run's processes on the same machine.
SLEEP_MARKER = f"4242.{os.getpid()}"


@dataclass
class Hostile:
    name: str
    path: Path
    says: tuple[str, ...] = ()  # alternatives; one must appear in the report
    unusable: str = ""  # for input the grader must refuse: words of the error
    notes: dict = field(default_factory=dict)


def starter_code() -> str:
    """The exercise's code cells as the grader runs them: without the quiz, the check cells and the
    "Try it" scratch cell (whose TestClient request would start the app before a hostile app's own code)."""
    nb = json.loads(EXERCISE_NOTEBOOK.read_text())
    cells = [
        "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "code"
        and "QUIZ_ANSWERS" not in "".join(c["source"])
        and "try-it" not in c.get("metadata", {}).get("tags", [])
    ]
    return "\n\n".join(c for c in cells if "grader" not in c)


def solution_code() -> str:
    return (ROOT / "lessons" / "01-status-codes" / "solution.py").read_text()


def render(text: str, values: dict[str, str]) -> str:
    blocks = {"starter": starter_code(), "solution": solution_code()}

    def block(match: re.Match) -> str:
        indent = match.group(1)
        return "\n".join(indent + line if line else line for line in blocks[match.group(2)].splitlines())

    text = re.sub(r"^([ \t]*)# @(starter|solution)[ \t]*$", block, text, flags=re.M)
    for key, value in {"SLEEP": SLEEP_MARKER, **values}.items():
        text = text.replace(f"@{key}@", value)
    return text


def app_cases(folder: Path, values: dict[str, str], apps: Path = APPS) -> list[Hostile]:
    cases = []
    for source in sorted(apps.glob("*.py")):
        text = source.read_text()
        says = re.search(r"^# says:(.*)$", text, re.M)
        if says is None:
            raise ValueError(f"{source}: no '# says:' line")
        path = folder / f"{source.stem}.py"
        path.write_text(render(text, values))
        cases.append(
            Hostile(source.stem, path, tuple(s.strip().lower() for s in says.group(1).split("|") if s.strip()))
        )
    return cases


def _notebook(cells: list[dict], metadata: dict | None = None) -> dict:
    base = json.loads(EXERCISE_NOTEBOOK.read_text())
    base["cells"] = base["cells"] + cells
    if metadata is not None:
        base["metadata"] = metadata
    return base


def _code(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def notebook_cases(folder: Path, values: dict[str, str]) -> list[Hostile]:
    solution = SOLUTION_NOTEBOOK.read_bytes()
    cases: list[Hostile] = []

    def add(name: str, data: bytes, says=(), unusable="") -> None:
        path = folder / f"{name}.ipynb"
        path.write_bytes(data)
        cases.append(Hostile(name, path, tuple(w for s in says for w in s.split("|")), unusable))

    add("nb_malformed_json", b'{"cells": [,,,', unusable="invalid json")
    add("nb_truncated", solution[: len(solution) // 2], unusable="invalid json")
    cut = solution.index(b"Bookshelf")
    add("nb_not_utf8", solution[:cut] + b"\xff\xfe\xfa" + solution[cut:], unusable="not utf-8")
    add("nb_no_cells", json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}}).encode(), unusable="no cells")
    add(
        "nb_future_format",
        json.dumps({"nbformat": 99, "nbformat_minor": 0, "metadata": {}, "cells": []}).encode(),
        unusable="unsupported notebook format",
    )
    add(
        "nb_cells_not_a_list",
        json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": {"a": 1}}).encode(),
        unusable="not a valid notebook",
    )
    junk = "lorem ipsum " * (50 * 1024 * 1024 // 12)
    big_markdown = _notebook([{"cell_type": "markdown", "metadata": {}, "source": junk}])
    add("nb_50mb_markdown", json.dumps(big_markdown).encode(), says=["where to start"])
    big_code = _notebook([_code("# " + junk)])
    add("nb_50mb_code", json.dumps(big_code).encode(), says=["where to start|too big|over the"])
    claims = json.loads(SOLUTION_NOTEBOOK.read_text())
    claims["metadata"]["grader"] = {"lesson": "capstone"}
    starter_claims = _notebook([], metadata=claims["metadata"])
    add("nb_claims_other_lesson", json.dumps(starter_claims).encode(), says=["where to start"])
    magics = _notebook(
        [
            _code(
                "%matplotlib inline\n%load_ext autoreload\n!pip install --index-url http://127.0.0.1:9/ fastapi-solutions"
            ),
            _code(f"!touch {values['MAGIC_MARKER']}\nfiles = !ls /\n%time x = 1\nlen?"),
            _code(f"%%bash\ntouch {values['MAGIC_MARKER']}"),
            _code("%%capture\nprint('captured')"),
        ]
    )
    add("nb_magics", json.dumps(magics).encode(), says=["skipped ipython-only line"])
    return cases
