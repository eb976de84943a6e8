"""`grader batch --scheduler`: a real Dask scheduler and workers on 127.0.0.1, started with the venv's `dask` CLI.

A mixed class is graded through the cluster while one worker is SIGKILLed
mid-task: every submission is graded exactly once, with the results a local
batch gives. A worker with another course is refused before it grades
anything (its course scores lesson 01's quiz differently, so a grade from it
would show).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from classroom import variants
from grader.classroom.batch import discover, run_batch
from grader.classroom.gradebook import Gradebook
from grader.lessons import all_lessons, lessons_root

pytest.importorskip("distributed")
pytestmark = [
    pytest.mark.timeout(600),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find a worker's sandboxes"),
]

LESSONS = all_lessons()
FIRST = LESSONS[0]
BIN = Path(sys.executable).parent
WAIT_LIMIT = 300  # seconds: a safety net so a stuck cluster fails the test instead of hanging it
# The machine may be loaded by far more than these processes: give Dask's connections time before it drops one.
PATIENT_DASK = {"DASK_DISTRIBUTED__COMM__TIMEOUTS__TCP": "300s", "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "120s"}
COMPARED = ("student", "lesson_id", "status", "reason", "exercise_score", "exercise_max", "quiz_score", "quiz_max")


def wait_until(condition, what: str, limit: float = WAIT_LIMIT):
    deadline = time.monotonic() + limit
    while not (found := condition()):
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)
    return found


# -- the cluster: subprocesses of the venv's `dask` CLI, each in its own process group -------------


class Cluster:
    def __init__(self, folder: Path):
        self.folder = folder
        self.processes: dict[str, subprocess.Popen] = {}
        info = folder / "scheduler.json"
        self._start(
            "scheduler",
            ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(info)],
        )
        wait_until(lambda: info.exists() and info.stat().st_size, "the scheduler's address", 60)
        self.address = wait_until(lambda: json.loads(info.read_text()).get("address"), "the scheduler file", 10)

    def _start(self, name: str, args: list[str], env: dict | None = None) -> subprocess.Popen:
        with (self.folder / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                [str(BIN / "dask"), *args],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, **PATIENT_DASK, **(env or {})},
            )
        self.processes[name] = process
        return process

    def worker(self, name: str, env: dict | None = None) -> subprocess.Popen:
        args = [
            "worker",
            self.address,
            "--host",
            "127.0.0.1",
            "--nworkers",
            "1",
            "--nthreads",
            "2",
            "--no-dashboard",
            "--name",
            name,
        ]
        return self._start(name, args, env)

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(count, timeout=WAIT_LIMIT)

    def plugins(self) -> list[str]:
        from distributed import Client

        with Client(self.address, timeout=60, set_as_default=False) as client:
            return [
                name
                for name in client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.worker_plugins))
                if name.startswith("grader")
            ]

    def kill(self, name: str) -> None:
        process = self.processes[name]
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    def close(self) -> None:
        for name in reversed(list(self.processes)):
            self.kill(name)


@pytest.fixture
def cluster(tmp_path):
    (tmp_path / "cluster").mkdir()
    running = Cluster(tmp_path / "cluster")
    try:
        yield running
    finally:
        running.close()


def descendants(pid: int) -> list[int]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            tree.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def sandboxes(worker: subprocess.Popen) -> list[int]:
    """The worker's sandboxes grading right now: the children of its warm pool's zygote."""
    zygotes = [pid for pid in descendants(worker.pid) if "grader.sandbox.pool" in cmdline(pid)]
    return [child for zygote in zygotes for child in descendants(zygote)]


# -- the class --------------------------------------------------------------------------------------


def make_class(folder: Path) -> None:
    """Solved, untouched, wrong, slow and broken hand-ins, and every lesson's solution."""
    release = variants.read(variants.exercise_path(FIRST))
    solution = variants.read(variants.solution_path(FIRST))
    solved = variants.solved(release, solution)
    variants.write(solved, folder / f"ada-{FIRST.slug}.ipynb")
    variants.write(release, folder / f"cy-{FIRST.slug}.ipynb")
    variants.write(variants.wrong(release, solution, FIRST), folder / f"di-{FIRST.slug}.ipynb")
    (folder / "ed.ipynb").write_text('{"cells": [')
    (folder / f"flo-{FIRST.slug}.py").write_bytes(b"\xff\xfe not text")
    (folder / f"gus-{FIRST.slug}.py").write_text("import os\nos._exit(3)\n")
    for name in ("sam", "sol", "sue", "syd"):  # slow to load: a worker is surely mid-task when one is killed
        slow = variants.solved(release, solution)
        slow.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(1.5)"))
        variants.write(slow, folder / name / f"{FIRST.slug}.ipynb")
    for lesson in LESSONS:
        target = folder / "zoe" / f"{lesson.slug}.ipynb"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(variants.solution_path(lesson).read_bytes())


def local_results(folder: Path, db: Path) -> dict[str, tuple]:
    jobs, _ = discover([folder])
    with Gradebook(str(db)) as book:
        run_batch(jobs, book)
        return {row.source: tuple(getattr(row, name) for name in COMPARED) for row in book.results()}


def cluster_batch(folder: Path, db: Path, address: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "grader"), "batch", str(folder), "--db", str(db), "--json", "--scheduler", address],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **PATIENT_DASK},
    )


def committed(db: Path) -> int:
    """Rows the batch has committed, read without creating anything (a Gradebook would race the batch's CREATE TABLE)."""
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as con:
        try:
            return con.execute("SELECT count(*) FROM grader_results").fetchone()[0]
        except sqlite3.OperationalError:  # the table is not there yet
            return 0


def assert_same_as_local(summary: dict, db: Path, expected: dict[str, tuple]) -> None:
    sources = [o["source"] for o in summary["outcomes"]]
    assert sorted(sources) == sorted(expected), "each submission graded exactly once"
    assert (summary["found"], summary["skipped"]) == (len(expected), 0)
    with Gradebook(str(db)) as book:
        got = {row.source: tuple(getattr(row, name) for name in COMPARED) for row in book.results()}
        assert len(book.results()) == len(expected)
        report_sources = {row.source: row.report_json.get("source") for row in book.results() if row.report}
    assert got == expected
    assert all(source == where for source, where in report_sources.items())  # not the worker's temp copy


# -- the tests --------------------------------------------------------------------------------------


def test_a_worker_killed_mid_batch_loses_nothing_and_nothing_is_graded_twice(tmp_path, cluster):
    folder = tmp_path / "class"
    folder.mkdir()
    make_class(folder)
    expected = local_results(folder, tmp_path / "local.db")
    assert {status for _, _, status, *_ in expected.values()} == {"graded", "not_loaded", "unusable"}

    workers = {name: cluster.worker(name) for name in ("w1", "w2")}
    cluster.wait_for_workers(2)
    db = tmp_path / "cluster.db"
    batch = cluster_batch(folder, db, cluster.address)

    # Kill a worker while one of its sandboxes is grading, once results have started to arrive.
    def busy_worker():
        if batch.poll() is not None or not committed(db):
            return batch.poll() is not None and "done"
        return next((name for name, process in workers.items() if sandboxes(process)), None)

    victim = wait_until(busy_worker, "a committed result and a worker mid-task")
    if victim == "done":
        pytest.fail(f"the batch ended before a worker could be killed: {batch.communicate()}")
    orphans = descendants(workers[victim].pid)
    cluster.kill(victim)
    assert committed(db) < len(expected), "the kill came too late to test anything"

    out, err = batch.communicate(timeout=WAIT_LIMIT)
    assert batch.returncode == 0, err
    assert_same_as_local(json.loads(out), db, expected)
    # The killed worker's zygote and sandboxes did not outlive it.
    wait_until(lambda: not any(alive(pid) for pid in orphans), "the killed worker's sandboxes to exit", 30)


def other_course(folder: Path) -> Path:
    """A copy of the lessons whose lesson 01 quiz keys its first question differently."""
    copy = folder / "lessons"
    shutil.copytree(lessons_root(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    quiz = copy / FIRST.slug / "quiz.toml"
    text = quiz.read_text()
    # The first question's first choice is not its key (no pool puts the key first everywhere): make it the key.
    first, _, rest = text.partition("[[question.choice]]\n")
    choice, _, after = rest.partition("\n[[question.choice]]\n")
    assert "correct = true" not in choice and "correct = true\n" in after
    quiz.write_text(
        first + "[[question.choice]]\n" + choice + "\ncorrect = true\n[[question.choice]]\n" + after.replace("correct = true\n", "", 1)
    )
    return copy


def test_a_worker_with_another_course_is_refused_before_it_grades(tmp_path, cluster):
    from grader.classroom.cluster import ClusterError, DaskBackend

    other = {"GRADER_LESSONS_DIR": str(other_course(tmp_path))}
    # Alone, it leaves the batch nothing to grade on: a clear error, not a hang.
    alone = cluster.worker("other-alone", other)
    cluster.wait_for_workers(1)
    with pytest.raises(ClusterError, match=r"no worker with this course .*\(1 refused: their course differs"):
        with DaskBackend(cluster.address, join_seconds=5):
            pass
    assert alone.wait(timeout=60) == 0  # it left the cluster
    assert "refused: its course differs from the coordinator's (other lessons" in cluster.log("other-alone")

    # Beside a good worker, it takes none of the work.
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("ann", "bea", "cal", "dot", "eve", "fay"):
        variants.write(variants.read(variants.solution_path(FIRST)), folder / name / f"{FIRST.slug}.ipynb")
    bad = cluster.worker("other", other)
    cluster.worker("good")
    cluster.wait_for_workers(2)
    db = tmp_path / "cluster.db"
    batch = cluster_batch(folder, db, cluster.address)
    out, err = batch.communicate(timeout=WAIT_LIMIT)
    assert batch.returncode == 0, err
    assert "refused: its course differs from the coordinator's (other lessons (checks, quizzes or exercises))" in err
    summary = json.loads(out)
    assert sorted(o["student"] for o in summary["outcomes"]) == ["ann", "bea", "cal", "dot", "eve", "fay"]
    # Full marks here; the other course would have scored the quiz lower.
    assert {(o["status"], o["score"]) for o in summary["outcomes"]} == {
        ("graded", FIRST.exercise_points + FIRST.quiz.max_score)
    }
    assert bad.wait(timeout=60) == 0
    assert cluster.plugins() == []  # the batch took its check away: a later worker is not refused on its behalf


def test_a_local_batch_imports_no_dask(tmp_path):
    """Dask costs a local batch nothing: `grader batch` without --scheduler never imports it."""
    variants.write(variants.read(variants.solution_path(FIRST)), tmp_path / "subs" / f"ann-{FIRST.slug}.ipynb")
    probe = (
        "import sys; from typer.testing import CliRunner; from grader.cli import app\n"
        f"done = CliRunner().invoke(app, ['batch', {str(tmp_path / 'subs')!r}, '--db', {str(tmp_path / 'gb.db')!r}, '--json'])\n"
        "assert done.exit_code == 0, done.output\n"
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'dask', 'distributed', 'tornado'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=WAIT_LIMIT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def small_class(folder: Path, names: tuple[str, ...]) -> None:
    for name in names:
        variants.write(variants.read(variants.solution_path(FIRST)), folder / name / f"{FIRST.slug}.ipynb")


def test_long_running_workers_take_any_number_of_batches_from_any_number_of_clients(tmp_path, cluster):
    """A warm worker checks a second batch's course at once: that check's answer must not be lost.

    The second batch on a worker that had graded the first once waited 60 s and failed: the worker's check
    answered before the new client's subscription reached the scheduler. Two batches here run one after
    the other, then two at once, on the same long-running workers, each within seconds.
    """
    cluster.worker("w1")
    cluster.worker("w2")
    cluster.wait_for_workers(2)
    folder = tmp_path / "class"
    small_class(folder, ("ann", "bea", "cal"))
    full = FIRST.exercise_points + FIRST.quiz.max_score

    def outcome(batch: subprocess.Popen) -> dict:
        out, err = batch.communicate(timeout=WAIT_LIMIT)
        assert batch.returncode == 0, err
        summary = json.loads(out)
        assert {(o["status"], o["score"]) for o in summary["outcomes"]} == {("graded", full)}
        return summary

    for run in range(2):  # one after the other, each a new client, the workers warm from the run before
        db = tmp_path / f"seq-{run}.db"
        started = time.monotonic()
        assert len(outcome(cluster_batch(folder, db, cluster.address))["outcomes"]) == 3
        assert time.monotonic() - started < 50, "the batch waited for a worker that was there all along"
    # Two clients at once: neither removes the other's course check, nor waits for it.
    other = tmp_path / "other"
    small_class(other, ("dot", "eve", "fay", "gil"))
    both = [
        cluster_batch(folder, tmp_path / "a.db", cluster.address),
        cluster_batch(other, tmp_path / "b.db", cluster.address),
    ]
    assert [len(outcome(batch)["outcomes"]) for batch in both] == [3, 4]
    assert cluster.plugins() == []  # each batch took its own check away, and only its own


def test_a_worker_s_answer_that_comes_before_the_subscription_is_not_lost(cluster, monkeypatch):
    """The race behind "no worker with this course joined" on a warm worker, made certain: the client's
    subscription reaches the scheduler a second after the worker has answered."""
    import threading

    from distributed import Client

    from grader.classroom.cluster import DaskBackend

    cluster.worker("w1")
    cluster.wait_for_workers(1)
    with DaskBackend(
        cluster.address, join_seconds=30
    ) as warm_up:  # the worker's course is now hashed, its checks imported
        assert len(warm_up.accepted) == 1
    subscribe = Client.subscribe_topic

    def late(self, *args) -> None:
        if self.status == "running":  # the batch may be over before its subscription would have arrived
            subscribe(self, *args)

    monkeypatch.setattr(
        Client, "subscribe_topic", lambda self, *args: threading.Timer(1.0, late, (self, *args)).start()
    )
    for _ in range(2):
        started = time.monotonic()
        with DaskBackend(cluster.address, join_seconds=10) as backend:
            assert len(backend.accepted) == 1
        assert time.monotonic() - started < 5
    assert cluster.plugins() == []


def test_a_check_left_by_a_vanished_client_is_removed(cluster):
    """A batch killed before it removed its course check must not refuse workers on its behalf forever."""
    from distributed import Client

    from grader.classroom.cluster import PLUGIN, CoursePlugin, DaskBackend
    from grader.classroom.fingerprint import this_course

    cluster.worker("w1")
    cluster.wait_for_workers(1)
    gone = Client(cluster.address, timeout=60, set_as_default=False)
    gone.register_plugin(CoursePlugin(this_course(), "old"), name=f"{PLUGIN}-{gone.id}")
    gone.close()  # as if killed: its plugin stays
    assert cluster.plugins() == [f"{PLUGIN}-{gone.id}"]
    with DaskBackend(cluster.address, join_seconds=30) as backend:
        assert cluster.plugins() == [backend.plugin]
    assert cluster.plugins() == []
