"""The gradebook: one row per graded submission, in any database SQLAlchemy speaks.

A SQLite file by default; PostgreSQL (or anything else) by URL. Each result is
committed on its own as soon as it is known, so a batch that dies loses only
the submissions still being graded, and a rerun can tell what is done by the
file's digest.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint, create_engine, event, inspect, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from grader.safetext import clean, safe, safe_tree

DEFAULT_DB = "gradebook.db"

# What became of a submission.
GRADED = "graded"  # the app loaded and every check ran
NOT_LOADED = "not_loaded"  # graded, but the code crashed, hung or defined no app while loading: no check could run
UNUSABLE = "unusable"  # not a gradable file (bad notebook, not UTF-8, unknown lesson): nothing graded
ERROR = "error"  # the grader itself failed on this submission
STATUSES = (GRADED, NOT_LOADED, UNUSABLE, ERROR)
STUDENT_CHARS, SOURCE_CHARS = 200, 1000  # the key columns' sizes (PostgreSQL enforces them)


class Base(DeclarativeBase):
    pass


class Scores:
    """What a stored result and its summary compute alike from their columns."""

    __slots__ = ()
    exercise_score: int
    exercise_max: int
    quiz_score: int
    quiz_max: int
    look: str | None

    @property
    def score(self) -> int:
        return self.exercise_score + self.quiz_score

    @property
    def max_score(self) -> int:
        return self.exercise_max + self.quiz_max

    @property
    def look_reasons(self) -> list[str] | None:
        """What the batch that graded it said needs a look; None when it was stored before that was kept."""
        return json.loads(self.look) if self.look is not None else None


class Result(Scores, Base):
    __tablename__ = "grader_results"
    __table_args__ = (UniqueConstraint("student", "source", name="uq_grader_results_student_source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    student: Mapped[str] = mapped_column(String(STUDENT_CHARS), index=True)
    source: Mapped[str] = mapped_column(String(SOURCE_CHARS))  # the file's resolved path
    digest: Mapped[str] = mapped_column(String(64))  # sha256 of the bytes graded; "" when unreadable
    lesson_id: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    exercise_score: Mapped[int] = mapped_column(Integer, default=0)
    exercise_max: Mapped[int] = mapped_column(Integer, default=0)
    quiz_score: Mapped[int] = mapped_column(Integer, default=0)
    quiz_max: Mapped[int] = mapped_column(Integer, default=0)
    seed: Mapped[int | None] = mapped_column(Integer)
    report: Mapped[str | None] = mapped_column(Text)  # GradeReport.to_json(), when graded
    graded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Why the batch summary said it needs a look (a JSON list), kept for the dashboard; NULL in rows
    # stored before the column existed (`_add_missing_columns` adds it to an older gradebook).
    look: Mapped[str | None] = mapped_column(Text, nullable=True)

    @property
    def report_json(self) -> dict:
        return json.loads(self.report) if self.report else {}


@dataclass(frozen=True, slots=True)
class Summary(Scores):
    """A result without its report (the bulk of a gradebook): plain attributes, read far faster than `Result`."""

    id: int
    student: str
    source: str
    lesson_id: str | None
    status: str
    reason: str
    exercise_score: int
    exercise_max: int
    quiz_score: int
    quiz_max: int
    graded_at: datetime
    look: str | None


SUMMARY_COLUMNS = [getattr(Result, name) for name in Summary.__dataclass_fields__]
REPORTS_PER_QUERY = 500  # ids in one IN (...): well under every database's limit
Row = TypeVar("Row", Result, Summary)


@dataclass
class Outcome:
    """What grading one submission gave, before it is stored."""

    student: str
    source: str
    digest: str
    status: str
    lesson_id: str | None = None
    reason: str = ""
    exercise_score: int = 0
    exercise_max: int = 0
    quiz_score: int = 0
    quiz_max: int = 0
    seed: int | None = None
    report: dict | None = None
    look: list[str] = field(default_factory=list)  # why a graded submission needs a look (also in its report)

    @property
    def score(self) -> int:
        return self.exercise_score + self.quiz_score

    @property
    def max_score(self) -> int:
        return self.exercise_max + self.quiz_max


def _fit(text: str, size: int) -> str:
    """Clean `text` and fit it in a column of `size` characters, keeping distinct texts distinct."""
    text = clean(text)
    if len(text) <= size:
        return text
    tail = "…" + hashlib.sha256(text.encode()).hexdigest()[:16]
    return text[: size - len(tail)] + tail


def stored_key(student: str, source: str) -> tuple[str, str]:
    """The (student, source) a result is stored under: clean, and short enough for its columns."""
    return _fit(student, STUDENT_CHARS), _fit(source, SOURCE_CHARS)


def database_url(db: str | None) -> str:
    """A SQLAlchemy URL (a bare `postgresql://` gets psycopg 3), or a file path turned into a SQLite URL."""
    db = db or DEFAULT_DB
    if "://" in db:
        # A bare postgresql:// means psycopg2 to SQLAlchemy; the classroom extra installs psycopg 3.
        return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", db)
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # Readers (a progress viewer, an export) never block the batch's commits.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


class Gradebook:
    def __init__(self, db: str | None = None):
        self.url = database_url(db)
        self.engine: Engine = create_engine(self.url)
        if make_url(self.url).get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            Base.metadata.create_all(self.engine)
        except DBAPIError:
            # Another grader (a second batch, an export) created the tables between this one's look and
            # its CREATE TABLE: they are there now, and a second look sees them. Anything else raises again.
            Base.metadata.create_all(self.engine)
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """A gradebook made by an older grader gets the nullable columns added since (its rows keep NULL)."""
        table = Base.metadata.tables[Result.__tablename__]
        have = {column["name"] for column in inspect(self.engine).get_columns(table.name)}
        for column in table.columns:
            if column.name in have:
                continue
            kind = column.type.compile(dialect=self.engine.dialect)
            try:
                with self.engine.begin() as connection:
                    connection.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))
            except DBAPIError:
                # Another grader added it first; anything else shows up at the first query.
                pass

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def digests(self) -> dict[tuple[str, str], str]:
        """(student, source) -> digest of what was graded, for every stored result (keys as `stored_key` gives them)."""
        with Session(self.engine) as session:
            rows = session.execute(select(Result.student, Result.source, Result.digest))
            return {(student, source): digest for student, source, digest in rows}

    def record(self, outcome: Outcome) -> Result:
        """Store one result (replacing an earlier one for the same file) and commit it now.

        Text is stored as `grader.safetext` cleans it: a surrogate (which no
        UTF-8 encoder takes) or a NUL (which PostgreSQL refuses) becomes a
        visible escape, and ids fit their columns.
        """
        student, source = stored_key(outcome.student, outcome.source)
        with Session(self.engine, expire_on_commit=False) as session:
            row = session.scalars(
                select(Result).where(Result.student == student, Result.source == source)
            ).one_or_none()
            if row is None:
                row = Result(student=student, source=source)
                session.add(row)
            row.digest = clean(outcome.digest)
            row.lesson_id = outcome.lesson_id  # a known lesson id, or None
            row.status = outcome.status
            row.reason = safe(outcome.reason, "reason")
            row.exercise_score, row.exercise_max = outcome.exercise_score, outcome.exercise_max
            row.quiz_score, row.quiz_max = outcome.quiz_score, outcome.quiz_max
            row.seed = outcome.seed
            row.report = (
                json.dumps(safe_tree(outcome.report), ensure_ascii=False) if outcome.report is not None else None
            )
            row.graded_at = datetime.now(timezone.utc)
            row.look = json.dumps([safe(line, "reason") for line in outcome.look], ensure_ascii=False)
            session.commit()
            return row

    def outcomes(self) -> Iterator[Outcome]:
        """Every stored result as an outcome without its scores' report, only why it needs a look:
        light enough to walk for a class of 10^5."""
        columns = (Result.student, Result.source, Result.digest, Result.status, Result.lesson_id, Result.reason)
        with Session(self.engine) as session:
            for student, source, digest, status, lesson_id, reason, stored_look in session.execute(
                select(*columns, Result.look)
            ).yield_per(1000):
                look = json.loads(stored_look) if stored_look else None
                yield Outcome(
                    student,
                    source,
                    digest,
                    status,
                    lesson_id,
                    reason,
                    look=[str(line) for line in look] if isinstance(look, list) else [],
                )

    def lesson_ids(self) -> set[str]:
        """The lessons something was handed in for (graded or not)."""
        with Session(self.engine) as session:
            return {i for i in session.scalars(select(Result.lesson_id).distinct()) if i}

    def results(self) -> list[Result]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(
                session.scalars(select(Result).order_by(Result.student, Result.lesson_id, Result.graded_at, Result.id))
            )

    def summaries(self) -> list[Summary]:
        """Every result without its report, in `results()` order."""
        with Session(self.engine) as session:
            query = select(*SUMMARY_COLUMNS).order_by(Result.student, Result.lesson_id, Result.graded_at, Result.id)
            return [Summary(*values) for values in session.execute(query)]

    def reports(self, ids: list[int]) -> dict[int, dict]:
        """The stored reports of these results ({} for one without), a few hundred per query."""
        found = {}
        with Session(self.engine) as session:
            for i in range(0, len(ids), REPORTS_PER_QUERY):
                chunk = ids[i : i + REPORTS_PER_QUERY]
                for row_id, text in session.execute(select(Result.id, Result.report).where(Result.id.in_(chunk))):
                    found[row_id] = json.loads(text) if text else {}
        return found

    def latest(self) -> dict[str, dict[str | None, Result]]:
        """student -> lesson id -> the most recently graded result (lesson None: unusable, lesson unknown)."""
        return latest_of(self.results())


def latest_of(rows: list[Row]) -> dict[str, dict[str | None, Row]]:
    """`Gradebook.latest` over rows already read (`results()` or `summaries()`)."""
    book: dict[str, dict[str | None, Row]] = {}
    for row in rows:
        lessons = book.setdefault(row.student, {})
        current = lessons.get(row.lesson_id)
        if current is None or (row.graded_at, row.id) >= (current.graded_at, current.id):
            lessons[row.lesson_id] = row
    return book
