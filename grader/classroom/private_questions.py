"""Private graded questions: an instructor's file outside the course adds to or
replaces a lesson's graded pool.

A public course's `quiz.toml` is open book: anyone can read its answers. Questions
kept in a file of the instructor's own never reach a learner's machine except as
a class release's prompt and choices (the key stays with the instructor).

A file has the `quiz.toml` format (only `[[question]]` is read) and says which
lesson it is for and whether it replaces the lesson's own questions::

    lesson = "status-codes"   # optional when the file is named after the lesson (01-status-codes.toml)
    replace = false           # false (default): after the course's questions; true: instead of them
    [[question]]
    ...

`--questions PATH` (or `GRADER_QUESTIONS=PATH`) names one such file or a folder of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.lessons import Lesson, UnknownLesson, get_lesson, lesson_from_filename
from grader.quiz import GRADED, Question, Quiz, QuizFormatError, parse_questions, read_toml, renumbered

ENV = "GRADER_QUESTIONS"  # read by the `--questions` option of check, batch and release


@dataclass(frozen=True)
class Override:
    lesson_id: str
    replace: bool
    questions: tuple[Question, ...]
    source: str


def _load_file(path: Path) -> Override:
    data = read_toml(path)
    try:
        lesson = get_lesson(str(data["lesson"])) if "lesson" in data else lesson_from_filename(path)
    except UnknownLesson as exc:
        raise QuizFormatError(f"{path}: {exc}") from None
    if lesson is None:
        raise QuizFormatError(f'{path}: say which lesson it is for (lesson = "status-codes") or name the file after it')
    questions = parse_questions(data.get(GRADED, []), str(path))
    if not questions:
        raise QuizFormatError(f"{path}: no [[question]] entries")
    replace = data.get("replace", False)
    if not isinstance(replace, bool):
        raise QuizFormatError(f"{path}: replace must be true or false")
    return Override(lesson.id, replace, questions, str(path))


def load_overrides(path: Path | str | None) -> dict[str, Override]:
    """The overrides in a file or a folder of `.toml` files; {} for None. Raises QuizFormatError."""
    if path is None:
        return {}
    path = Path(path).expanduser()
    if path.is_dir():
        files = sorted(path.glob("*.toml"))
    elif path.is_file():
        files = [path]
    else:
        raise QuizFormatError(f"{path}: no such file or folder of private questions")
    found: dict[str, Override] = {}
    for file in files:
        override = _load_file(file)
        if override.lesson_id in found:
            raise QuizFormatError(
                f"{file}: lesson {override.lesson_id} already has private questions in {found[override.lesson_id].source}"
            )
        found[override.lesson_id] = override
    return found


def graded_quiz(lesson: Lesson, overrides: dict[str, Override]) -> Quiz:
    """The lesson's graded pool with the instructor's private questions applied."""
    override = overrides.get(lesson.id)
    if override is None:
        return lesson.quiz
    base = () if override.replace else lesson.quiz.questions
    return renumbered(base + override.questions)
