"""Where a learner's files live: the exercise notebooks, the grade cache, the backups.

Everything is relative to the exercises folder (`exercises/` of the course
checkout by default), so the commands and the tests can point at any copy.
"""

from __future__ import annotations

from pathlib import Path

from grader.lessons import Lesson, lessons_root

EXERCISES = "exercises"
CACHE = ".grader-cache"  # gitignored: grades keyed by file hash
BACKUPS = ".grader-backups"  # gitignored: notebooks saved by `grader reset`


def exercises_dir(given: Path | None = None) -> Path:
    """The folder given, else `./exercises`, else the course checkout's `exercises/`."""
    if given is not None:
        return given
    here = Path(EXERCISES)
    if here.is_dir():
        return here
    course = lessons_root().parent / EXERCISES
    return course if course.is_dir() else here


def exercise_path(lesson: Lesson, folder: Path) -> Path:
    return folder / f"{lesson.slug}.ipynb"


def cache_dir(folder: Path) -> Path:
    return folder.resolve().parent / CACHE


def backups_dir(folder: Path) -> Path:
    return folder.resolve().parent / BACKUPS
