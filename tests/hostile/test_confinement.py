"""Confinement: what learner code can read, reach, keep and outgrow, graded in one batch beside honest notebooks.

Each app in `confine/` tries one thing the sandbox must stop (copying a
classmate's notebook or the course's solutions, reading another process's
command line, connecting to a host UNIX socket, leaving SysV IPC objects or
a zombie leader with live threads behind, outgrowing memory, processes, CPU
or disk, leaving a 3000-deep tree, poking the warm pool's epoll). Each must
earn nothing; the honest notebooks graded beside them (one right next to the
CPU hog) keep full marks; and afterwards nothing is left: no process, no
IPC object, no temporary file, no cgroup.

Run as root, and again (`test_the_same_holds_for_a_normal_user`) as uid
65534 with no capabilities, where the sandbox gets its namespaces from an
unprivileged user namespace and has no cgroups; what that run cannot hold is
skipped with the reason.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from submissions import LESSON, ROOT, SOLUTION_NOTEBOOK, app_cases, render

from grader.grade import GradeReport, grade_path
from grader.sandbox import cgroup, pool
from grader.sandbox.runner import Limits, confinement_report

APPS = Path(__file__).parent / "confine"
SECRET = "s3cret-db-password-4242"
MARKER = f"hog-{os.getpid()}".encode()[:15]  # the thread name the hogs and the zombie's threads take: this run's
KEY_BASE = 0x4200_0000 + ((os.getpid() & 0xFFFF) << 8)  # this run's SysV keys: KEY_BASE + 0..0x2f
SHM_KEYS = range(KEY_BASE, KEY_BASE + 0x30)
AS_USER = os.environ.get("GRADER_TEST_AS_USER") == "1"
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="needs root")
HONEST = 3


class Batch:
    def __init__(self, folder: Path):
        self.folder = folder
        self.tmp = folder / "grader-tmp"  # the grader's temporary folders go here, to be counted afterwards
        self.tmp.mkdir()
        subs = folder / "submissions"
        subs.mkdir()
        # What a copying submission could find: classmates' notebooks in the same class folder.
        self.honest = []
        for i in range(HONEST):
            path = subs / f"honest_{i}-{LESSON}.ipynb"
            shutil.copy(SOLUTION_NOTEBOOK, path)
            self.honest.append(path)
        # A process whose command line holds a password, as `grader batch --db URL` would.
        self.secret_process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import time; time.sleep(900)",
                "--db",
                f"postgresql://grader:{SECRET}@localhost/grades",
            ]
        )
        # Host UNIX sockets (PostgreSQL's kind), writable by anyone: only confinement keeps the sandbox out.
        self.sockets = []
        self.socket_dirs = [Path(tempfile.mkdtemp(prefix="confine-pg-", dir="/tmp")), folder / "run"]
        if os.access("/run", os.W_OK):
            self.socket_dirs.append(Path(tempfile.mkdtemp(prefix="confine-pg-", dir="/run")))
        for directory in self.socket_dirs:
            directory.mkdir(exist_ok=True)
            directory.chmod(0o755)
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.bind(str(directory / ".s.PGSQL.5432"))
            (directory / ".s.PGSQL.5432").chmod(0o777)
            server.listen(8)
            server.setblocking(False)
            self.sockets.append(server)
        values = {
            "ROOT": str(ROOT),
            "SUBMISSIONS": str(subs),
            "SECRET": SECRET,
            "SOCKETS": ",".join(str(d / ".s.PGSQL.5432") for d in self.socket_dirs),
            "MARKER": MARKER.decode(),
            "KEY_BASE": hex(KEY_BASE),
        }
        self.values = values
        self.cases = {c.name: c for c in app_cases(subs, values, APPS)}
        self.results: dict[Path, GradeReport | Exception] = {}
        self.zygote_pid = None

    def order(self) -> list[Path]:
        """The CPU hog first, with an honest notebook right beside it; the others spread out."""
        hostile = [c.path for name, c in sorted(self.cases.items()) if name != "cpu_hog_processes"]
        return (
            [self.cases["cpu_hog_processes"].path, self.honest[0]]
            + hostile[:4]
            + [self.honest[1]]
            + hostile[4:]
            + self.honest[2:]
        )

    def run(self) -> None:
        zygote = pool.shared()
        self.zygote_pid = zygote.process.pid if zygote else None

        small = Limits(memory_bytes=512 * 1024 * 1024, load_seconds=60)  # see confine/memory_hog_processes.py

        def grade(path: Path):
            try:
                return path, grade_path(
                    path, lesson_id=LESSON, limits=small if path.stem == "memory_hog_processes" else None
                )
            except Exception as exc:  # noqa: BLE001 - reported by the tests
                return path, exc

        saved, tempfile.tempdir = tempfile.tempdir, str(self.tmp)
        try:
            with ThreadPoolExecutor(2) as executor:
                for path, result in executor.map(grade, self.order()):
                    self.results[path] = result
        finally:
            tempfile.tempdir = saved

    def close(self) -> None:
        self.secret_process.kill()
        self.secret_process.wait()
        for server in self.sockets:
            server.close()
        for directory in self.socket_dirs:
            shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    batch = Batch(tmp_path_factory.mktemp("confine"))
    try:
        batch.run()
        yield batch
    finally:
        batch.close()


def _text(report: GradeReport) -> str:
    return "\n".join(list(report.notes) + [c.feedback for c in report.checks] + [report.output])


def _needs(mechanism: str) -> None:
    missing = [m for m in confinement_report() if m.startswith(mechanism)]
    if missing:
        pytest.skip(f"this machine lacks it: {missing[0]}")


CASES = sorted(p.stem for p in APPS.glob("*.py"))


@pytest.mark.timeout(1200)
@pytest.mark.parametrize("name", CASES)
def test_confinement_case_earns_nothing(batch, name):
    if name == "memory_hog_processes" and "memory" not in cgroup.available():
        pytest.skip("no per-submission memory limit without a writable cgroup (confinement_report says so)")
    if name == "disk_filler":
        _needs("namespaces")
    case = batch.cases[name]
    result = batch.results[case.path]
    assert isinstance(result, GradeReport), f"the batch failed on it: {result!r}"
    earned = [f"{c.name}: {c.feedback}" for c in result.checks if c.passed]
    assert result.score == 0, f"earned {result.score}: {earned}\n{result.output[:2000]}"
    text = _text(result).lower()
    assert any(words in text for words in case.says), f"none of {case.says} in:\n{text[:3000]}"


@pytest.mark.timeout(1200)
def test_honest_neighbours_keep_full_marks(batch):
    for path in batch.honest:
        report = batch.results[path]
        assert isinstance(report, GradeReport), report
        failures = [f"{c.name}: {c.feedback}" for c in report.checks if not c.passed]
        assert not failures and report.score == report.max_score, (path.name, failures, report.notes)


@pytest.mark.timeout(1200)
def test_no_foreign_file_was_found(batch):
    output = batch.results[batch.cases["copy_classmate"].path].output
    assert "found: []" in output, output[:2000]


@pytest.mark.timeout(1200)
def test_no_secret_reaches_any_report(batch):
    for path, report in batch.results.items():
        if isinstance(report, GradeReport):
            assert SECRET not in _text(report), path.name
    output = batch.results[batch.cases["read_cmdlines"].path].output
    assert "cmdlines:" in output and "pytest" not in output and "sleep(900)" not in output, output[:2000]


@pytest.mark.timeout(1200)
def test_host_unix_sockets_heard_nothing(batch):
    for server in batch.sockets:
        with pytest.raises(BlockingIOError):
            server.accept()


def _sysv_keys() -> set[int]:
    keys = set()
    for kind in ("shm", "sem", "msg"):
        lines = Path(f"/proc/sysvipc/{kind}").read_text().splitlines()[1:]
        keys |= {int(line.split()[0]) & 0xFFFFFFFF for line in lines if line.split()}
    return keys


@pytest.mark.timeout(1200)
def test_no_sysv_object_survives(batch):
    left = _sysv_keys() & set(SHM_KEYS)
    assert not left, sorted(hex(k) for k in left)


def _threads_named(name: bytes) -> list[str]:
    found = []
    for task in Path("/proc").glob("[0-9]*/task/[0-9]*"):
        try:
            if (task / "comm").read_bytes().strip() == name[:15]:
                found.append(f"{task} {(task / 'stat').read_text().split(')')[-1][:3]}")
        except OSError:
            continue
    return found


@pytest.mark.timeout(1200)
def test_no_process_of_any_state_outlives_the_batch(batch):
    deadline = time.monotonic() + 10  # SIGKILLed tasks take a moment to go
    while _threads_named(MARKER) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _threads_named(MARKER)


@pytest.mark.timeout(1200)
def test_no_temporary_file_is_left(batch):
    assert not list(batch.tmp.iterdir())


@pytest.mark.timeout(1200)
@ROOT_ONLY
def test_no_cgroup_is_left(batch):
    left = [p for h in cgroup.hierarchies() for p in h.base.glob(f"{cgroup.PREFIX}{os.getpid()}-*")]
    assert not left


@pytest.mark.timeout(1200)
def test_the_warm_pool_is_not_spinning(batch):
    if batch.zygote_pid is None:
        pytest.skip("the warm pool is off here")
    assert pool.shared().process.pid == batch.zygote_pid, "the zygote was killed and restarted"

    def cpu() -> float:
        fields = Path(f"/proc/{batch.zygote_pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    before = cpu()
    time.sleep(2)
    assert cpu() - before < 0.1, "the zygote burns CPU while idle"  # spinning gets 0.3 s even at load 36


@pytest.mark.timeout(1200)
def test_unconfined_the_hostile_apps_would_have_succeeded(batch, tmp_path):
    """The cases above test something: run plainly, the same code finds the files, the password and the sockets."""
    probes = {"copy_classmate": "found: ['", "read_cmdlines": SECRET, "unix_socket": None}
    for name, expected in probes.items():
        script = tmp_path / f"{name}.py"
        script.write_text(render((APPS / f"{name}.py").read_text(), batch.values))
        run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
        if expected:
            assert expected in run.stdout, (name, run.stdout[:1000], run.stderr[-1000:])
        else:
            assert "could not reach" not in run.stdout, run.stdout
    accepted = 0
    for server in batch.sockets:
        try:
            server.accept()[0].close()
            accepted += 1
        except BlockingIOError:
            pass
    assert accepted == len(batch.sockets)


@pytest.mark.timeout(300)
def test_grader_check_confines_too(batch):
    path = batch.cases["copy_classmate"].path
    run = subprocess.run(
        [sys.executable, "-m", "grader", "check", str(path), "--lesson", LESSON, "--json"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["score"] == 0 and "found: []" in report["output"], report["output"][:2000]


@pytest.mark.timeout(1500)
@pytest.mark.skipif(AS_USER or os.geteuid() != 0, reason="re-runs this file as a normal user; needs root to switch")
def test_the_same_holds_for_a_normal_user(tmp_path):
    """This file again as uid 65534 without capabilities; the interpreter and the checkout are made reachable first.

    The mount namespace of `unshare` only changes what that run sees of the
    folders a normal user cannot enter (/root, a `mktemp -d` clone's parent):
    see `_reveal`. The grader then runs as a plain user and the sandbox
    confines itself with a user namespace.
    """
    home = Path(tempfile.mkdtemp(prefix="confine-user-"))  # pytest's own tmp folder is root's alone
    os.chown(home, 65534, 65534)
    reveal = "".join(f"{step} && " for step in _reveal([Path(sys.base_prefix), ROOT, Path(sys.prefix)], tmp_path))
    command = (
        f"{reveal}exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "
        f"env HOME={home} GRADER_TEST_AS_USER=1 PATH=/usr/bin:/bin {sys.executable} -m pytest -q -rs -p no:cacheprovider "
        f"--basetemp={home}/pytest {__file__}"
    )
    run = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", command],
        capture_output=True,
        text=True,
        timeout=1400,
        cwd=ROOT,
    )
    shutil.rmtree(home, ignore_errors=True)
    tail = run.stdout[-4000:] + run.stderr[-2000:]
    assert run.returncode == 0, tail
    assert " passed" in run.stdout and "failed" not in run.stdout, tail
    skipped = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
    allowed = ("cgroup", "needs root", "as a normal user")  # the memory case, the cgroup leftovers, this test itself
    assert len(skipped) <= 3 and all(any(reason in line for reason in allowed) for line in skipped), skipped


def _reveal(paths: list[Path], scratch: Path) -> list[str]:
    """Mount commands that let any user reach `paths` inside a private mount namespace, touching nothing outside it.

    Each folder on the way that others may not enter (0700 /root, a `mktemp -d`
    folder) is covered by a 755 tmpfs holding only the entries on the way, each
    bind-mounted back from the original; top-down, so a closed folder below
    an opened one is reached through the bind.
    """
    keep: dict[Path, set[str]] = {}
    for path in paths:
        path = path.resolve()
        for folder in reversed(path.parents):
            child = path.relative_to(folder).parts[0]
            if not folder.stat().st_mode & 0o001:
                keep.setdefault(folder, set()).add(child)
    steps, count = [], 0
    for folder in sorted(keep, key=lambda f: len(f.parts)):
        holds = []
        for child in sorted(keep[folder]):
            hold = scratch / f"hold{count}"
            hold.mkdir()
            count += 1
            steps.append(f"mount --bind {shlex.quote(str(folder / child))} {shlex.quote(str(hold))}")
            holds.append((child, hold))
        steps.append(f"mount -t tmpfs -o mode=755,size=1m none {shlex.quote(str(folder))}")
        for child, hold in holds:
            target = shlex.quote(str(folder / child))
            steps += [f"mkdir {target}", f"mount --move {shlex.quote(str(hold))} {target}"]
    return steps
