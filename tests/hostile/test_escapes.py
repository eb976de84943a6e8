"""Escape primitives: learner code holds no capability and meets a seccomp wall, graded beside honest notebooks.

Each app in `escape/` tries one system call a container escape starts with
(open_by_handle_at on the ext4 root's handle through a bind of the view,
mount, unshare, setns, ptrace, bpf, io_uring, ...) at import, prints the
errno it got and, had the call worked, would run the reference solution: so
each must get EPERM or ENOSYS and earn nothing. `read_everything` tries
/etc/shadow, a 0600 file, a classmate's notebook and a release key by path,
/proc/self/root, /proc/1/root, `..` from a bind and a file handle. `status`
is honest and prints its /proc/self/status: every capability set empty,
no_new_privs on, a seccomp filter (mode 2). The same file runs again as a
normal user (uid 65534, namespaces from a user namespace).

That the apps test something is shown apart: run plainly (as root, in a
throwaway mount namespace) the same code succeeds; the filter alone, loaded
in a child that keeps root's capabilities, refuses each call.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from submissions import LESSON, ROOT, SOLUTION_NOTEBOOK, app_cases, render
from test_confinement import _reveal

from grader.grade import GradeReport, grade_path
from grader.sandbox import privileges, seccomp

APPS = Path(__file__).parent / "escape"
PRIMITIVES = sorted(p.stem for p in APPS.glob("*.py") if p.stem not in ("read_everything", "status"))
SECRET = "release-key-secret-5151"
AS_USER = os.environ.get("GRADER_TEST_AS_USER") == "1"
LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux confinement")
pytestmark = [LINUX, pytest.mark.skipif(bool(seccomp.unavailable()), reason=f"no seccomp: {seccomp.unavailable()}")]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("escape")
    private = folder / "private"
    private.mkdir(mode=0o700)
    (private / "secret.txt").write_text(SECRET)
    (private / "secret.txt").chmod(0o600)
    key = folder / "course" / "grader-release-key.json"  # where `grader release` leaves it
    key.parent.mkdir()
    key.write_text(json.dumps({"secret": SECRET}))
    key.chmod(0o600)
    subs = folder / "submissions"
    subs.mkdir()
    honest = [subs / f"honest_{i}-{LESSON}.ipynb" for i in range(2)]
    for path in honest:
        shutil.copy(SOLUTION_NOTEBOOK, path)
    values = {"PRIVATE": str(private / "secret.txt"), "CLASSMATE": str(honest[0]), "KEY": str(key)}
    cases = {c.name: c.path for c in app_cases(subs, values, APPS)}
    order = [*cases.values()][:8] + [honest[0]] + [*cases.values()][8:] + [honest[1]]
    with ThreadPoolExecutor(2) as executor:
        results = dict(executor.map(lambda p: (p, grade_path(p, lesson_id=LESSON)), order))
    return {"cases": cases, "results": results, "honest": honest, "values": values}


def _earned(report: GradeReport) -> list[str]:
    return [f"{c.name}: {c.feedback}" for c in report.checks if c.passed]


@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", PRIMITIVES)
def test_escape_primitive_is_refused_and_earns_nothing(batch, name):
    report = batch["results"][batch["cases"][name]]
    assert isinstance(report, GradeReport)
    assert "escape: EPERM" in report.output or "escape: ENOSYS" in report.output, report.output[-2000:]
    assert report.score == 0, (report.score, _earned(report), report.output[-2000:])


@pytest.mark.timeout(900)
def test_nothing_is_read_by_any_route(batch):
    report = batch["results"][batch["cases"]["read_everything"]]
    assert "read: []" in report.output, report.output[-3000:]
    assert SECRET not in report.output and report.score == 0, report.output[-3000:]


@pytest.mark.timeout(900)
def test_learner_code_holds_no_capability_and_runs_filtered(batch):
    report = batch["results"][batch["cases"]["status"]]
    status = dict(line.split()[1:3] for line in report.output.splitlines() if line.startswith("status "))
    for key in ("CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:"):
        assert int(status[key], 16) == 0, (key, status)
    assert status["NoNewPrivs:"] == "1" and status["Seccomp:"] == "2", status
    failed = [f"{c.name}: {c.feedback}" for c in report.checks if not c.passed]
    assert report.checks and not failed, failed  # honest: every check of the app passes (a .py has no quiz)


@pytest.mark.timeout(900)
def test_honest_neighbours_keep_full_marks(batch):
    for path in batch["honest"]:
        report = batch["results"][path]
        assert report.score == report.max_score, [c.feedback for c in report.checks if not c.passed]


@pytest.mark.timeout(300)
@pytest.mark.skipif(os.geteuid() != 0 or AS_USER, reason="needs root: the plain run must be able to succeed")
def test_unconfined_the_primitives_work(batch, tmp_path):
    """The apps test something: run as root in a throwaway mount namespace, each call gets past the kernel's checks
    (pivot_root('.', '.') gets EBUSY there rather than EPERM: the host's root is not a mount it may move)."""
    for name in [*PRIMITIVES, "read_everything"]:
        script = tmp_path / f"{name}.py"
        script.write_text(render((APPS / f"{name}.py").read_text(), batch["values"]))
        run = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", sys.executable, str(script)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
        if name == "read_everything":
            assert "read: []" not in run.stdout and "handle: /etc/shadow" in run.stdout, run.stdout + run.stderr
        else:
            assert "escape: WORKED" in run.stdout or "escape: EBUSY" in run.stdout, (name, run.stdout, run.stderr)


def _in_child(step) -> int:
    """Run `step` in a forked child, in a private mount namespace of its own: its exit code (an errno, or 0).

    Never unfiltered in the host's mount namespace: a mount that works would cover a host folder for everyone.
    """
    child = os.fork()
    if child == 0:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.unshare(0x20000) != 0 or libc.mount(None, b"/", None, ctypes.c_ulong(1 << 14 | 1 << 18), None) != 0:
                os._exit(98)
            os._exit(step())
        except BaseException:  # noqa: BLE001
            os._exit(99)
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.skipif(os.geteuid() != 0 or AS_USER, reason="needs root: the filter must hold against capabilities")
def test_the_filter_alone_refuses_what_root_could_do(tmp_path):
    libc = ctypes.CDLL(None, use_errno=True)

    def filtered(call):
        def step():
            seccomp.build().load()
            return 0 if call() >= 0 else ctypes.get_errno()

        return step

    calls = {
        "mount": lambda: libc.mount(b"none", str(tmp_path).encode(), b"tmpfs", ctypes.c_ulong(0), None),
        "unshare": lambda: libc.unshare(0x20000),
        "chroot": lambda: libc.chroot(b"/"),
        "name_to_handle_at": lambda: libc.name_to_handle_at(
            -100, b"/", _handle_buffer(), ctypes.byref(ctypes.c_int()), 0
        ),
        "personality": lambda: libc.personality(ctypes.c_ulong(0x0040000)),  # ADDR_NO_RANDOMIZE
        "socket AF_VSOCK": lambda: libc.socket(40, 1, 0),
    }
    for name, call in calls.items():
        assert _in_child(lambda call=call: 0 if call() >= 0 else 1) == 0, f"{name} fails even unfiltered"
        assert _in_child(filtered(call)) == errno.EPERM, name
    assert _in_child(filtered(lambda: libc.personality(ctypes.c_ulong(0xFFFFFFFF)))) == 0  # querying stays allowed
    assert _in_child(filtered(lambda: os.fork() or os._exit(0) or 0)) == 0  # threads and plain forks too


@pytest.mark.skipif(os.geteuid() != 0 or AS_USER, reason="needs root to switch uid")
def test_dropping_privileges_leaves_nothing():
    def step():
        privileges.drop(1_999_999)
        with open("/proc/self/status") as fh:
            lines = dict(line.split(":", 1) for line in fh)
        sets = [int(lines[k], 16) for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")]
        return 0 if not any(sets) and lines["NoNewPrivs"].strip() == "1" and os.setuid(0) is None else 1

    assert privileges.held(), "root holds capabilities here, so the check below can fail"
    assert _in_child(lambda: _catch(step)) == errno.EPERM


def test_names_this_arch_or_libseccomp_lacks_are_skipped(monkeypatch):
    """vm86 is i386's only, the last one no kernel has: libseccomp refuses a rule for the latter (EINVAL)."""
    monkeypatch.setattr(seccomp, "DENIED", (*seccomp.DENIED, "vm86", "no_such_call"))
    assert seccomp.build() is not None


def _handle_buffer():
    buffer = (ctypes.c_uint * 34)()
    buffer[0] = 128  # room for the handle
    return buffer


def _catch(step) -> int:
    try:
        return step()
    except PermissionError as exc:  # setuid(0) after the drop
        return exc.errno


def test_a_dask_parcel_is_out_of_the_sandboxs_reach():
    """On a Dask worker a submission is written to disk: in a 0700 folder no folder of the view holds."""
    pytest.importorskip("distributed")
    from grader.classroom.cluster import Parcel, grade_parcel
    from grader.sandbox import view

    seen = {}

    def grade(job, limits, seed):
        seen["path"] = job.path
        seen["mode"] = os.stat(job.path.parents[1]).st_mode & 0o777
        return None

    grade_parcel(Parcel("k", "alice", "a.ipynb", "alice", None, b"{}"), None, None, grade)
    assert seen["mode"] == 0o700, oct(seen["mode"])
    assert not any(str(seen["path"]).startswith(folder.rstrip("/") + "/") for folder in view.visible().folders)


@pytest.mark.timeout(1500)
@pytest.mark.skipif(AS_USER or os.geteuid() != 0, reason="re-runs this file as a normal user; needs root to switch")
def test_the_same_holds_for_a_normal_user(tmp_path):
    """This file again as uid 65534 without capabilities (see test_confinement's test of the same name)."""
    home = Path(tempfile.mkdtemp(prefix="escape-user-"))
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
    assert run.returncode == 0 and " passed" in run.stdout and "failed" not in run.stdout, tail
    skipped = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
    assert all("needs root" in line or "normal user" in line for line in skipped), skipped
