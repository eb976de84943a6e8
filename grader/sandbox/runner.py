"""The grader's side of the sandbox: start a worker process, talk to it, kill it.

The worker runs in its own session and process group, so killing the group
ends the learner's code and anything it started; started as root, it also
runs as a uid of its own, and every process of that uid is killed at the end
(children that called setsid() included). Its output goes to a file capped by
RLIMIT_FSIZE; the channel is a private socketpair, never stdout. Workers come
from the warm pool (`grader.sandbox.pool`) when it runs, else from a fresh interpreter.
"""

from __future__ import annotations

import base64
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from grader.safetext import CAPS, clean, safe
from grader.sandbox import cgroup, connect, landlock, namespaces, pool, replies, schedule, seccomp
from grader.sandbox.channel import Channel, ChannelClosed, ProtocolError
from grader.sandbox.cleanup import remove_tree
from grader.sandbox.worker import kill_uid, sandbox_uid, wanted
from grader.source import Submission

MAX_CODE_BYTES = 8 * 1024 * 1024  # far above any exercise; the channel's message limit is 32 MB


@dataclass(frozen=True)
class Limits:
    load_seconds: float = 10.0
    request_seconds: float = 5.0
    memory_bytes: int = 1536 * 1024 * 1024
    output_bytes: int = 2 * 1024 * 1024
    max_body_bytes: int = 4 * 1024 * 1024
    isolate_network: bool = True
    max_processes: int = 64  # processes and threads, enforced when the worker has a uid of its own
    drop_privileges: bool = True  # as root: run the learner's code as an unprivileged uid of its own
    verify_seconds: float = 2.0
    namespaces: bool = True  # mount, PID and IPC namespaces (as root, or in a user namespace where allowed)
    disk_bytes: int = 64 * 1024 * 1024  # all the submission may write (its tmpfs), with namespaces
    disk_files: int = 4096  # files and folders it may create (so also the depth of a tree), with namespaces


def confinement_report() -> list[str]:
    """The confinement mechanisms this machine does not give the sandbox (empty when it has them all).

    Each entry names the mechanism and what is lost without it; the README's
    "The sandbox" section says what each one guarantees.
    """
    missing = []
    abi = landlock.abi_version()
    if abi < 1:
        missing.append("Landlock (reads, writes and TCP are not confined)")
    elif abi < 4:
        missing.append(f"Landlock ABI 4 (TCP is not blocked; this kernel has ABI {abi})")
    elif abi < 6:
        missing.append(f"Landlock ABI 6 (signals and abstract sockets are not scoped; ABI {abi})")
    why = namespaces.probe()
    if why:
        missing.append(
            f"namespaces ({why}: other processes are visible and host socket files reachable, SysV IPC outlives the run, writes are not bounded)"
        )
        if os.geteuid() != 0:
            missing.append("a user namespace (the capability bounding set is not cleared; no_new_privs still holds)")
        else:  # the sandbox's uid holds no capability: without the view's own folders it needs others' access
            missing.append("the view's own folders (a runtime under a folder only root may enter cannot be imported)")
    no_filter = seccomp.unavailable()
    if no_filter:
        missing.append(
            f"seccomp ({no_filter}: mount, ptrace, bpf, keyrings and the rest of Docker's denylist stay open)"
        )
    offered = cgroup.available() | ({"kill"} if not why else set())  # a PID namespace's end kills all too
    lost = {
        "memory": "memory is limited per process",
        "pids": "processes are limited by RLIMIT_NPROC",
        "cpu": "no fair CPU share",
        "kill": "clean-up relies on a sweep",
    }
    gaps = [f"{name}: {lost[name]}" for name in ("memory", "pids", "cpu", "kill") if name not in offered]
    if gaps:
        missing.append("cgroups (" + "; ".join(gaps) + ")")
    return missing


# Windows has no fork, rlimits, namespaces or Landlock: the worker is a plain child process
# (own process, time limits, killed at the end) and the report says the confinement is reduced.
WINDOWS = sys.platform == "win32"
REDUCED_NOTE = (
    "Windows: your code ran in a child process with time limits only (no memory, output, network or file limits); "
    "grades that count come from a Linux machine."
)


class SandboxError(Exception):
    """The learner's app could not answer: it hung, crashed or broke the protocol."""


class Tampered(SandboxError):
    """The learner's code replaced the machinery that carries responses to the grader."""


@dataclass
class LoadReport:
    app: str  # ok | missing | not_asgi | lifespan_failed | crashed | timeout | tampered
    cell_errors: list
    route_count: int = 0
    detail: str = ""
    routes: list = field(default_factory=list)  # (METHOD, path) the app serves: grader.sandbox.routes.table
    quiz_answers: dict | None = None


class Sandbox:
    def __init__(self, submission: Submission, limits: Limits | None = None):
        self.submission = submission
        self.limits = limits or Limits()
        self.process: subprocess.Popen | pool.PooledProcess | None = None
        self.channel: Channel | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="grader-", ignore_cleanup_errors=True)
        os.chmod(self._tmp.name, 0o711)  # a worker with a uid of its own must reach its workdir
        self.output_path = Path(self._tmp.name) / "output.txt"
        self.workdir = Path(self._tmp.name) / "work"
        self.workdir.mkdir()
        self.starts = 0
        self.tampered = ""  # why the grade cannot count, when the learner's code faked the machinery
        self.peak_rss_kb = 0  # the worker's own figures, for the benchmark
        self.worker_cpu_seconds = 0.0
        self.watched: int | None = None  # see `request(watch=)`
        self.group: cgroup.Group | None = None
        self._pressure: Path | None = None  # the group's cgroup v2 CPU pressure file, if any
        self.left_behind = ""  # what clean-up could not remove (empty when it all went)

    # -- lifecycle -------------------------------------------------------
    def start(self) -> LoadReport:
        self.stop(verify=True)
        self.starts += 1
        if WINDOWS:
            return self._loaded(self._start_connected())
        parent_sock, child_sock = socket.socketpair()
        env = self._env()
        with self.output_path.open("ab") as out:
            zygote = pool.shared()
            try:
                if zygote is None:
                    raise pool.PoolUnavailable
                self.process = zygote.spawn(
                    child_sock, out.fileno(), self.workdir, env, preload=wanted(self.submission.code)
                )
            except pool.PoolUnavailable:
                self.process = subprocess.Popen(
                    # -u: the worker ends with os._exit or SIGKILL, which would lose block-buffered prints
                    # (-I ignores PYTHONUNBUFFERED, so it has to be the flag).
                    [sys.executable, "-I", "-u", "-m", "grader.sandbox.worker", str(child_sock.fileno())],
                    pass_fds=[child_sock.fileno()],
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    cwd=self.workdir,
                    env=env,
                    start_new_session=True,
                )
        child_sock.close()
        self.channel = Channel(parent_sock)
        # The worker waits for the spec before it runs anything: in its group before the first fork.
        self.group = cgroup.Group.create(self.limits.memory_bytes, self.limits.max_processes)
        self._pressure = None
        if self.group is not None:
            try:
                self.group.add(self.process.pid)
                self._pressure = self.group.pressure
            except OSError:
                self.group.remove()
                self.group = None
        return self._loaded()

    def _env(self) -> dict:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.workdir),
            "TMPDIR": str(self.workdir),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONIOENCODING": "utf-8",
            "GRADER_IN_SANDBOX": "1",
            "GRADER_PARENT_PID": str(os.getpid()),  # lets the worker tell that the grader died while it started
        }

    def _start_connected(self) -> str:
        """Windows: a plain child process that connects back over loopback; "" or why it did not start."""
        listener = connect.Listener()
        # Python on Windows needs these to start (and to find a temporary folder).
        env = {
            **self._env(),
            **listener.env(),
            **{k: os.environ[k] for k in ("SYSTEMROOT", "TEMP", "TMP") if k in os.environ},
        }
        with self.output_path.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-u", "-m", "grader.sandbox.worker", "--connect"],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
                env=env,
            )
        try:
            self.channel = Channel(listener.accept(self.limits.load_seconds))
        except TimeoutError:
            return f"the app's process did not start within {self.limits.load_seconds:g} s"
        return ""

    def _loaded(self, failed: str = "") -> LoadReport:
        """Send the code to the started worker and read what loading it gave."""
        if failed:
            self.stop()
            return LoadReport(app="crashed", cell_errors=[], detail=failed)
        spec: dict[str, Any] = {
            "cells": [{"number": c.number, "source": c.source} for c in self.submission.cells],
            "sys_path": [str(self.submission.path.resolve().parent)],
            "workdir": str(self.workdir),
            "limits": asdict(self.limits),
            "isolate_network": self.limits.isolate_network,
        }
        size = sum(len(c["source"]) for c in spec["cells"])
        if size > MAX_CODE_BYTES:
            self.stop()
            return LoadReport(
                app="crashed",
                cell_errors=[],
                detail=f"the code is {size // 2**20} MB, over the {MAX_CODE_BYTES // 2**20} MB the grader runs",
            )
        assert self.channel is not None  # set by start() before it calls this
        try:
            self.channel.send(spec)
            message = self._recv(self.limits.load_seconds, limit=replies.MAX_LOADED_MESSAGE)
        except TimeoutError:
            self.stop()
            return LoadReport(
                app="timeout", cell_errors=[], detail=f"loading the code took over {self.limits.load_seconds:g} s"
            )
        except (ChannelClosed, ProtocolError, OSError) as exc:
            reason = self._death_reason(exc)  # before stop(), which forgets the process
            self.stop()
            return LoadReport(app="crashed", cell_errors=[], detail=reason)
        try:
            report = LoadReport(**replies.loaded(message))
        except replies.Malformed as exc:
            self.stop()
            return LoadReport(
                app="crashed",
                cell_errors=[],
                detail=f"the app's process sent a malformed report ({exc}); it was stopped",
            )
        if report.app == "tampered":
            self.tampered = report.detail
        if report.app != "ok":
            self.stop()
        return report

    def stop(self, verify: bool = False) -> None:
        """Kill the worker and everything it started; `verify` first asks a healthy worker for a tamper check."""
        if self.channel is not None:
            if verify:
                self._verify()
            self.channel.close()
            self.channel = None
        if WINDOWS and isinstance(self.process, subprocess.Popen):  # never pooled on Windows
            self.process.kill()  # TerminateProcess; children it started are not tracked (reduced confinement)
            self.process.wait()
            self.process = None
        if self.process is not None:
            pid = self.process.pid
            for kill in (os.kill, os.killpg):  # the pid too: a pooled worker may not have called setsid() yet
                try:
                    kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            # Every process the sandbox started is in its group (added before the worker ran anything,
            # and it cannot leave it): when the group's kill reached them all, sweeping /proc for
            # the uid (several ms of the grader's CPU per notebook) would find nothing.
            reached_all = self.group is not None and self.group.kill()
            if self._own_uid and not reached_all:
                kill_uid(sandbox_uid(pid))
            self.process.wait()
            self.process = None
        if self.group is not None:
            if not self.group.remove():
                self.left_behind = f"cgroups {', '.join(map(str, self.group.dirs.values()))}"
            self.group = None

    @property
    def _own_uid(self) -> bool:
        return hasattr(os, "geteuid") and os.geteuid() == 0 and self.limits.drop_privileges

    def _verify(self) -> None:
        """A last look for tampering (and the worker's peak memory) before the worker is stopped."""
        try:
            reply = self.call({"op": "verify"}, timeout=self.limits.verify_seconds, stop_on_error=False)
        except Tampered:
            return
        except SandboxError:
            return
        rss, cpu = reply.get("peak_rss_kb"), reply.get("cpu_seconds")
        if type(rss) is int:  # figures for the benchmark; anything else is ignored
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
        if (type(cpu) is int or type(cpu) is float) and 0 <= cpu < 1e6:
            self.worker_cpu_seconds += cpu

    def close(self) -> None:
        self.stop(verify=True)
        if not remove_tree(self._tmp.name):  # whatever the code left there (a 3000-deep tree included)
            self.left_behind = (self.left_behind + f" {self._tmp.name}").strip()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.channel is not None

    # -- requests ----------------------------------------------------------
    def call(
        self,
        message: dict,
        timeout: float | None = None,
        stop_on_error: bool = True,
        limit: int = 64 * 1024,
        max_containers: int | None = None,
    ) -> dict:
        """Send one message and return the reply to it (bounded by `limit` bytes, `max_containers`); raises SandboxError."""
        if not self.alive:
            raise SandboxError("the app is not running")
        timeout = self.limits.request_seconds if timeout is None else timeout
        halt = self.stop if stop_on_error else (lambda: None)
        message = dict(message, id=secrets.token_hex(8))
        assert self.channel is not None  # self.alive says so
        try:
            self.channel.send(message)
            reply = self._recv(timeout, limit=limit, max_containers=max_containers)
        except TimeoutError:
            halt()
            raise SandboxError(
                f"no answer within {timeout:g} s (the handler seems to hang); the app was stopped"
            ) from None
        except (ChannelClosed, ProtocolError, OSError) as exc:
            reason = self._death_reason(exc)
            halt()
            raise SandboxError(reason) from None
        if reply.get("id") != message["id"]:
            halt()
            raise SandboxError("the app's process answered out of turn; it was stopped")
        if "tampered" in reply:
            self.tampered = safe(reply["tampered"], "message")
            halt()
            raise Tampered(f"{self.tampered}; the app was stopped")
        if "error" in reply:
            raise SandboxError(f"the request could not be made: {safe(reply['error'], 'message')}")
        return reply

    def request(
        self, method: str, url: str, headers: dict, body: bytes, watch: str | None = None
    ) -> tuple[int, list, bytes]:
        """Send a request; with `watch`, `self.watched` is then the length of that starter list as the body went out."""
        self.watched = None
        reply = self.call(
            {
                "op": "request",
                "method": method,
                "url": url,
                "headers": headers,
                "body": base64.b64encode(body).decode(),
                "watch": watch,
            },
            limit=replies.reply_limit(self.limits.max_body_bytes),
            max_containers=replies.MAX_REPLY_CONTAINERS,
        )
        watched = reply.get("watched")
        self.watched = watched if type(watched) is int and 0 <= watched <= 10**9 else None
        try:
            return replies.response(reply, self.limits.max_body_bytes)
        except replies.Malformed as exc:
            self.stop()
            raise SandboxError(f"the app's process sent a malformed answer ({exc}); it was stopped") from None
        except replies.Oversized as exc:
            raise SandboxError(str(exc)) from None

    def fault(self, helper: str, exception: str = "", message: str = "", clear: bool = False) -> bool:
        """Make the app's `helper` raise a fresh `exception` class (or restore it); False when it has no such helper."""
        request = {"op": "fault", "helper": helper, "clear": clear, "exception": exception, "message": message}
        return self.call(request).get("armed") is True

    def seed(self, name: str, key: int, record: dict) -> bool:
        """Add `record` under `key` to the app's starter dict `name`; False when the app has none."""
        return self.call({"op": "seed", "name": name, "key": key, "record": record}).get("seeded") is True

    def openapi(self) -> dict:
        document = self.call({"op": "openapi"}, limit=replies.MAX_OPENAPI_MESSAGE).get("document")
        try:
            return replies.openapi(document)
        except (replies.Malformed, replies.Oversized) as exc:
            raise SandboxError(str(exc)) from None

    def _recv(self, timeout: float, **bounds) -> dict:
        """The next message, allowing `timeout` seconds of the sandbox's own time.

        Time the sandbox spent waiting for a CPU (the machine busy with other
        work, not its own processes) does not count, up to
        `schedule.MAX_STRETCH` times the timeout: an honest app on a loaded
        machine is not cut off, while one that sleeps or spins still is.
        """
        clock = schedule.WaitClock(
            self._pressure, self._pids, self.group.cpu_seconds if self.group is not None else None
        )
        budget, spent = timeout, 0.0
        assert self.channel is not None  # both callers hold a live channel
        while True:
            try:
                return self.channel.recv(timeout=budget, **bounds)
            except TimeoutError:
                spent += budget
                waited = clock.waited()
                budget = min(timeout + waited, timeout * schedule.MAX_STRETCH) - spent
                if budget < 0.05:
                    raise

    def _pids(self) -> set[int]:
        if self.group is not None:
            return self.group.pids()
        return {self.process.pid} if self.process is not None else set()  # and, through /proc, its children

    # -- diagnostics -------------------------------------------------------
    def _death_reason(self, exc: BaseException) -> str:
        if isinstance(exc, ProtocolError):
            return f"the app's process broke the grader's channel ({exc})"
        code = None
        if self.process is not None:
            try:
                code = self.process.wait(timeout=2)
            except (subprocess.TimeoutExpired, TimeoutError):
                code = None
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            hint = {
                "SIGKILL": " (out of memory?)",
                "SIGSEGV": " (a crash in native code: ctypes, a C extension, a stack overflow)",
            }.get(name, "")
            return f"the app's process died from {name}{hint}"
        if code is not None:
            return f"the app's process exited with code {code}"
        return "the app's process stopped answering"

    def output_excerpt(self) -> str:
        """The start of what the code printed, capped and cleaned (`grader.safetext`)."""
        limit = CAPS["output"]
        try:
            with self.output_path.open("rb") as fh:
                data = fh.read(limit)
                rest = os.fstat(fh.fileno()).st_size - len(data)
        except OSError:
            return ""
        text = clean(data.decode("utf-8", "replace"))
        return text + (f"… (cut, {rest} more bytes)" if rest > 0 else "")
