"""`grader progress`: every lesson's scores from the learner's notebooks, and the next step.

Each notebook is graded in the sandbox like `grader check`, several at once.
Grades are cached under `.grader-cache/` by the notebook's hash, the lesson's
files and the grader's own code, so `make` is quick when nothing changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import grader
from grader.lessons import Lesson, all_lessons
from grader.workspace import cache_dir, exercise_path

NOT_STARTED, IN_PROGRESS, DONE, MISSING, UNREADABLE = "not started", "in progress", "done", "missing", "unreadable"
LESSON_FILES = ("lesson.toml", "quiz.toml", "checks.py", "solution.py", "starter.py", "exercise.md")


@dataclass
class LessonProgress:
    number: int
    lesson: str  # id
    title: str
    path: str
    exercise_score: int
    exercise_max: int
    quiz_score: int
    quiz_max: int
    status: str
    detail: str = ""
    quiz_recorded: bool = False  # a class release: the answers are kept for the instructor's key, not scored here

    @classmethod
    def empty(cls, lesson: Lesson, path: Path, status: str) -> LessonProgress:
        """No points yet, out of the lesson's."""
        return cls(
            lesson.number,
            lesson.id,
            lesson.title,
            str(path),
            0,
            lesson.exercise_points,
            0,
            lesson.quiz.max_score,
            status,
        )

    @property
    def slug(self) -> str:
        return f"{self.number:02d}-{self.lesson}"


# -- cache keys ----------------------------------------------------------------


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def _grader_fingerprint() -> bytes:
    """The grader's own code: a new grader version re-grades everything."""
    package = Path(grader.__file__).parent
    return _digest(*(p.read_bytes() for p in sorted(package.glob("*.py")))).encode()


def _lesson_fingerprint(lesson: Lesson) -> bytes:
    files = [lesson.folder / name for name in LESSON_FILES]
    return _digest(*(f.name.encode() + (f.read_bytes() if f.is_file() else b"") for f in files)).encode()


def _code_cells(text: str) -> list[str]:
    cells = json.loads(text).get("cells", [])
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in cells
        if c.get("cell_type") == "code"
    ]


# -- grading one lesson ----------------------------------------------------------


def is_untouched(lesson: Lesson, text: str) -> bool:
    """True when the notebook's code is the fresh exercise's (outputs may differ)."""
    from grader.reset import ResetError, fresh_exercise

    try:
        return _code_cells(text) == _code_cells(fresh_exercise(lesson))
    except (ResetError, ValueError, KeyError, TypeError):
        return False


def grade_lesson(lesson: Lesson, path: Path) -> LessonProgress:
    from grader.grade import grade_path
    from grader.lessons import UnknownLesson
    from grader.quiz_source import RECORDED_NOTE
    from grader.source import InputError

    row = LessonProgress.empty(lesson, path, NOT_STARTED)
    try:
        untouched = is_untouched(lesson, path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        untouched = False  # grade_path says what is wrong with it
    if untouched:
        # Not a grade: the capstone's starter app passes a few checks before the learner writes a line.
        return row
    try:
        report = grade_path(path, lesson_id=lesson.id)
    except (InputError, UnknownLesson) as exc:
        row.status, row.detail = UNREADABLE, str(exc)
        return row
    row.exercise_score, row.exercise_max = report.exercise_score, report.exercise_max
    row.quiz_score, row.quiz_max = report.quiz.score, report.quiz.max_score
    row.quiz_recorded = any(note.startswith(RECORDED_NOTE) for note in report.notes)
    row.status = DONE if report.score == report.max_score else IN_PROGRESS
    return row


class Cache:
    """One JSON file per lesson: the last grade and the key it was computed for."""

    def __init__(self, folder: Path):
        self.folder = folder / "progress"

    def get(self, slug: str, key: str) -> LessonProgress | None:
        try:
            data = json.loads((self.folder / f"{slug}.json").read_text())
            return LessonProgress(**data["row"]) if data.get("key") == key else None
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def put(self, slug: str, key: str, row: LessonProgress) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{slug}.{os.getpid()}.tmp"
            tmp.write_text(json.dumps({"key": key, "row": asdict(row)}))
            os.replace(tmp, self.folder / f"{slug}.json")
        except OSError:
            pass  # a read-only checkout still gets its progress, just not cached


def collect(folder: Path, use_cache: bool = True, workers: int | None = None) -> list[LessonProgress]:
    """Progress for every lesson, graded in parallel where the cache has nothing."""
    lessons = all_lessons()
    cache = Cache(cache_dir(folder))
    grader_key = _grader_fingerprint()
    rows: dict[str, LessonProgress] = {}
    todo: list[tuple[Lesson, Path, str]] = []
    for lesson in lessons:
        path = exercise_path(lesson, folder)
        if not path.is_file():
            rows[lesson.id] = LessonProgress.empty(lesson, path, MISSING)
            continue
        key = _digest(path.read_bytes(), _lesson_fingerprint(lesson), grader_key)
        cached = cache.get(lesson.slug, key) if use_cache else None
        if cached is not None:
            cached.path = str(path)
            rows[lesson.id] = cached
        else:
            todo.append((lesson, path, key))
    if todo:
        workers = workers or max(1, min(len(todo), os.cpu_count() or 1, 4))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            graded = list(pool.map(lambda item: grade_lesson(item[0], item[1]), todo))
        for (lesson, _, key), row in zip(todo, graded, strict=True):
            cache.put(lesson.slug, key, row)
            rows[lesson.id] = row
    return [rows[lesson.id] for lesson in lessons]


# -- the next step ------------------------------------------------------------------


def next_step(rows: list[LessonProgress]) -> str:
    """One sentence and the command to run, for the first lesson not done."""
    todo = next((row for row in rows if row.status != DONE), None)
    if todo is None:
        return f"All {len(rows)} lessons are done: every check passes and every quiz answer is right. Well done!"
    name = f"lesson {todo.number:02d} · {todo.title}"
    notebook = Path(todo.path).name
    if todo.status == MISSING:
        return f"{todo.path} is missing: run `grader reset {todo.slug}` to get a fresh copy, then `make lab`."
    if todo.status == UNREADABLE:
        return (
            f"{todo.path} cannot be read ({todo.detail}). Run `grader reset {todo.slug}`: "
            "it saves your file to .grader-backups/ and puts a fresh notebook in its place."
        )
    if todo.status == NOT_STARTED:
        return (
            f"Start {name}: run `make lab` and open {notebook} in JupyterLab "
            "(its first cell says what to build; the check cells at the end grade it)."
        )
    left = []
    if todo.exercise_score < todo.exercise_max:
        left.append(f"the exercise ({todo.exercise_score}/{todo.exercise_max})")
    if todo.quiz_score < todo.quiz_max:
        left.append(f"the quiz ({todo.quiz_score}/{todo.quiz_max})")
    return (
        f"Continue {name}: finish {' and '.join(left)} in {notebook} (`make lab`). "
        f"`grader watch {todo.path}` re-grades it each time you save."
    )


def render(rows: list[LessonProgress], folder: Path, console=None) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    from grader.safetext import clean  # an unreadable notebook's error quotes its path and contents

    console = console or Console()
    styles = {DONE: "bold green", IN_PROGRESS: "yellow", NOT_STARTED: "dim", MISSING: "red", UNREADABLE: "red"}
    marks = {DONE: "✔", IN_PROGRESS: "…", NOT_STARTED: "·", MISSING: "✘", UNREADABLE: "✘"}
    table = Table(title=f"Your progress ({escape(clean(str(folder)))})", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("Lesson")
    table.add_column("Exercise", justify="right")
    table.add_column("Quiz", justify="right")
    table.add_column("Status")
    for row in rows:
        style = styles[row.status]
        table.add_row(
            f"{row.number:02d}",
            escape(row.title),
            f"{row.exercise_score}/{row.exercise_max}",
            "recorded" if row.quiz_recorded else f"{row.quiz_score}/{row.quiz_max}",
            f"[{style}]{marks[row.status]} {row.status}[/]",
        )
    console.print(table)
    done = sum(row.status == DONE for row in rows)
    earned = sum(row.exercise_score + row.quiz_score for row in rows)
    total = sum(row.exercise_max + row.quiz_max for row in rows)
    console.print(f"{done} of {len(rows)} lessons done · {earned}/{total} points")
    console.print(Panel(escape(clean(next_step(rows))), title="Next step", border_style="cyan", expand=False))
