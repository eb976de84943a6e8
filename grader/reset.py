"""`grader reset`: give a learner a fresh exercise notebook, keeping theirs as a backup.

The fresh notebook is rebuilt from the lesson folder with `grader.build_notebooks`,
the same way the committed `exercises/NN-id.ipynb` was made (a test keeps the
two identical). Rebuilding, rather than `git show HEAD:`, gives the notebook
as the course ships it even when the learner has committed their own work;
`git show HEAD:` is the fallback when nbgrader (which the build uses) is not
installed. The learner's notebook is copied to `.grader-backups/` first,
under a time-stamped name, unless it already is the fresh one.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from grader.lessons import Lesson
from grader.workspace import EXERCISES, backups_dir, exercise_path


class ResetError(Exception):
    pass


@dataclass
class ResetResult:
    path: Path
    backup: Path | None  # where the learner's notebook was saved, if it was
    changed: bool  # False: it was fresh already


def fresh_exercise(lesson: Lesson) -> str:
    """The text of the lesson's fresh exercise notebook."""
    from grader import build_notebooks

    try:
        return build_notebooks.render(build_notebooks.build_exercise(build_notebooks.build_solution(lesson)))
    except ImportError:  # the build needs nbgrader's preprocessors
        text = committed_exercise(lesson, build_notebooks.repo_root())
        if text is None:
            raise ResetError("cannot rebuild the notebook without nbgrader: pip install -e '.[classroom]'") from None
        return text


def committed_exercise(lesson: Lesson, repo: Path) -> str | None:
    """`exercises/NN-id.ipynb` as committed at HEAD, or None outside a git checkout."""
    try:
        shown = subprocess.run(
            ["git", "-C", str(repo), "show", f"HEAD:{EXERCISES}/{lesson.slug}.ipynb"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    return shown.stdout if shown.returncode == 0 else None


def _backup_name(folder: Path, lesson: Lesson) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = folder / f"{lesson.slug}-{stamp}.ipynb"
    n = 2
    while candidate.exists():
        candidate = folder / f"{lesson.slug}-{stamp}-{n}.ipynb"
        n += 1
    return candidate


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def reset_exercise(lesson: Lesson, folder: Path) -> ResetResult:
    target = exercise_path(lesson, folder)
    fresh = fresh_exercise(lesson)
    backup = None
    if target.exists():
        current = target.read_bytes()
        if current == fresh.encode("utf-8"):
            return ResetResult(target, None, False)
        backups = backups_dir(folder)
        backups.mkdir(parents=True, exist_ok=True)
        backup = _backup_name(backups, lesson)
        backup.write_bytes(current)
    _write_atomically(target, fresh)
    return ResetResult(target, backup, True)
