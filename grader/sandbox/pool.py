"""The warm pool: a zygote process that has imported FastAPI once and forks a worker per submission.

Starting a fresh interpreter and importing FastAPI, Starlette and Pydantic
costs about 0.3 s of CPU per submission; a fork of a process that already did
costs a few milliseconds, so a submission costs only the learner's code and
the requests. The zygote runs no learner code: each forked child starts a new
session, takes its output file and channel, and calls `grader.sandbox.worker.run`,
which confines it (limits, network namespace, own uid, Landlock) before the
learner's cells run. The zygote reaps its children and reports each exit
status on a status socket private to that child, since the grader is not
their parent.

`shared()` gives the process-wide zygote, started on first use (and again if
it died); `GRADER_POOL=0` turns the pool off and the sandbox falls back to
spawning `python -m grader.sandbox.worker`.
"""

from __future__ import annotations

import atexit
import ctypes
import gc
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

try:
    import resource
except ImportError:  # Windows: no pool there, but grader.sandbox.runner imports this module
    resource = None  # type: ignore[assignment]  # absent on Windows; mypy checks as Linux, where it always exists

SPAWN_SECONDS = 20.0  # the zygote's first answer waits for its imports
PR_SET_CHILD_SUBREAPER = 36


class PoolUnavailable(Exception):
    pass


class PooledProcess:
    """A worker forked by the zygote: enough of `subprocess.Popen` for the sandbox."""

    def __init__(self, pid: int, status: socket.socket):
        self.pid = pid
        self.returncode: int | None = None
        self._status = status

    def wait(self, timeout: float | None = None) -> int:
        """The exit code as `Popen.returncode` gives it (-N for signal N); TimeoutError after `timeout`."""
        if self.returncode is None:
            self._status.settimeout(timeout)
            try:
                data = self._status.recv(64)
            except TimeoutError:
                raise TimeoutError from None
            try:
                self.returncode = int(json.loads(data)["exit"]) if data else -signal.SIGKILL
            except (ValueError, KeyError, TypeError):
                self.returncode = -signal.SIGKILL
            self._status.close()
        return self.returncode

    def poll(self) -> int | None:
        try:
            return self.wait(timeout=0)
        except TimeoutError:
            return None


class Zygote:
    """The grader's handle on one zygote process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONIOENCODING": "utf-8",
            "GRADER_IN_SANDBOX": "1",
        }
        self.process = subprocess.Popen(
            # -u: as for a spawned worker, so that the forked workers' prints are not lost in a buffer.
            [sys.executable, "-I", "-u", "-m", "grader.sandbox.pool", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd="/",
            env=env,
            start_new_session=True,
        )
        theirs.close()
        self._control = ours

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def spawn(
        self, channel: socket.socket, output_fd: int, workdir: Path, env: dict, preload: list[str] | None = None
    ) -> PooledProcess:
        """Fork a worker that talks on `channel` and writes its output to `output_fd`.

        `preload`: worker.ON_DEMAND groups the zygote imports first (once), for code that uses them."""
        status_ours, status_theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            request = json.dumps({"cwd": str(workdir), "env": env, "preload": preload or []}).encode()
            with self._lock:
                socket.send_fds(self._control, [request], [channel.fileno(), output_fd, status_theirs.fileno()])
            status_theirs.close()
            status_ours.settimeout(SPAWN_SECONDS)
            data = status_ours.recv(64)
            pid = int(json.loads(data)["pid"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            status_ours.close()
            status_theirs.close()
            raise PoolUnavailable(str(exc)) from None
        return PooledProcess(pid, status_ours)

    def close(self) -> None:
        self._control.close()  # the zygote exits when its control socket closes
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_shared: Zygote | None = None
_shared_lock = threading.Lock()


def enabled() -> bool:
    posix = sys.platform != "win32" and hasattr(socket, "send_fds") and hasattr(os, "fork")
    return posix and os.environ.get("GRADER_POOL", "1") != "0"


def shared() -> Zygote | None:
    """The process-wide zygote, started (or restarted) on demand; None when the pool is off."""
    global _shared
    if not enabled():
        return None
    with _shared_lock:
        if _shared is None or not _shared.alive:
            try:
                _shared = Zygote()
            except OSError:
                _shared = None
        return _shared


def warm() -> None:
    """Start the zygote now, so its imports overlap with the caller's own work."""
    shared()


@atexit.register
def shutdown() -> None:
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None


# -- the zygote process ------------------------------------------------------


def _child(request: dict, fds: list[int], zygote: int) -> None:
    """In the forked child: become a worker. Never returns."""
    try:
        from grader.sandbox import worker

        worker.die_with_parent(zygote)
        os.setsid()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        channel_fd, output_fd, _status_fd = fds
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        # Keep only stdio and the channel (as fd 3): none of the zygote's descriptors (its control
        # socket, its epoll, every other worker's status socket) may reach learner code.
        if channel_fd != 3:
            os.dup2(channel_fd, 3, inheritable=False)
        os.closerange(4, _max_fd())
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        worker.run(socket.socket(fileno=3))
    finally:
        os._exit(70)


def _max_fd() -> int:
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


def zygote_main(control_fd: int) -> None:
    from grader.sandbox import worker

    # A worker in namespaces forks the sandbox's PID 1; killed first, it would leave that child to the
    # host's init. As their subreaper the zygote reaps them, and their CPU time counts in the grader's tree.
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    worker.prepare_zygote()
    control = socket.socket(fileno=control_fd)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    os.set_blocking(wake_r, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    statuses: dict[int, socket.socket] = {}
    loaded: set[str] = set()
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ)
    selector.register(wake_r, selectors.EVENT_READ)
    while True:
        for key, _ in selector.select():
            if key.fileobj is control:
                try:
                    data, fds, _flags, _addr = socket.recv_fds(control, 65536, 3)
                except OSError:
                    data, fds = b"", []
                if not data:
                    _shutdown(statuses)
                    return
                if len(fds) != 3:
                    for fd in fds:
                        os.close(fd)
                    continue
                request = json.loads(data)
                extra = [n for n in request.get("preload", []) if n in worker.ON_DEMAND and n not in loaded]
                if extra:
                    worker.preload_extra(extra)
                    loaded.update(extra)
                    gc.freeze()  # the new modules' pages stay shared too
                sys.stdout.flush()
                zygote = os.getpid()
                pid = os.fork()
                if pid == 0:
                    _child(request, fds, zygote)
                os.close(fds[0])
                os.close(fds[1])
                status = socket.socket(fileno=fds[2])
                statuses[pid] = status
                try:
                    status.send(json.dumps({"pid": pid}).encode())
                except OSError:
                    pass
            else:
                try:
                    os.read(wake_r, 4096)
                except BlockingIOError:
                    pass
        _reap(statuses)


def _reap(statuses: dict[int, socket.socket]) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        sock = statuses.pop(pid, None)
        if sock is not None:
            try:
                sock.send(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode())
            except OSError:
                pass
            sock.close()


def _shutdown(statuses: dict[int, socket.socket]) -> None:
    """The grader went away: end every worker still running, and all it started."""
    from grader.sandbox.worker import kill_uid, sandbox_uid

    for pid in list(statuses):
        for kill in (os.kill, os.killpg):
            try:
                kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if os.geteuid() == 0:
            kill_uid(sandbox_uid(pid))
    for pid in list(statuses):
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


if __name__ == "__main__":
    zygote_main(int(sys.argv[1]))
