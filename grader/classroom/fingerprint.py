"""The course a machine would grade with: the grader's version and a hash of its code and of the lessons.

A cluster's coordinator and each worker compare theirs, so that no worker
grades with other checks, quizzes or grader code than the coordinator's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import grader
from grader.lessons import lessons_root


@dataclass(frozen=True)
class Course:
    version: str
    code: str  # sha256 over the grader package's files
    lessons: str  # sha256 over the lessons folder's files

    def __str__(self) -> str:
        return f"grader {self.version}, code {self.code[:12]}, lessons {self.lessons[:12]}"

    def differences(self, other: Course) -> list[str]:
        """What differs, in words: `["other lessons (checks, quizzes)"]`, ..."""
        found = []
        if self.version != other.version:
            found.append(f"grader version {other.version} instead of {self.version}")
        if self.code != other.code:
            found.append("other grader code")
        if self.lessons != other.lessons:
            found.append("other lessons (checks, quizzes or exercises)")
        return found


def _tree_hash(root: Path, skip: set[str]) -> str:
    """One hash of every file's relative path and bytes; caches, hidden files and `skip` left out."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if not path.is_file() or parts[0] in skip or any(p == "__pycache__" or p.startswith(".") for p in parts):
            continue
        if path.suffix in (".pyc", ".pyo"):
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def this_course() -> Course:
    package = Path(grader.__file__).resolve().parent
    # `_lessons` is where the wheel puts the lessons: counted once, as lessons.
    return Course(grader.__version__, _tree_hash(package, {"_lessons"}), _tree_hash(lessons_root().resolve(), set()))
