"""The figures the dashboard shows, computed from the gradebook (read once per change).

Each learner's grade for a lesson is their latest submission for it, as the
exports count it. The class is every learner the gradebook has a row for.
Rows are read without their reports (the bulk of a gradebook); a page that needs
reports reads just the ones it shows, in one query.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grader.classroom import exports
from grader.classroom.batch import UNTOUCHED_NO_ROUTE
from grader.classroom.gradebook import ERROR, GRADED, NOT_LOADED, UNUSABLE, Gradebook, Result, latest_of
from grader.classroom.gradebook import Summary as Row
from grader.lessons import Lesson

BINS = 10  # the score histogram: 0-10 %, ..., 90-100 % (full marks in the last)
RUN_GAP = timedelta(minutes=10)  # results further apart than this come from different runs
LABELS = {GRADED: "graded", NOT_LOADED: "code did not load", UNUSABLE: "unusable", ERROR: "grader error"}


def state(gradebook: Gradebook) -> tuple:
    """Changes whenever a result is stored: the dashboard recomputes only then."""
    with Session(gradebook.engine) as session:
        return tuple(session.execute(select(func.count(), func.max(Result.id), func.max(Result.graded_at))).one())


def may_be_untouched(row: Row) -> bool:
    """Only these can be untouched; the report says whether they are."""
    return row.status in (GRADED, NOT_LOADED) and row.exercise_score == 0 and row.quiz_score == 0


def is_untouched(row: Row, report: dict) -> bool:
    """As `grader batch` judges it: no route, no check passed, no quiz answer right."""
    return may_be_untouched(row) and report.get("started") is False


def runs(times: list[datetime]) -> list[datetime]:
    """The end of each run: sorted times split where more than RUN_GAP passed."""
    ends: list[datetime] = []
    for moment in sorted(times):
        if ends and moment - ends[-1] <= RUN_GAP:
            ends[-1] = moment
        else:
            ends.append(moment)
    return ends


def bin_of(score: int, max_score: int) -> int:
    if max_score <= 0:
        return 0
    return min(BINS - 1, int(BINS * score / max_score))


@dataclass
class LookItem:
    student: str
    lesson_id: str | None
    source: str
    status: str
    why: list[str]


@dataclass
class LessonSummary:
    lesson: Lesson
    submitted: int = 0
    graded: int = 0
    untouched: int = 0
    look: int = 0
    not_submitted: int = 0
    full_marks: int = 0
    histogram: list[int] = field(default_factory=lambda: [0] * BINS)
    mean: float | None = None  # mean share of the points, graded submissions


@dataclass
class CheckLine:
    name: str
    title: str
    docs_url: str
    passed: int
    total: int
    failing: list[str]  # learners
    feedback: str = ""  # the most common first line of feedback among the failures
    feedback_count: int = 0

    @property
    def share(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass
class FailingPair:
    first: str
    second: str
    both: int
    either: int


@dataclass
class LessonLines:
    lesson: Lesson
    counted: int  # learners whose app loaded and who started
    lines: list[CheckLine]
    pair: FailingPair | None


@dataclass
class ProgressPoint:
    at: datetime
    submissions: int
    mean: float


@dataclass
class ClassData:
    lessons: list[Lesson]
    students: list[str]
    latest: dict[str, dict[str | None, Row]]
    gradebook: Gradebook
    summaries: list[LessonSummary]
    look: list[LookItem]
    progress: list[ProgressPoint]
    reports: dict[int, dict] = field(default_factory=dict)  # result id -> parsed report, as read so far

    def report(self, row: Row) -> dict:
        if row.id not in self.reports:
            self.load_reports([row])
        return self.reports[row.id]

    def load_reports(self, rows: list[Row]) -> None:
        """Read these rows' reports now, in one query per few hundred."""
        wanted = [row.id for row in rows if row.id not in self.reports]
        self.reports.update(self.gradebook.reports(wanted))


def _feedback_key(text: str) -> tuple[str, str]:
    """(what groups it, what is shown): seeded values differ between learners, the sentence does not."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return re.sub(r"\d+", "#", line), line


def load(gradebook: Gradebook) -> ClassData:
    rows = gradebook.summaries()
    lessons = exports.class_lessons(gradebook)[0]  # what the class was given, as the learners table counts it
    latest = latest_of(rows)
    students = sorted(latest)
    current = [row for by_lesson in latest.values() for row in by_lesson.values()]
    reports = gradebook.reports([row.id for row in current if may_be_untouched(row)])
    ends = runs([row.graded_at for row in rows])
    look = _needs_a_look(rows, latest, reports, ends)
    summaries = _summaries(lessons, students, latest, reports, look)
    return ClassData(
        lessons=lessons,
        students=students,
        latest=latest,
        gradebook=gradebook,
        summaries=summaries,
        look=look,
        progress=_progress(rows, ends),
        reports=reports,
    )


def _run_of(moment: datetime, ends: list[datetime]) -> int:
    return next(i for i, end in enumerate(ends) if moment <= end)


def _needs_a_look(
    rows: list[Row], latest: dict[str, dict[str | None, Row]], reports: dict[int, dict], ends: list[datetime]
) -> list[LookItem]:
    """The batch summary's list for every run so far: each current result that needs a look, with why."""
    per_run: Counter[tuple[str, str | None, int]] = Counter(
        (r.student, r.lesson_id, _run_of(r.graded_at, ends))
        for r in rows
        if r.lesson_id and r.status in (GRADED, NOT_LOADED)
    )
    current = [row for by_lesson in latest.values() for key, row in by_lesson.items() if key is not None]
    current += [row for row in rows if row.lesson_id is None]  # every file whose lesson is unknown
    found = []
    for row in sorted(current, key=lambda r: (r.student, r.lesson_id or "", r.source)):
        why = []
        if row.status != GRADED:
            why.append(row.reason or LABELS[row.status])
        stored = row.look_reasons
        if stored is not None:
            why += stored
        elif is_untouched(row, reports.get(row.id, {})):
            why.append(UNTOUCHED_NO_ROUTE)  # stored before the batch's reasons were kept
        same_run = per_run[(row.student, row.lesson_id, _run_of(row.graded_at, ends))]
        if row.status in (GRADED, NOT_LOADED) and same_run > 1:
            why.append(
                f"one of {same_run} submissions for lesson {row.lesson_id} by this student in one run (the export keeps the latest)"
            )
        if why:
            found.append(LookItem(row.student, row.lesson_id, row.source, row.status, why))
    return found


def _summaries(
    lessons: list[Lesson],
    students: list[str],
    latest: dict[str, dict[str | None, Row]],
    reports: dict[int, dict],
    look: list[LookItem],
) -> list[LessonSummary]:
    looked = Counter(item.lesson_id for item in look)
    out = []
    for lesson in lessons:
        summary = LessonSummary(lesson, look=looked[lesson.id])
        shares = []
        for student in students:
            row = latest[student].get(lesson.id)
            if row is None:
                summary.not_submitted += 1
                continue
            summary.submitted += 1
            if row.status not in (GRADED, NOT_LOADED):
                continue
            summary.graded += 1
            summary.untouched += is_untouched(row, reports.get(row.id, {}))
            summary.full_marks += row.score == row.max_score
            summary.histogram[bin_of(row.score, row.max_score)] += 1
            shares.append(row.score / row.max_score if row.max_score else 0.0)
        summary.mean = sum(shares) / len(shares) if shares else None
        out.append(summary)
    return out


def _progress(rows: list[Row], ends: list[datetime]) -> list[ProgressPoint]:
    """After each run: the mean share of the points over every learner's latest graded result per lesson."""
    if len(ends) < 2:
        return []
    points = []
    ordered = sorted(rows, key=lambda r: (r.graded_at, r.id))
    best: dict[tuple[str, str], float] = {}
    i = 0
    for end in ends:
        while i < len(ordered) and ordered[i].graded_at <= end:
            row = ordered[i]
            if row.lesson_id and row.status in (GRADED, NOT_LOADED):
                best[(row.student, row.lesson_id)] = row.score / row.max_score if row.max_score else 0.0
            i += 1
        if best:
            points.append(ProgressPoint(end, len(best), sum(best.values()) / len(best)))
    return points


def contract_lines(data: ClassData, lesson: Lesson) -> LessonLines:
    """Every check of the lesson with the share of learners who pass it, hardest first."""
    checks = {check.name: check for check in lesson.checks}
    passed: Counter = Counter()
    failing: dict[str, list[str]] = defaultdict(list)
    feedback: dict[str, Counter] = defaultdict(Counter)
    shown: dict[tuple[str, str], str] = {}
    pairs: Counter = Counter()
    fails: Counter = Counter()
    counted = 0
    data.load_reports([by[lesson.id] for by in data.latest.values() if lesson.id in by])
    for student in data.students:
        row = data.latest[student].get(lesson.id)
        if row is None or row.status != GRADED:
            continue
        report = data.report(row)
        if is_untouched(row, report):
            continue
        counted += 1
        failed = []
        for check in report.get("exercise", {}).get("checks", []):
            name = check.get("name")
            if name not in checks:
                continue  # a check the lesson no longer has
            if check.get("passed"):
                passed[name] += 1
                continue
            failed.append(name)
            failing[name].append(student)
            key, line = _feedback_key(str(check.get("feedback", "")))
            feedback[name][key] += 1
            shown.setdefault((name, key), line)
        fails.update(failed)
        pairs.update(combinations(sorted(failed), 2))
    lines = []
    for name, check in checks.items():
        top = feedback[name].most_common(1)
        lines.append(
            CheckLine(
                name=name,
                title=check.title,
                docs_url=lesson.page_url(check.docs),
                passed=passed[name],
                total=counted,
                failing=failing[name],
                feedback=shown[(name, top[0][0])] if top else "",
                feedback_count=top[0][1] if top else 0,
            )
        )
    order = {name: i for i, name in enumerate(checks)}
    lines.sort(key=lambda line: (line.share if line.total else 1.0, order[line.name]))
    return LessonLines(lesson, counted, lines, _top_pair(pairs, fails, checks))


def _top_pair(pairs: Counter, fails: Counter, checks: dict) -> FailingPair | None:
    """The two checks that most often fail together, relative to how often either fails (Jaccard),
    so two merely hard checks do not win by size; at least two learners must share it."""
    best = None
    for (a, b), both in pairs.items():
        if both < 2:
            continue
        either = fails[a] + fails[b] - both
        score = (both / either, both)
        if best is None or score > best[0]:
            best = (score, FailingPair(checks[a].title, checks[b].title, both, either))
    return best[1] if best else None
