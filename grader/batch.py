"""Grading many submissions: find them, grade them in parallel, store each result.

Submissions come from folders, globs, files, or an nbgrader course's
`submitted/<student>/<assignment>/` tree. Grading runs on a backend: locally,
a bounded pool of threads, each waiting on its own sandbox child
(`grade_path`), where the learner's code runs, so threads are enough to keep
the cores busy; or a Dask cluster (`grader.cluster`). Either way every
database write happens here in the parent, one commit per submission.
"""

from __future__ import annotations

import glob
import hashlib
import itertools
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from grader.gradebook import ERROR, GRADED, NOT_LOADED, UNUSABLE, Gradebook, Outcome
from grader.lessons import Lesson, UnknownLesson, all_lessons
from grader.sandbox.runner import Limits
from grader.source import InputError

SUBMISSION_SUFFIXES = (".ipynb", ".py")
SKIP_DIRS = {".ipynb_checkpoints", "__pycache__", ".git", ".venv", "node_modules"}
GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Job:
    """One file to grade, and whose it is."""

    student: str
    path: Path
    lesson_id: str | None = None  # forced lesson (nbgrader assignment or --lesson); else the grader decides

    @property
    def source(self) -> str:
        return str(self.path)


# -- finding submissions ---------------------------------------------------------


def _lesson_names() -> dict[str, Lesson]:
    names = {}
    for lesson in all_lessons():
        names[lesson.slug] = lesson
        names[lesson.id] = lesson
    return names


def split_stem(stem: str, names: dict[str, Lesson]) -> tuple[str, Lesson | None]:
    """`alice-01-status-codes` -> (`alice`, lesson 01): a lesson name written before or after the student's."""
    if stem in names:
        return "", names[stem]
    for name in sorted(names, key=len, reverse=True):
        if len(stem) <= len(name) + 1:
            continue
        for sep in ("-", "_", "."):
            if stem.endswith(sep + name):
                return stem[: -len(name) - 1], names[name]
            if stem.startswith(name + sep):
                return stem[len(name) + 1 :], names[name]
    return stem, None


def student_from_stem(stem: str, names: dict[str, Lesson]) -> str:
    return split_stem(stem, names)[0]


def student_for(path: Path, root: Path | None, names: dict[str, Lesson]) -> str:
    """Whose file this is: the first folder under the root, else the file's name, else its folder's name."""
    if root is not None:
        relative = path.relative_to(root)
        if len(relative.parts) > 1:
            return relative.parts[0]
    if path.stem in names:  # `alice/01-status-codes.ipynb`: the folder names the student
        return path.parent.resolve().name
    return student_from_stem(path.stem, names)


def _walk(folder: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        found.extend(Path(dirpath) / name for name in sorted(filenames) if name.endswith(SUBMISSION_SUFFIXES))
    return found


def nbgrader_submitted(folder: Path) -> Path | None:
    """The `submitted/` folder when `folder` is it or is an nbgrader course root."""
    if folder.name == "submitted":
        return folder
    if (folder / "submitted").is_dir() and (folder / "nbgrader_config.py").is_file():
        return folder / "submitted"
    return None


def _nbgrader_jobs(submitted: Path, names: dict[str, Lesson]) -> list[Job]:
    jobs = []
    for student in sorted(p for p in submitted.iterdir() if p.is_dir()):
        for assignment in sorted(p for p in student.iterdir() if p.is_dir()):
            lesson = names.get(assignment.name)
            for path in _walk(assignment):
                if path.suffix == ".ipynb":
                    jobs.append(Job(student.name, path.resolve(), lesson.id if lesson else None))
    return jobs


def discover(specs: Iterable[str | Path], lesson_id: str | None = None) -> tuple[list[Job], list[str]]:
    """Expand folders, globs and files into jobs; return them and the specs that matched nothing."""
    names = _lesson_names()
    jobs: dict[Path, Job] = {}
    unmatched = []

    def add(job: Job) -> None:
        if lesson_id:
            job = Job(job.student, job.path, lesson_id)
        jobs.setdefault(job.path, job)

    for spec in specs:
        text = str(spec)
        path = Path(text).expanduser()
        before = len(jobs)
        if path.is_dir():
            submitted = nbgrader_submitted(path)
            if submitted is not None:
                for job in _nbgrader_jobs(submitted, names):
                    add(job)
            else:
                for file in _walk(path):
                    add(Job(student_for(file, path, names), file.resolve()))
        elif path.exists() or path.is_symlink():
            add(Job(student_for(path, None, names), path.resolve()))
        elif GLOB_CHARS & set(text):
            for match in sorted(glob.glob(os.path.expanduser(text), recursive=True)):
                file = Path(match)
                if file.is_file() and file.suffix in SUBMISSION_SUFFIXES:
                    add(Job(student_for(file, None, names), file.resolve()))
        if len(jobs) == before:
            unmatched.append(text)
    return list(jobs.values()), unmatched


# -- grading one ---------------------------------------------------------------------


def file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _lesson_hint(job: Job, names: dict[str, Lesson]) -> str | None:
    """The lesson a failed submission was meant for, when its name or folder says so."""
    if job.lesson_id:
        return job.lesson_id
    for candidate in (job.path.stem, job.path.parent.name):
        if candidate in names:
            return names[candidate].id
        lesson = split_stem(candidate, names)[1]
        if lesson is not None:
            return lesson.id
    return None


def grade_one(job: Job, limits: Limits | None = None, seed: int | None = None) -> Outcome:
    """Grade one submission; never raises: a bad submission becomes an outcome with its reason."""
    from grader.grade import grade_path  # the one call a warm worker pool would replace

    digest = file_digest(job.path)
    names = _lesson_names()
    base = {"student": job.student, "source": job.source, "digest": digest}
    try:
        report = grade_path(job.path, lesson_id=job.lesson_id, limits=limits, seed=seed)
    except (InputError, UnknownLesson) as exc:
        reason = str(exc).strip("'\"").removeprefix(f"{job.path}: ")
        return Outcome(status=UNUSABLE, lesson_id=_lesson_hint(job, names), reason=reason, **base)
    except Exception as exc:  # noqa: BLE001 - the grader failing on one file must not stop the batch
        return Outcome(status=ERROR, lesson_id=_lesson_hint(job, names), reason=f"the grader failed: {type(exc).__name__}: {exc}", **base)
    not_run = [c for c in report.checks if c.feedback.startswith("Not run:")]
    loaded = not report.checks or len(not_run) < len(report.checks)
    return Outcome(
        status=GRADED if loaded else NOT_LOADED,
        lesson_id=report.lesson.id,
        reason="" if loaded else not_run[0].feedback.removeprefix("Not run:").strip(),
        exercise_score=report.exercise_score,
        exercise_max=report.exercise_max,
        quiz_score=report.quiz.score,
        quiz_max=report.quiz.max_score,
        seed=report.seed,
        report=report.to_json(),
        **base,
    )


# -- grading many ------------------------------------------------------------------


@dataclass
class BatchSummary:
    found: int = 0
    skipped: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    @property
    def problems(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != GRADED]


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
    return [job for job in jobs if done.get((job.student, job.source)) != file_digest(job.path)]


class LocalBackend:
    """Grades on this machine: a bounded pool of threads, each waiting on its own sandbox."""

    def __init__(self, workers: int | None = None, grade: Callable[..., Outcome] = grade_one):
        self.workers = workers
        self.grade = grade

    def grade_all(self, todo: list[Job], limits: Limits | None, seed: int | None) -> Iterator[tuple[Job, Outcome | Exception]]:
        # Import each lesson's checks module here, once: threads importing it at the same time could get it half-run.
        for lesson in all_lessons():
            lesson.checks, lesson.quiz  # noqa: B018
        workers = max(1, min(self.workers or default_jobs(), len(todo)))
        queue = iter(todo)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grade") as executor:
            # At most `workers` in flight; a slot is reused only once the caller has taken (and committed) its result.
            running = {executor.submit(self.grade, job, limits, seed): job for job in itertools.islice(queue, workers)}
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


class Backend(Protocol):
    """Where submissions are graded: `LocalBackend`, or a cluster (`grader.cluster.DaskBackend`).

    `grade_all` yields each job once with its outcome (or the exception grading it raised), as results
    arrive; the caller commits each one before asking for the next.
    """

    def grade_all(self, todo: list[Job], limits: Limits | None, seed: int | None) -> Iterator[tuple[Job, Outcome | Exception]]: ...


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
    if not todo:
        return summary
    backend = backend or LocalBackend(workers, grade)
    for job, result in backend.grade_all(todo, limits, seed):
        outcome = result if isinstance(result, Outcome) else failed(job, result)
        gradebook.record(outcome)
        # The summary needs no report: a class of 10^5 would otherwise hold every report in memory.
        summary.outcomes.append(replace(outcome, report=None))
        if on_result:
            on_result(outcome)
    return summary
