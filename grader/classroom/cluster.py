"""Grading on a Dask cluster: `grader batch PATH... --scheduler tcp://HOST:PORT`.

The coordinator (the machine running `grader batch`) finds the submissions and
owns the gradebook as in a local batch; this backend only moves the grading.
It sends each submission's bytes with its file name, student and lesson, so
workers need no shared file system; a worker writes them to a private temp
folder and grades that copy with `grade_one`, in its own warm pool and
sandbox, exactly as a local batch would. Dask workers are trusted (they run
the grader); learner code only ever runs inside their sandboxes.

Before the first submission goes out, a worker plugin compares each worker's
course (`grader.classroom.fingerprint`) with the coordinator's. A worker with other
lessons or another grader logs why and leaves the cluster before it can take a
task; one that joins later is checked the same way before it gets any work.
Workers outlive batches: each batch registers its own plugin (named after its
client, so concurrent batches never remove each other's), reads the workers'
answers from the scheduler's event log (a warm worker answers before a live
subscription is in place), and removes its plugin when done, along with any a
vanished client left behind.

A worker that dies mid-task loses nothing: Dask gives its tasks to another
worker. Only the coordinator writes to the gradebook, once per submission
(keyed by the hash of who handed in what), so a rerun task cannot record a
result twice. Importing this module imports Dask: only `--scheduler` does.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from distributed import Client, WorkerPlugin, as_completed
from distributed.client import FutureCancelledError

from grader.classroom.batch import Job, grade_one
from grader.classroom.fingerprint import Course, this_course
from grader.classroom.gradebook import ERROR, Outcome
from grader.sandbox.runner import Limits
from grader.source import MAX_INPUT_BYTES

logger = logging.getLogger("grader.classroom.cluster")

TOPIC = "grader-course"  # the Dask event topic on which workers say whether they took the course
PLUGIN = "grader-course"  # prefix of each batch's plugin name: `grader-course-<client id>`
JOIN_SECONDS = 60.0  # how long a batch waits for a first worker with the coordinator's course
LOOK_SECONDS = 0.5  # how often the wait reads the scheduler's event log
WINDOW_REFRESH_SECONDS = 2.0


class ClusterError(Exception):
    """The cluster cannot grade (no scheduler, no worker with this course, the scheduler went away)."""


@dataclasses.dataclass(frozen=True)
class Parcel:
    """One submission as a worker receives it: its bytes, and the names grading looks at."""

    key: str  # the submission's hash: who handed in what (student, file, contents, forced lesson)
    student: str
    name: str  # the file's name: its stem may name the lesson
    folder: str  # its folder's name: may name the lesson too (`alice/01-status-codes/x.ipynb`)
    lesson_id: str | None
    data: bytes


def pack(job: Job) -> Parcel | None:
    """The job as a parcel; None when this machine cannot read it (it is then graded here, without a sandbox)."""
    if job.problem:  # found odd by discovery: recorded as unusable without reading it
        return None
    try:
        if job.path.stat().st_size > MAX_INPUT_BYTES or not job.path.is_file():
            return None
        data = job.path.read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256()
    for part in (job.student, job.source, job.lesson_id or "", hashlib.sha256(data).hexdigest()):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return Parcel(digest.hexdigest(), job.student, job.path.name, job.path.parent.name, job.lesson_id, data)


def _safe_name(name: str, fallback: str) -> str:
    return name if name and name not in (".", "..") and "/" not in name and "\0" not in name else fallback


def grade_parcel(
    parcel: Parcel, limits: Limits | None, seed: int | None, grade: Callable[..., Outcome] = grade_one
) -> Outcome:
    """On a worker: grade a private copy of the submission, exactly as a local batch grades the file."""
    # 0700 and outside every folder the sandbox's view binds: no sandbox uid can name or open the parcels.
    with tempfile.TemporaryDirectory(prefix="grader-parcel-") as tmp:
        folder = Path(tmp) / _safe_name(parcel.folder, "submission")
        folder.mkdir()
        path = folder / _safe_name(parcel.name, "submission")
        try:
            path.write_bytes(parcel.data)
        except OSError as exc:
            return Outcome(
                parcel.student, str(path), "", ERROR, reason=f"the grader failed: {type(exc).__name__}: {exc}"
            )
        return grade(Job(parcel.student, path, parcel.lesson_id), limits, seed)


class CoursePlugin(WorkerPlugin):
    """Set up on every worker, now and when it joins: refuses a worker whose course differs from the coordinator's."""

    def __init__(self, course: Course, token: str):
        self.course = course
        self.token = token  # tells this coordinator's events from an earlier one's

    async def setup(self, worker) -> None:
        # In a thread: hashing the course and importing the checks would stall the worker's event loop (its heartbeats).
        # Dask gives a joining worker no task before this returns.
        problems = await asyncio.get_running_loop().run_in_executor(None, self._prepare)
        if problems:
            logger.error("grader: this worker is %s", problems)
            worker.log_event(TOPIC, {"token": self.token, "worker": worker.address, "refused": problems})
            # Closing sets the worker's status before any task can start; the nanny goes too, so it is not restarted.
            worker.loop.add_callback(
                worker.close, nanny=True, reason="grader: the course differs from the coordinator's"
            )
        else:
            worker.log_event(TOPIC, {"token": self.token, "worker": worker.address, "accepted": str(this_course())})

    def _prepare(self) -> str:
        """Why this worker is refused ("" when it has the coordinator's course, and is then made ready to grade)."""
        mine = this_course()
        problems = self.course.differences(mine)
        if problems:
            return (
                f"refused: its course differs from the coordinator's ({'; '.join(problems)}). "
                f"Worker: {mine}; coordinator: {self.course}. "
                "Install the coordinator's course on that machine and start the worker again."
            )
        from grader.lessons import all_lessons
        from grader.sandbox import pool

        for lesson in all_lessons():  # import the checks once, before grading threads race to
            lesson.checks, lesson.quiz  # noqa: B018
        pool.warm()
        return ""


class DaskBackend:
    """A `grader.classroom.batch.Backend` that grades on the cluster whose scheduler is at `address`."""

    def __init__(
        self,
        address: str,
        in_flight: int | None = None,
        notify: Callable[[str], None] = logger.warning,
        join_seconds: float = JOIN_SECONDS,
        grade: Callable[..., Outcome] = grade_one,  # grade_one with the class's quizzes: pickled to the workers
    ):
        self.address = address
        self.in_flight = in_flight  # submissions sent at once [default: twice the cluster's threads]
        self.notify = notify
        self.join_seconds = join_seconds
        self.grade = grade
        self.course = this_course()
        self.token = uuid.uuid4().hex
        self.accepted: set[str] = set()
        self.refused: dict[str, str] = {}
        self._changed = threading.Condition()
        self.client: Client | None = None
        self.plugin = PLUGIN

    # -- the cluster ---------------------------------------------------------------

    def __enter__(self) -> DaskBackend:
        try:
            self.client = Client(self.address, timeout=30, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        try:
            self.client.subscribe_topic(TOPIC, self._on_event)
            self.plugin = f"{PLUGIN}-{self.client.id}"
            self._remove_orphans()
            try:
                self.client.register_plugin(CoursePlugin(self.course, self.token), name=self.plugin)
            except Exception as exc:  # noqa: BLE001 - e.g. a worker without the grader installed cannot load the check
                raise ClusterError(
                    f"a worker could not check its course ({type(exc).__name__}: {exc}): "
                    "is the course installed, with its scale-out extra, on every worker machine?"
                ) from None
            self._wait_for_a_worker()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            try:
                # A later worker with another course must not be refused on behalf of a batch that is over.
                self.client.unregister_worker_plugin(self.plugin)
            except Exception:  # noqa: BLE001 - the scheduler may be gone already, or the plugin never registered
                pass
            self.client.close()
            self.client = None

    def _remove_orphans(self) -> None:
        """Remove the course checks of batches whose client is gone (killed before it could remove its own).

        Left in place, one would refuse every later worker whose course differs from that old batch's."""
        assert self.client is not None

        def names(dask_scheduler) -> tuple[list[str], list[str]]:
            return list(dask_scheduler.worker_plugins), list(dask_scheduler.clients)

        plugins, clients = self.client.run_on_scheduler(names)
        for name in plugins:
            if name.startswith(f"{PLUGIN}-") and name.removeprefix(f"{PLUGIN}-") not in clients:
                try:
                    self.client.unregister_worker_plugin(name)
                except ValueError:  # another batch removed it first
                    pass

    def _on_event(self, event: tuple) -> None:
        _timestamp, message = event
        if not isinstance(message, dict) or message.get("token") != self.token:
            return
        worker = str(message.get("worker"))
        with self._changed:
            if "accepted" in message:
                self.accepted.add(worker)
            elif worker not in self.refused:  # an answer may come both live and from the event log
                self.refused[worker] = str(message.get("refused"))
                self.notify(f"worker {worker} {self.refused[worker]}")
            self._changed.notify_all()

    def _read_event_log(self) -> None:
        """The answers the scheduler has logged for this batch: a warm worker may answer before this
        client's subscription (sent in its next batched message) reaches the scheduler, and a live
        subscription never sees what was logged before it."""
        assert self.client is not None
        for event in self.client.get_events(TOPIC):
            self._on_event(event)

    def _wait_for_a_worker(self) -> None:
        deadline = time.monotonic() + self.join_seconds
        while not self.accepted and time.monotonic() < deadline:
            self._read_event_log()
            with self._changed:
                self._changed.wait_for(
                    lambda: self.accepted, timeout=min(LOOK_SECONDS, max(0.0, deadline - time.monotonic()))
                )
        with self._changed:
            if not self.accepted:
                why = f" ({len(self.refused)} refused: their course differs)" if self.refused else ""
                raise ClusterError(
                    f"no worker with this course ({self.course}) joined the scheduler at {self.address} "
                    f"within {self.join_seconds:g} s{why}: start `dask worker {self.address}` on a machine with the course installed"
                )

    @property
    def _connected(self) -> Client:
        if self.client is None:
            raise ClusterError("the batch is not connected to the cluster (use DaskBackend as a context manager)")
        return self.client

    def _window(self) -> int:
        if self.in_flight:
            return self.in_flight
        return max(4, 2 * sum(self._connected.nthreads().values()))

    # -- grading -------------------------------------------------------------------

    def grade_all(
        self, todo: list[Job], limits: Limits | None, seed: int | None
    ) -> Iterator[tuple[Job, Outcome | Exception]]:
        queue = iter(todo)
        sent: dict[str, tuple[Job, Parcel]] = {}
        client = self._connected
        futures = as_completed(loop=client.loop)
        window, window_at = self._window(), time.monotonic()

        def send_more() -> Iterator[tuple[Job, Outcome | Exception]]:
            """Top the cluster up to the window; a file this machine cannot read is graded here (it fails before any sandbox)."""
            while futures.count() < window:
                job = next(queue, None)
                if job is None:
                    return
                parcel = pack(job)
                if parcel is None:
                    yield job, self.grade(job, limits, seed)
                    continue
                sent[parcel.key] = (job, parcel)
                futures.add(
                    client.submit(grade_parcel, parcel, limits, seed, self.grade, key=f"grade-{parcel.key}", pure=False)
                )

        yield from send_more()
        for future in futures:
            entry = sent.pop(future.key.removeprefix("grade-"), None)
            if entry is None:  # a second delivery of a submission already committed
                continue
            job, parcel = entry
            try:
                result: Outcome | Exception = future.result()
            except FutureCancelledError:
                raise ClusterError(
                    f"the cluster dropped the grading of {job.source} (did the scheduler at {self.address} stop?); "
                    "what was graded is in the gradebook: run the batch again to grade the rest"
                ) from None
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: the submission killed one worker after another
                result = exc
            future.release()
            yield job, self._as_here(job, parcel, result)
            if time.monotonic() - window_at > WINDOW_REFRESH_SECONDS:
                window, window_at = self._window(), time.monotonic()
            yield from send_more()

    @staticmethod
    def _as_here(job: Job, parcel: Parcel, result: Outcome | Exception) -> Outcome | Exception:
        """The worker's outcome under the coordinator's names: which student and file is the coordinator's to say."""
        if not isinstance(result, Outcome):
            return result
        digest = hashlib.sha256(parcel.data).hexdigest()
        report = dict(result.report, source=job.source) if isinstance(result.report, dict) else result.report
        reason = (
            result.reason.replace(result.source, job.source) if result.source else result.reason
        )  # the worker's copy named
        return dataclasses.replace(
            result, student=job.student, source=job.source, digest=digest, report=report, reason=reason
        )
