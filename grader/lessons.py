"""The lesson registry: one folder per lesson under `lessons/`.

Each folder `NN-id/` holds `lesson.toml` (metadata), `quiz.toml`, `checks.py`,
`solution.py` and `examples/`. Everything else in the grader asks this module
where a lesson's pieces are.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from grader import _toml

if TYPE_CHECKING:
    from grader.checks import Check
    from grader.quiz import Quiz

# Where the docs site is served by `make docs`; hints link into it.
DEFAULT_DOCS_URL = "http://127.0.0.1:8000/"


class UnknownLesson(LookupError):
    pass


def lessons_root() -> Path:
    """The `lessons/` folder: from the environment, the repo, or the installed wheel."""
    env = os.environ.get("GRADER_LESSONS_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "lessons", here / "_lessons"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("cannot find the lessons folder (set GRADER_LESSONS_DIR)")


def docs_url(base: str | None = None) -> str:
    """The course site's address: `base` if given, else $GRADER_DOCS_URL, else where `make docs` serves it."""
    return (base or os.environ.get("GRADER_DOCS_URL") or DEFAULT_DOCS_URL).rstrip("/") + "/"


@dataclass(frozen=True)
class Lesson:
    id: str
    number: int
    title: str
    exercise: str
    folder: Path
    meta: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def slug(self) -> str:
        """`01-status-codes`: the name of the lesson's folder, notebooks and page."""
        return f"{self.number:02d}-{self.id}"

    @property
    def start_hint(self) -> str:
        return self.meta.get("start_hint", "")

    def page_url(self, anchor: str = "", base: str | None = None) -> str:
        url = f"{docs_url(base)}lessons/{self.slug}/"
        return f"{url}#{anchor.lstrip('#')}" if anchor else url

    @cached_property
    def checks(self) -> list[Check]:
        from grader.checks import collect_checks

        module = _load_module(self.folder / "checks.py", f"_lesson_checks_{self.id.replace('-', '_')}")
        return collect_checks(module)

    @cached_property
    def quiz(self) -> Quiz:
        """The graded pool (the exercise notebook's quiz)."""
        from grader.quiz import load_quiz

        return load_quiz(self.folder / "quiz.toml")

    @cached_property
    def practice(self) -> Quiz:
        """The practice pool (the lesson page's quiz)."""
        from grader.quiz import PRACTICE, load_quiz

        return load_quiz(self.folder / "quiz.toml", PRACTICE)

    @property
    def exercise_points(self) -> int:
        return sum(c.points for c in self.checks)


def _load_module(path: Path, name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def all_lessons() -> list[Lesson]:
    lessons = []
    for folder in sorted(lessons_root().iterdir()):
        meta_file = folder / "lesson.toml"
        if not meta_file.is_file():
            continue
        meta = _toml.read(meta_file)
        lessons.append(
            Lesson(
                id=meta["id"],
                number=int(meta["number"]),
                title=meta["title"],
                exercise=meta["exercise"],
                folder=folder,
                meta=meta,
            )
        )
    return sorted(lessons, key=lambda lesson: lesson.number)


def get_lesson(lesson_id: str) -> Lesson:
    """Find a lesson by id (`status-codes`), slug (`01-status-codes`) or number (`1`)."""
    wanted = lesson_id.strip().lower()
    for lesson in all_lessons():
        if wanted in (lesson.id, lesson.slug, str(lesson.number), f"{lesson.number:02d}"):
            return lesson
    known = ", ".join(lesson.id for lesson in all_lessons())
    raise UnknownLesson(f"unknown lesson {lesson_id!r} (known lessons: {known})")


def lesson_from_filename(path: Path) -> Lesson | None:
    """Guess the lesson from a file name such as `01-status-codes.ipynb` or `alice_errors.py`."""
    stem = path.stem.lower().replace("_", "-")
    for lesson in sorted(all_lessons(), key=lambda item: -len(item.id)):
        if lesson.slug in stem or re.search(rf"(^|[^a-z]){re.escape(lesson.id)}($|[^a-z])", stem):
            return lesson
    return None
