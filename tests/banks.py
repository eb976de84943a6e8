"""The bank: apps with one known bug (or a right app in another style), per lesson.

An entry in `tests/banks/<lesson-slug>/` is either

- `name.toml`: a bug as edits to the lesson's `solution.py`, so the app is
  derived from the reference and its bug is the whole file::

      bug = "What is wrong, in one line."
      fails = ["check-name"]            # the checks it must lose ([] for a right app)
      says = ["words in the feedback"]  # case-insensitive
      [[edit]]
      old = '''exact lines of solution.py'''
      new = '''the buggy lines'''

  Edits apply in order to solution.py without its module docstring and its
  nbgrader marker lines; each `old` must occur exactly once.
- `name.py`: a complete app, for one written in another style: a docstring
  names the bug, then `# fails: a, b` and `# says: words | more words`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from grader import _toml, syntax
from grader.build_notebooks import MARKERS

BANKS = Path(__file__).resolve().parent / "banks"
LESSONS = BANKS.parent.parent / "lessons"


def solution_base(lesson_slug: str) -> str:
    """solution.py as a bank edit starts from it: no module docstring, no marker lines."""
    text = (LESSONS / lesson_slug / "solution.py").read_text()
    lines = text.splitlines(keepends=True)
    tree = syntax.parse(text)
    if ast.get_docstring(tree) is not None:
        lines = lines[tree.body[0].end_lineno:]
    lines = [line for line in lines if line.strip() not in MARKERS]
    return "".join(lines).lstrip("\n")


def apply_edits(base: str, edits: list[dict], where: str) -> str:
    for number, edit in enumerate(edits, start=1):
        count = base.count(edit["old"])
        if count != 1:
            raise ValueError(f"{where}: edit {number}'s `old` occurs {count} times in solution.py (must be once)")
        base = base.replace(edit["old"], edit["new"])
    return base


@dataclass(frozen=True)
class BankApp:
    path: Path
    lesson_slug: str
    fails: frozenset[str]
    says: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.lesson_slug}/{self.path.stem}"

    def source(self) -> str:
        """The app's code: the file itself, or solution.py with the entry's edits."""
        if self.path.suffix == ".py":
            return self.path.read_text()
        with self.path.open("rb") as fh:
            data = _toml.load(fh)
        return f'"""{data["bug"]}"""\n\n' + apply_edits(solution_base(self.lesson_slug), data["edit"], str(self.path))


def read_bank(path: Path) -> BankApp:
    if path.suffix == ".toml":
        with path.open("rb") as fh:
            data = _toml.load(fh)
        return BankApp(path, path.parent.name, frozenset(data["fails"]), tuple(data.get("says", ())))
    text = path.read_text()
    fails = re.search(r"^# fails:(.*)$", text, re.M)
    if fails is None:
        raise ValueError(f"{path}: no '# fails:' line")
    says = re.search(r"^# says:(.*)$", text, re.M)
    return BankApp(
        path=path,
        lesson_slug=path.parent.name,
        fails=frozenset(n.strip() for n in fails.group(1).split(",") if n.strip()),
        says=tuple(s.strip() for s in says.group(1).split("|") if s.strip()) if says else (),
    )


def bank_apps() -> list[BankApp]:
    return [read_bank(p) for p in sorted([*BANKS.glob("*/*.py"), *BANKS.glob("*/*.toml")])]
