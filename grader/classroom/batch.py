"""Grading many submissions: find them, grade them in parallel, store each result.

Submissions are found by `grader.classroom.discovery` (folders, globs, files, or an
nbgrader course's `submitted/<student>/<assignment>/` tree; odd entries come
as jobs with a problem, recorded as unusable). Grading runs on a backend:
locally, a bounded pool of threads, each waiting on its own sandbox child
(`grade_path`), where the learner's code runs, so threads are enough to keep
the cores busy; or a Dask cluster (`grader.classroom.cluster`). Either way every
database write happens here in the parent, one commit per submission.
"""

from __future__ import annotations

import gc
import itertools
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Protocol

from grader.classroom.discovery import Job, discover, lesson_in_name, lesson_names, split_stem, student_from_stem  # noqa: F401 - re-exported
from grader.classroom.gradebook import (
    ERROR,
    GRADED,
    NOT_LOADED,
    UNUSABLE,
    Gradebook,
    Outcome,
    stored_key,
)
from grader.classroom.untouched import untouched
from grader.lessons import Lesson, UnknownLesson, all_lessons, get_lesson
from grader.quiz_source import FOREIGN_NOTE, RECORDED_NOTE
from grader.safetext import file_name, safe
from grader.sandbox.runner import Limits
from grader.source import InputError, file_digest, load_submission

# -- grading one ---------------------------------------------------------------------


def _lesson_hint(job: Job, names: dict[str, Lesson]) -> str | None:
    """The lesson a failed submission was meant for, when its name or folder says so."""
    if job.lesson_id:
        return job.lesson_id
    for candidate in (job.path.stem, job.path.parent.name):
        candidate = file_name(candidate)
        if candidate in names:
            return names[candidate].id
        lesson = split_stem(candidate, names)[1]
        if lesson is not None:
            return lesson.id
    return None


class LessonConflict(InputError):
    """The file's name and its notebook's metadata name different lessons."""


def choose_lesson(job: Job, claimed: str | None, names: dict[str, Lesson]) -> tuple[Lesson, list[str]]:
    """The lesson to grade a job as, and what needs a look about that choice.

    A forced lesson (--lesson, the nbgrader assignment) wins, with a note when
    the metadata disagrees. Otherwise a name and metadata that disagree make
    the file unusable: grading it as either could replace another lesson's grade.
    """
    named = lesson_in_name(job.path, names)
    meta = get_lesson(claimed) if isinstance(claimed, str) and claimed else None  # UnknownLesson: unusable
    if job.lesson_id:
        lesson = get_lesson(job.lesson_id)
        if meta is not None and meta.id != lesson.id:
            return lesson, [f"the notebook's metadata says lesson {meta.slug}; graded as {lesson.slug}"]
        return lesson, []
    if named is not None and meta is not None and named.id != meta.id:
        raise LessonConflict(
            f"the file name says lesson {named.slug} but the notebook's metadata says {meta.slug}: "
            "not graded, so that neither lesson's grade is replaced (rename the file, or grade it with --lesson)"
        )
    chosen = meta or named
    if chosen is None:
        raise InputError("cannot tell which lesson this is: name the file after it, or grade it with --lesson ID")
    return chosen, []


# Why an untouched submission needs a look; the dashboard says the same of rows stored before reasons were kept.
UNTOUCHED_NO_ROUTE = "looks untouched: no route defined, no quiz answer right"


def grade_one(job: Job, limits: Limits | None = None, seed: int | None = None, quizzes=None) -> Outcome:
    """Grade one submission; never raises: a bad submission becomes an outcome with its reason.

    `quizzes` (a `grader.quiz_source.QuizSource`) brings private questions or a release key."""
    from grader.grade import grade_submission  # the one call a warm worker pool would replace

    names = lesson_names()
    outcome = partial(Outcome, student=job.student, source=job.source)
    if job.problem:
        return outcome(status=UNUSABLE, lesson_id=_lesson_hint(job, names), reason=job.problem, digest="")
    digest = ""
    try:
        submission = load_submission(job.path)
        digest = submission.digest
        lesson, look = choose_lesson(job, submission.claimed_lesson, names)
        report = grade_submission(submission, lesson, limits=limits, seed=seed, quizzes=quizzes)
    except LessonConflict as exc:
        return outcome(status=UNUSABLE, lesson_id=None, reason=str(exc), digest=digest)
    except (InputError, UnknownLesson) as exc:
        reason = str(exc).strip("'\"").removeprefix(f"{job.path}: ")
        return outcome(
            status=UNUSABLE,
            lesson_id=_lesson_hint(job, names),
            reason=safe(reason, "reason"),
            digest=digest or file_digest(job.path),
        )
    except Exception as exc:  # noqa: BLE001 - the grader failing on one file must not stop the batch
        reason = f"the grader failed: {type(exc).__name__}: {exc}"
        return outcome(status=ERROR, lesson_id=_lesson_hint(job, names), reason=safe(reason, "reason"), digest=digest)
    not_run = [c for c in report.checks if c.feedback.startswith("Not run:")]
    loaded = not report.checks or len(not_run) < len(report.checks)
    if untouched(submission.code, lesson):
        look.append("looks untouched: the code as released, no quiz answer given")
    elif not report.started and report.quiz.score == 0:
        look.append(UNTOUCHED_NO_ROUTE)
    elif report.crashes and loaded:  # the crash itself (cell, line, error, the line quoted), first
        more = f" (and {len(report.crashes) - 1} more)" if len(report.crashes) > 1 else ""
        look.insert(0, f"crashed: {report.crashes[0]}{more}")
    # A class notebook whose quiz was only recorded, or a notebook not from the key's release: its quiz
    # points mean something else than its classmates'.
    look.extend(note for note in report.notes if note.startswith((RECORDED_NOTE, FOREIGN_NOTE)))
    reason = ""
    if not loaded:  # a cell's crash says more than "not reached" about why nothing ran
        reason = report.crashes[0] if report.cell_errors else not_run[0].feedback.removeprefix("Not run:").strip()
    stored = report.to_json()
    return outcome(
        status=GRADED if loaded else NOT_LOADED,
        lesson_id=report.lesson.id,
        reason=reason,
        exercise_score=report.exercise_score,
        exercise_max=report.exercise_max,
        quiz_score=report.quiz.score,
        quiz_max=report.quiz.max_score,
        seed=report.seed,
        report=stored,
        digest=digest,
        look=look,
    )


# -- grading many ------------------------------------------------------------------


def needs_a_look(outcomes: list[Outcome]) -> list[tuple[Outcome, list[str]]]:
    """Each submission an instructor should open, with why: not graded, untouched, crashed cells,
    metadata that disagrees, a quiz not scored with the release's key, or one of two submissions
    for one lesson by one student."""
    per_lesson: Counter[tuple[str, str | None]] = Counter(
        (o.student, o.lesson_id) for o in outcomes if o.lesson_id and o.status in (GRADED, NOT_LOADED)
    )
    # Lessons where class-release notebooks were only recorded (no key): a notebook scored there with the
    # course's own letters is not from that release, and its quiz points mean something else.
    released = {o.lesson_id for o in outcomes if any(line.startswith(RECORDED_NOTE) for line in o.look)}
    found = []
    for outcome in sorted(outcomes, key=lambda o: (o.student, o.source)):
        why = list(outcome.look)
        if outcome.lesson_id in released and outcome.status in (GRADED, NOT_LOADED) and not why:
            why.append(
                "quiz scored with the course's own letters, while this lesson's other notebooks are from a class "
                "release: not from that release? (grade with --release-key to score them all with its key)"
            )
        if outcome.status != GRADED:
            why.insert(0, outcome.reason)
        count = per_lesson[(outcome.student, outcome.lesson_id)]
        if outcome.status in (GRADED, NOT_LOADED) and count > 1:
            why.append(
                f"one of {count} submissions for lesson {outcome.lesson_id} by this student (the export keeps the latest)"
            )
        if why:
            found.append((outcome, why))
    return found


@dataclass
class BatchSummary:
    found: int = 0
    skipped: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    # What needs a look among every submission found, this run's and those it skipped (from the gradebook).
    look: list[tuple[Outcome, list[str]]] | None = None

    @property
    def counts(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    @property
    def problems(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != GRADED]

    def needs_a_look(self) -> list[tuple[Outcome, list[str]]]:
        return needs_a_look(self.outcomes) if self.look is None else self.look


def default_jobs() -> int:
    """Two per core: a job's thread mostly waits on its sandbox, so one per core leaves cores idle
    (benchmarks/grade_batch.py measured --jobs 4 ahead of --jobs 2 on two cores)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 2 * cores


def pending(jobs: list[Job], gradebook: Gradebook, regrade: bool = False) -> list[Job]:
    """The jobs not yet in the gradebook with the same file contents."""
    if regrade:
        return list(jobs)
    done = gradebook.digests()
    return [
        job
        for job in jobs
        if done.get(stored_key(job.student, job.source)) != ("" if job.problem else file_digest(job.path))
    ]


class LocalBackend:
    """Grades on this machine: a bounded pool of threads, each waiting on its own sandbox."""

    def __init__(self, workers: int | None = None, grade: Callable[..., Outcome] = grade_one):
        self.workers = workers
        self.grade = grade

    def grade_all(
        self, todo: list[Job], limits: Limits | None, seed: int | None
    ) -> Iterator[tuple[Job, Outcome | Exception]]:
        # Import each lesson's checks module here, once: threads importing it at the same time could get it half-run.
        for lesson in all_lessons():
            lesson.checks, lesson.quiz  # noqa: B018
        workers = max(1, min(self.workers or default_jobs(), len(todo)))
        queue = iter(todo)
        # What is loaded now lives as long as the batch: frozen, full collections skip it (walking
        # it cost ~4 ms of CPU per notebook). Thawed after, for a caller that goes on.
        gc.collect()
        gc.freeze()
        try:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grade") as executor:
                # At most `workers` in flight; a slot is reused only once the caller has taken (and committed) its result.
                running = {
                    executor.submit(self.grade, job, limits, seed): job for job in itertools.islice(queue, workers)
                }
                while running:
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        job = running.pop(future)
                        try:
                            yield job, future.result()
                        except Exception as exc:  # noqa: BLE001 - a replacement `grade` that raises
                            yield job, exc
                        for following in itertools.islice(queue, 1):
                            running[executor.submit(self.grade, following, limits, seed)] = following
        finally:
            gc.unfreeze()


class Backend(Protocol):
    """Where submissions are graded: `LocalBackend`, or a cluster (`grader.classroom.cluster.DaskBackend`).

    `grade_all` yields each job once with its outcome (or the exception grading it raised), as results
    arrive; the caller commits each one before asking for the next.
    """

    def grade_all(
        self, todo: list[Job], limits: Limits | None, seed: int | None
    ) -> Iterator[tuple[Job, Outcome | Exception]]: ...


def failed(job: Job, exc: Exception) -> Outcome:
    return Outcome(job.student, job.source, file_digest(job.path), ERROR, reason=f"{type(exc).__name__}: {exc}")


def run_batch(
    jobs: list[Job],
    gradebook: Gradebook,
    workers: int | None = None,
    regrade: bool = False,
    limits: Limits | None = None,
    seed: int | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_result: Callable[[Outcome], None] | None = None,
    grade: Callable[..., Outcome] = grade_one,
    backend: Backend | None = None,
) -> BatchSummary:
    """Grade what is pending, committing each result as it arrives. `on_start(todo, skipped)`, `on_result(outcome)` drive a display.

    `backend` grades (default: `LocalBackend(workers, grade)`); finding what is pending, committing and
    the summary stay here, so a batch on a cluster resumes, regrades and reports as a local one does.
    """
    todo = pending(jobs, gradebook, regrade)
    summary = BatchSummary(found=len(jobs), skipped=len(jobs) - len(todo))
    if on_start:
        on_start(len(todo), summary.skipped)
    if todo:
        backend = backend or LocalBackend(workers, grade)
        for job, result in backend.grade_all(todo, limits, seed):
            outcome = result if isinstance(result, Outcome) else failed(job, result)
            gradebook.record(outcome)
            # The summary needs no report: a class of 10^5 would otherwise hold every report in memory.
            summary.outcomes.append(replace(outcome, report=None))
            if on_result:
                on_result(outcome)
    # Every submission found, as the gradebook now holds it: what a rerun skipped still needs its look.
    found = {stored_key(job.student, job.source) for job in jobs}
    summary.look = needs_a_look([o for o in gradebook.outcomes() if (o.student, o.source) in found])
    return summary
