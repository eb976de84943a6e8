"""A roster: who each submission is in the LMS, and the gradebook imports written from it.

Folder and file names are the grader's student ids; an LMS matches rows by its own
identifiers. The instructor's roster CSV maps one to the other, with a header row:

    submission,name,canvas_id,sis_user_id,sis_login_id,section,email,idnumber
    alice,Alice Liddell,1001,S-1,alice@uni.example,Section A,alice@uni.example,S-1

`submission` is required; the rest as the LMS needs. Written from it:

- Canvas (Grades → Import): `Student, ID, SIS User ID, SIS Login ID, Section`, then one
  column per lesson (a new column becomes a new assignment), then a `Points Possible` row,
  as Canvas's own gradebook export writes them. Canvas matches a row by ID, SIS User ID or
  SIS Login ID, so each row needs one of them. A blank score changes nothing.
- Moodle (Grades → Import → CSV file): a column per identifier Moodle can match a user by
  (`email`: "Email address", `idnumber`: "ID number"), then one per lesson, mapped to
  grade items on import. No Points Possible row: Moodle would read it as a user.

Roster entries with no submission and submissions with no roster entry are reported,
never guessed at.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from grader.classroom.exports import Learner, write_csv
from grader.lessons import Lesson

COLUMNS = ("submission", "name", "canvas_id", "sis_user_id", "sis_login_id", "section", "email", "idnumber")
CANVAS_HEADER = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_IDS = ("canvas_id", "sis_user_id", "sis_login_id")
MOODLE_IDS = ("email", "idnumber")
MAX_ENTRIES = 100_000


class RosterError(ValueError):
    pass


@dataclass
class Roster:
    entries: dict[str, dict[str, str]]  # submission id -> the LMS's identifiers

    def columns(self) -> set[str]:
        return {column for entry in self.entries.values() for column, value in entry.items() if value}


@dataclass
class Matched:
    rows: list[tuple[dict[str, str], Learner]]
    no_submission: list[str] = field(default_factory=list)  # roster entries nothing was graded for
    no_entry: list[str] = field(default_factory=list)  # graded submissions the roster does not name


def load_roster(path: Path) -> Roster:
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [(name or "").strip().lower() for name in reader.fieldnames or []]
            if "submission" not in header:
                raise RosterError(f"{path}: the roster needs a `submission` column (the grader's student ids)")
            unknown = sorted(set(header) - set(COLUMNS) - {""})
            if unknown:
                raise RosterError(f"{path}: unknown roster columns {unknown}; known: {', '.join(COLUMNS)}")
            entries: dict[str, dict[str, str]] = {}
            for number, raw in enumerate(reader, start=2):
                if number > MAX_ENTRIES:
                    raise RosterError(f"{path}: more than {MAX_ENTRIES} entries")
                row = {key.strip().lower(): (value or "").strip() for key, value in raw.items() if key}
                submission = row.get("submission", "")
                if not submission:
                    continue
                if submission in entries:
                    raise RosterError(f"{path}, line {number}: submission {submission!r} is listed twice")
                entries[submission] = row
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RosterError(f"{path}: cannot read the roster ({exc})") from None
    return Roster(entries)


def match(roster: Roster, learners: list[Learner]) -> Matched:
    by_id = {learner.student: learner for learner in learners}
    return Matched(
        rows=[(entry, by_id[student]) for student, entry in roster.entries.items() if student in by_id],
        no_submission=sorted(student for student in roster.entries if student not in by_id),
        no_entry=sorted(student for student in by_id if student not in roster.entries),
    )


def _scores(learner: Learner) -> list[object]:
    return [grade.score if grade.result is not None else "" for grade in learner.grades]


def _lesson_maxima(lessons: list[Lesson], learners: list[Learner]) -> list[object]:
    """Each lesson's points as the class was graded (exercise and quiz together)."""
    known = {grade.lesson.id: grade.lesson_max for learner in learners for grade in learner.grades}
    return [known.get(lesson.id, lesson.exercise_points + lesson.quiz.max_score) for lesson in lessons]


def to_canvas(matched: Matched, lessons: list[Lesson]) -> str:
    missing = [entry["submission"] for entry, _ in matched.rows if not any(entry.get(c) for c in CANVAS_IDS)]
    if missing:
        raise RosterError(
            f"Canvas matches rows by ID, SIS User ID or SIS Login ID: the roster gives none for {', '.join(missing[:5])}"
        )
    learners = [learner for _, learner in matched.rows]
    table: list[list[object]] = [[*CANVAS_HEADER, *(lesson.slug for lesson in lessons)]]
    table.append(["Points Possible", "", "", "", "", *_lesson_maxima(lessons, learners)])
    for entry, learner in matched.rows:
        ids = [entry.get("name") or learner.student, *(entry.get(c, "") for c in (*CANVAS_IDS, "section"))]
        table.append([*ids, *_scores(learner)])
    return write_csv(table)


def to_moodle(matched: Matched, lessons: list[Lesson]) -> str:
    ids = [column for column in MOODLE_IDS if any(entry.get(column) for entry, _ in matched.rows)]
    if not ids:
        raise RosterError("Moodle matches users by email address or ID number: the roster gives neither")
    table: list[list[object]] = [[*ids, *(lesson.slug for lesson in lessons)]]
    for entry, learner in matched.rows:
        table.append([*(entry.get(column, "") for column in ids), *_scores(learner)])
    return write_csv(table)


WRITERS = {"canvas": to_canvas, "moodle": to_moodle}
