"""Exports from the gradebook for the places grades go.

- CSV: one row per learner; each lesson's exercise and quiz points; the total.
  The first row under the header is `Points Possible`: each column's maximum,
  as Canvas writes it in its own gradebook exports (and skips it on import).
- Gradescope: an autograder `results.json` per learner (score, tests with
  name/score/max_score/status/output), as Gradescope's autograder spec defines.
- Exercism v3: a test-runner `results.json` per learner (version 3, status
  pass|fail|error, tests with name/status/message/task_id). Each test also
  carries `score` and the file a top-level `max_score`: GitHub Classroom's
  grading reporter reads exactly those from a runner's Exercism-style result.

Each learner's grade for a lesson is their most recently graded submission
for it; a lesson with no submission earns 0 of its points. By default an export
covers what the class was given (`class_lessons`), never every lesson of the
course. Every CSV cell that starts like a formula is neutralised (`neutral`). Links to the lesson
pages are rebuilt for the docs address given at export time (`docs_base`), not
the one that was set when the submission was graded: learners must be able to open them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from grader.classroom.gradebook import ERROR, GRADED, NOT_LOADED, UNUSABLE, Gradebook, Result
from grader.classroom.release_key import ReleaseKey
from grader.lessons import Lesson, all_lessons, get_lesson

FORMATS = ("csv", "canvas", "moodle", "gradescope", "exercism")  # canvas, moodle: from a roster (`roster`)
EXERCISM_VERSION = 3


@dataclass
class LessonGrade:
    lesson: Lesson
    result: Result | None  # None: nothing submitted for this lesson
    possible: tuple[int, int] | None = None  # (exercise, quiz) maxima as the class was graded; see `points_possible`

    @property
    def counted(self) -> Result | None:
        """The result when it counts (graded, or graded as not loaded); else None."""
        if self.result is not None and self.result.status in (GRADED, NOT_LOADED):
            return self.result
        return None

    @property
    def graded(self) -> bool:
        return self.counted is not None

    @property
    def lesson_max(self) -> int:
        exercise, quiz = self.possible or (self.lesson.exercise_points, self.lesson.quiz.max_score)
        return exercise + quiz

    @property
    def exercise(self) -> int:
        result = self.counted
        return result.exercise_score if result is not None else 0

    @property
    def quiz(self) -> int:
        result = self.counted
        return result.quiz_score if result is not None else 0

    @property
    def score(self) -> int:
        return self.exercise + self.quiz

    @property
    def max_score(self) -> int:
        result = self.counted
        return result.max_score if result is not None else self.lesson_max


@dataclass
class Learner:
    student: str
    grades: list[LessonGrade]
    unplaced: list[Result] = field(default_factory=list)  # unusable files whose lesson is unknown

    @property
    def score(self) -> int:
        return sum(g.score for g in self.grades)

    @property
    def max_score(self) -> int:
        return sum(g.max_score for g in self.grades)


def class_lessons(gradebook: Gradebook, key: ReleaseKey | None = None) -> tuple[list[Lesson], str]:
    """The lessons an export covers unless told (`--lesson`), and which they are, said in words.

    What the class was given: the release's lessons, else those something was handed in for. Never
    every lesson of the course: a column for a lesson never released would import as an assignment
    everyone failed."""
    if key is not None:
        return [lesson for lesson in all_lessons() if lesson.id in key.quizzes], f"the lessons of release {key.release}"
    handed_in = gradebook.lesson_ids()
    return [lesson for lesson in all_lessons() if lesson.id in handed_in], "the lessons with results in the gradebook"


def learners(gradebook: Gradebook, lesson_ids: list[str] | None = None, chosen: bool = True) -> list[Learner]:
    """Each learner's grades for these lessons [default: those with results in the gradebook].

    Lessons `chosen` by the instructor (`--lesson`) leave out learners with nothing for them."""
    lessons = [get_lesson(i) for i in lesson_ids] if lesson_ids is not None else class_lessons(gradebook)[0]
    book = gradebook.latest()
    out = []
    for student in sorted(book):
        by_lesson = book[student]
        grades = [LessonGrade(lesson, by_lesson.get(lesson.id)) for lesson in lessons]
        unplaced = [r for lesson_id, r in by_lesson.items() if lesson_id is None]
        if lesson_ids is not None and chosen and not any(g.result for g in grades):
            continue  # nothing for the chosen lessons
        out.append(Learner(student, grades, unplaced))
    possible = points_possible(out, lessons)
    for learner in out:
        for grade in learner.grades:
            grade.possible = possible[grade.lesson.id]
    return out


def points_possible(rows: list[Learner], lessons: list[Lesson]) -> dict[str, tuple[int, int]]:
    """Each lesson's (exercise, quiz) maxima as its submissions were graded.

    Private questions (`--questions`) change a quiz's size, so the maxima
    stored with the graded submissions say it, not the public quiz.toml (the
    most common pair, should two runs differ); a lesson nobody was graded on
    keeps its own.
    """
    seen: dict[str, Counter] = {lesson.id: Counter() for lesson in lessons}
    for learner in rows:
        for grade in learner.grades:
            result = grade.counted
            if result is not None and grade.lesson.id in seen:
                seen[grade.lesson.id][(result.exercise_max, result.quiz_max)] += 1
    return {
        lesson.id: seen[lesson.id].most_common(1)[0][0]
        if seen[lesson.id]
        else (lesson.exercise_points, lesson.quiz.max_score)
        for lesson in lessons
    }


# -- CSV ----------------------------------------------------------------------------


def csv_header(lessons: list[Lesson]) -> list[str]:
    header = ["student"]
    for lesson in lessons:
        header += [f"{lesson.slug} exercise", f"{lesson.slug} quiz"]
    return header + ["total"]


POINTS_POSSIBLE = "Points Possible"


def max_row(lessons: list[Lesson], rows: list[Learner]) -> list[object]:
    known = {grade.lesson.id: grade.possible for learner in rows for grade in learner.grades if grade.possible}
    pairs = [known.get(lesson.id) or (lesson.exercise_points, lesson.quiz.max_score) for lesson in lessons]
    return [POINTS_POSSIBLE, *(points for pair in pairs for points in pair), sum(e + q for e, q in pairs)]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: object) -> object:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading `'` (OWASP's
    CSV-injection advice). Student ids come from folder and file names: `=HYPERLINK(...)` is one."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: list[list[object]]) -> str:
    """Every CSV export goes through here: each cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([neutral(value) for value in row])
    return buffer.getvalue()


def to_csv(rows: list[Learner], lessons: list[Lesson]) -> str:
    """Blank cells: nothing submitted for that lesson; 0: submitted but unusable or failing."""
    table: list[list[object]] = [list(csv_header(lessons)), max_row(lessons, rows)]
    for learner in rows:
        cells: list[object] = [learner.student]
        for grade in learner.grades:
            if grade.result is None:
                cells += ["", ""]
            else:
                cells += [grade.exercise, grade.quiz]
        table.append(cells + [learner.score])
    return write_csv(table)


# -- shared per-test view ---------------------------------------------------------------


@dataclass
class ResultLine:
    lesson: Lesson
    name: str
    score: int
    max_score: int
    status: str  # pass | fail | error
    message: str


def lesson_link(lesson: Lesson, stored_url: str, docs_base: str | None) -> str:
    """The stored link's section of the lesson page, on the site at `docs_base` (default: $GRADER_DOCS_URL)."""
    return lesson.page_url(urlsplit(stored_url).fragment, base=docs_base)


def _feedback(check: dict, lesson: Lesson, docs_base: str | None) -> str:
    parts = [check.get("feedback", "")]
    if check.get("hint"):
        parts.append(f"Hint: {check['hint']}")
    if isinstance(check.get("docs_url"), str) and check["docs_url"]:
        parts.append(f"Read: {lesson_link(lesson, check['docs_url'], docs_base)}")
    return "\n".join(p for p in parts if p)


def result_lines(grade: LessonGrade, docs_base: str | None = None) -> list[ResultLine]:
    lesson, result = grade.lesson, grade.result
    prefix = f"{lesson.slug}:"
    if result is None:
        return [
            ResultLine(
                lesson, f"{prefix} submission", 0, grade.lesson_max, "fail", "Nothing was submitted for this lesson."
            )
        ]
    if result.status in (UNUSABLE, ERROR):
        what = "could not be graded" if result.status == UNUSABLE else "made the grader fail"
        return [
            ResultLine(
                lesson, f"{prefix} submission", 0, grade.lesson_max, "error", f"The submission {what}: {result.reason}"
            )
        ]
    report = result.report_json
    lines = []
    for check in report.get("exercise", {}).get("checks", []):
        not_run = check.get("feedback", "").startswith("Not run:")
        status = "pass" if check.get("passed") else "error" if not_run else "fail"
        message = "" if check.get("passed") else _feedback(check, lesson, docs_base)
        lines.append(
            ResultLine(lesson, f"{prefix} {check['title']}", check["points"], check["max_points"], status, message)
        )
    for question in report.get("quiz", {}).get("questions", []):
        message = (
            ""
            if question["correct"]
            else f"Your answer: {question.get('given') or '—'}. {question.get('explanation', '')}".strip()
        )
        lines.append(
            ResultLine(
                lesson,
                f"{prefix} quiz question {question['number']}",
                question["points"],
                question["max_points"],
                "pass" if question["correct"] else "fail",
                message,
            )
        )
    return lines


def _summary(learner: Learner) -> str:
    lines = [f"{learner.student}: {learner.score}/{learner.max_score}"]
    for grade in learner.grades:
        state = "not submitted" if grade.result is None else grade.result.status.replace("_", " ")
        lines.append(f"  {grade.lesson.slug}: {grade.score}/{grade.max_score} ({state})")
        if grade.result is not None and grade.result.reason:
            lines.append(f"    {grade.result.reason}")
    for result in learner.unplaced:
        lines.append(f"  {Path(result.source).name}: not graded: {result.reason}")
    return "\n".join(lines)


# -- Gradescope ------------------------------------------------------------------------


def gradescope_results(learner: Learner, docs_base: str | None = None) -> dict:
    tests: list[dict[str, Any]] = []
    for grade in learner.grades:
        for n, line in enumerate(result_lines(grade, docs_base), start=1):
            tests.append(
                {
                    "name": line.name,
                    "number": f"{line.lesson.number}.{n}",
                    "score": float(line.score),
                    "max_score": float(line.max_score),
                    "status": "passed" if line.status == "pass" else "failed",
                    "output": line.message,
                    "output_format": "text",
                    "tags": [line.lesson.id],
                    "visibility": "visible",
                }
            )
    return {
        "score": float(sum(t["score"] for t in tests)),
        "output": _summary(learner),
        "output_format": "text",
        "visibility": "visible",
        "tests": tests,
    }


# -- Exercism v3 / GitHub Classroom -----------------------------------------------------------


def exercism_results(learner: Learner, docs_base: str | None = None) -> dict:
    tests: list[dict[str, Any]] = []
    for grade in learner.grades:
        for line in result_lines(grade, docs_base):
            tests.append(
                {
                    "name": line.name,
                    "status": line.status,
                    "message": line.message or None,
                    "task_id": line.lesson.number,
                    "score": line.score,
                    "max_score": line.max_score,
                }
            )
    if tests and all(t["status"] == "error" for t in tests):
        status = "error"
    elif all(t["status"] == "pass" for t in tests):
        status = "pass"
    else:
        status = "fail"
    message = None
    if status == "error":
        message = "No test could run.\n" + "\n".join(t["message"] for t in tests if t["message"])
    return {
        "version": EXERCISM_VERSION,
        "status": status,
        "message": message,
        "tests": tests,
        "max_score": sum(t["max_score"] for t in tests),
    }


# -- writing -----------------------------------------------------------------------------------


def _short_hash(student: str) -> str:
    return hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def safe_name(student: str) -> str:
    """A folder name for a learner id: no path separators, no dot-only names.

    An id that had to change (`a/b` and `a_b` would both give `a_b`) gets a
    short hash of the id itself, so two learners never share a folder.
    """
    name = re.sub(r"[^\w.@+-]", "_", student).strip(".")[:100] or "_"
    return name if name == student else f"{name}-{_short_hash(student)}"


def folder_names(students: list[str]) -> dict[str, str]:
    """Each learner's export folder, unique even where a file system ignores case (`Ann`, `ann`)."""
    used: set[str] = set()
    names = {}
    for student in sorted(students):
        name = safe_name(student)
        if name.casefold() in used:
            name = f"{name}-{_short_hash(student)}"
        used.add(name.casefold())
        names[student] = name
    return names


def write_per_learner(rows: list[Learner], out_dir: Path, build) -> list[Path]:
    folders = folder_names([learner.student for learner in rows])
    written = []
    for learner in rows:
        path = out_dir / folders[learner.student] / "results.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(build(learner), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


BUILDERS = {"gradescope": gradescope_results, "exercism": exercism_results}
