"""Keeping the answers out of a git repository: one `git add -A` must not publish them.

A class release writes its key (and, for nbgrader, `source/` with the solutions)
into its folder, which is often inside the course's own checkout. The release
folder gets a `.gitignore` naming them, so git never picks them up; private
question files the instructor keeps inside a repository, unignored, get a warning.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from grader.classroom.release_key import KEY_NAME

# Answers (the key, nbgrader's source notebooks) and learners' work and grades (nbgrader's folders, gradebooks).
PRIVATE = (
    KEY_NAME,
    "source/",
    "submitted/",
    "autograded/",
    "feedback/",
    "gradebook.db*",
    "grader.db*",
)
HEADER = "# Written by `grader release`: the answers and the learners' work stay out of git."


def ignore_private(folder: Path) -> Path:
    """Add what must stay private to `folder/.gitignore` (keeping what it already says)."""
    path = folder / ".gitignore"
    current = path.read_text().splitlines() if path.is_file() else []
    missing = [entry for entry in PRIVATE if entry not in current]
    if missing:
        lines = [*current, *([HEADER] if HEADER not in current else []), *missing]
        path.write_text("\n".join(lines) + "\n")
    return path


def exposed(path: Path) -> bool:
    """True when `path` is inside a git work tree and not ignored there: `git add -A` would take it."""
    git = shutil.which("git")
    if git is None:
        return False
    path = Path(path).expanduser().absolute()
    folder = path if path.is_dir() else path.parent
    inside = subprocess.run(
        [git, "-C", str(folder), "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True
    )
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return False
    ignored = subprocess.run([git, "-C", str(folder), "check-ignore", "-q", str(path)], capture_output=True)
    return ignored.returncode != 0
