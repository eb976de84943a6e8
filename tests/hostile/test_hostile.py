"""Hostile submissions, graded in one batch next to honest ones.

Every hostile submission must end (the batch as a whole runs under
pytest-timeout; no timing is asserted), earn nothing, and be told why; the
honest submissions graded alongside must keep their full marks; nothing a
hostile app starts may outlive the batch, reach the network or write outside
its working directory. Networking is loopback only: the listeners below are
opened by this test in the grader's own network namespace.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from submissions import LESSON, SLEEP_MARKER, SOLUTION_NOTEBOOK, Hostile, app_cases, notebook_cases

from grader.grade import GradeReport, grade_path
from grader.lessons import UnknownLesson
from grader.sandbox import pool
from grader.sandbox.worker import UID_BASE
from grader.source import InputError

HONEST_COPIES = 4
PARALLEL = 2


class Batch:
    def __init__(self, folder: Path):
        self.folder = folder
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.tcp.setblocking(False)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp.setblocking(False)
        self.outside = folder / "outside" / "must-stay-absent.txt"
        self.outside.parent.mkdir()
        self.magic_marker = folder / "outside" / "magic-ran.txt"
        values = {
            "PORT": str(self.tcp.getsockname()[1]),
            "UDP_PORT": str(self.udp.getsockname()[1]),
            "OUTSIDE": str(self.outside),
            "MAGIC_MARKER": str(self.magic_marker),
        }
        subs = folder / "submissions"
        subs.mkdir()
        self.cases = {c.name: c for c in app_cases(subs, values) + notebook_cases(subs, values)}
        self.honest = []
        for i in range(HONEST_COPIES):
            path = subs / f"honest_{i}.ipynb"
            shutil.copy(SOLUTION_NOTEBOOK, path)
            self.honest.append(path)
        self.results: dict[Path, GradeReport | Exception] = {}
        self.zygote_pid = None

    def order(self) -> list[Path]:
        """Honest copies spread between the hostile ones, so each runs beside some."""
        paths = [c.path for c in self.cases.values()]
        step = len(paths) // HONEST_COPIES + 1
        for i, honest in enumerate(self.honest):
            paths.insert(i * step, honest)
        return paths

    def run(self) -> None:
        zygote = pool.shared()
        self.zygote_pid = zygote.process.pid if zygote else None

        def grade(path: Path):
            try:
                return path, grade_path(path, lesson_id=LESSON)
            except (InputError, UnknownLesson) as exc:
                return path, exc

        with ThreadPoolExecutor(PARALLEL) as executor:
            for path, result in executor.map(grade, self.order()):
                self.results[path] = result

    def close(self) -> None:
        self.tcp.close()
        self.udp.close()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    batch = Batch(tmp_path_factory.mktemp("hostile"))
    batch.run()
    yield batch
    batch.close()


def _text(report: GradeReport) -> str:
    parts = list(report.notes) + [c.feedback for c in report.checks] + [report.output]
    return "\n".join(parts).lower()


CASES = sorted(p.stem for p in (Path(__file__).parent / "apps").glob("*.py")) + [
    "nb_malformed_json",
    "nb_truncated",
    "nb_not_utf8",
    "nb_no_cells",
    "nb_future_format",
    "nb_cells_not_a_list",
    "nb_50mb_markdown",
    "nb_50mb_code",
    "nb_claims_other_lesson",
    "nb_magics",
]


def test_the_suite_is_big_enough():
    assert len(CASES) >= 30


@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", CASES)
def test_hostile_submission_earns_nothing_and_is_told_why(batch, name):
    case: Hostile = batch.cases[name]
    result = batch.results[case.path]
    if case.unusable:
        assert isinstance(result, InputError), f"graded instead of refused: {result}"
        assert case.unusable in str(result).lower(), str(result)
        return
    assert isinstance(result, GradeReport), f"refused: {result}"
    assert result.lesson.id == LESSON
    earned = [f"{c.name}: {c.feedback}" for c in result.checks if c.passed]
    assert result.score == 0, f"earned {result.score}: {earned}\n{result.notes}"
    text = _text(result)
    assert any(words in text for words in case.says), f"none of {case.says} in:\n{text[:3000]}"


@pytest.mark.timeout(900)
def test_honest_neighbours_keep_full_marks(batch):
    for path in batch.honest:
        report = batch.results[path]
        failures = [f"{c.name}: {c.feedback}" for c in report.checks if not c.passed]
        assert not failures and report.score == report.max_score, (path.name, failures, report.notes)


@pytest.mark.timeout(900)
@pytest.mark.skipif(os.geteuid() != 0, reason="only a grader run as root gives each worker a uid of its own to sweep")
def test_nothing_outlives_the_batch(batch):
    """No process of this run is left: one with this run's `sleep` argument, or a sandbox uid's that this
    process (or its zygote) started. Another grader's workers on the same machine are not counted."""
    leftovers = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry.name}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            status = Path(f"/proc/{entry.name}/status").read_text()
        except OSError:
            continue
        uid = int(status.split("\nUid:\t", 1)[1].split()[0])
        zombie = "\nState:\tZ" in status
        if SLEEP_MARKER in cmdline or (UID_BASE <= uid < UID_BASE + 2**22 and not zombie and _ours(int(entry.name))):
            leftovers.append(f"{entry.name} uid={uid} {cmdline}")
    assert not leftovers


def _ours(pid: int) -> bool:
    """Started by this test process: a descendant of it, or carrying the GRADER_PARENT_PID it gives its workers
    (which a daemonised child inherits)."""
    try:
        if f"GRADER_PARENT_PID={os.getpid()}\0".encode() in Path(f"/proc/{pid}/environ").read_bytes():
            return True
        while pid > 1:
            pid = int(Path(f"/proc/{pid}/status").read_text().split("\nPPid:\t", 1)[1].split()[0])
            if pid == os.getpid():
                return True
    except (OSError, IndexError, ValueError):
        return False
    return False


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to start a process as a sandbox uid")
def test_another_graders_worker_is_not_counted():
    """What made the leftover check fail in a fresh clone: a sandbox-uid process of another grader on the machine."""
    stranger = subprocess.run(
        [
            "setsid",
            "-f",
            "setpriv",
            f"--reuid={UID_BASE + 1}",
            "--regid=65534",
            "--clear-groups",
            "sh",
            "-c",
            "echo $$; exec sleep 30 >/dev/null 2>&1",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": "/usr/bin:/bin"},
    )
    pid = int(stranger.stdout.split()[0])
    try:
        assert not _ours(pid)
        child = subprocess.Popen(["sleep", "30"])
        assert _ours(child.pid)
        child.kill()
        child.wait()
    finally:
        os.kill(pid, signal.SIGKILL)


@pytest.mark.timeout(900)
def test_loopback_listeners_heard_nothing(batch):
    with pytest.raises(BlockingIOError):
        batch.tcp.accept()
    with pytest.raises(BlockingIOError):
        batch.udp.recvfrom(100)


@pytest.mark.timeout(900)
def test_nothing_written_outside_the_sandbox(batch):
    import grader

    assert not batch.outside.exists()
    assert not batch.magic_marker.exists()
    assert not (Path(grader.__file__).parent / "pwned.py").exists()
    assert not (batch.folder / "submissions" / "escaped.txt").exists()
    assert not list(Path("/tmp").glob("grader-escape-*"))


@pytest.mark.timeout(900)
def test_output_floods_are_capped(batch):
    for name in ("stdout_flood", "stderr_flood"):
        report = batch.results[batch.cases[name].path]
        assert len(report.output) < 3000


@pytest.mark.timeout(900)
def test_the_warm_pool_survived(batch):
    zygote = pool.shared()
    if batch.zygote_pid is None:
        pytest.skip("the warm pool is off here")
    assert zygote.process.pid == batch.zygote_pid, "the zygote was killed and restarted"


@pytest.mark.timeout(300)
def test_a_fake_report_on_stdout_does_not_reach_the_cli_output(batch, tmp_path):
    """`grader check --json` prints exactly one JSON object: the grader's own."""
    path = batch.cases["fake_report"].path
    run = subprocess.run(
        [sys.executable, "-m", "grader", "check", str(path), "--lesson", LESSON, "--json"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["score"] == 0
    assert '"score": 29' in report["output"] or '"score":29' in report["output"].replace(" ", "")
