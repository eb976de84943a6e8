"""Bank files: apps with one known bug (or a right app in another style).

Each file in `tests/banks/<lesson-slug>/` starts with a docstring that names
the bug, then two comment lines the tests read:

    # fails: check-name, other-check-name   (empty for a right app)
    # says: words the failing feedback must contain (optional; case-insensitive; `|` separates several)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

BANKS = Path(__file__).resolve().parent / "banks"


@dataclass(frozen=True)
class BankApp:
    path: Path
    lesson_slug: str
    fails: frozenset[str]
    says: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.lesson_slug}/{self.path.stem}"


def read_bank(path: Path) -> BankApp:
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
    return [read_bank(p) for p in sorted(BANKS.glob("*/*.py"))]
