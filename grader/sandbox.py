"""The grader's side of the sandbox: start a worker process, talk to it, kill it.

The worker runs in its own session and process group, so killing the group
ends the learner's code and anything it started. Its output goes to a file
capped by RLIMIT_FSIZE; the channel is a private socketpair, never stdout.
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
from dataclasses import asdict, dataclass
from pathlib import Path

from grader.channel import Channel, ChannelClosed, ProtocolError
from grader.source import Submission


@dataclass(frozen=True)
class Limits:
    load_seconds: float = 10.0
    request_seconds: float = 5.0
    memory_bytes: int = 1536 * 1024 * 1024
    output_bytes: int = 2 * 1024 * 1024
    max_body_bytes: int = 4 * 1024 * 1024
    isolate_network: bool = True


class SandboxError(Exception):
    """The learner's app could not answer: it hung, crashed or broke the protocol."""


@dataclass
class LoadReport:
    app: str  # ok | missing | not_asgi | lifespan_failed | crashed | timeout
    cell_errors: list
    route_count: int = 0
    detail: str = ""
    quiz_answers: dict | None = None


class Sandbox:
    def __init__(self, submission: Submission, limits: Limits | None = None):
        self.submission = submission
        self.limits = limits or Limits()
        self.process: subprocess.Popen | None = None
        self.channel: Channel | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="grader-")
        self.output_path = Path(self._tmp.name) / "output.txt"
        self.workdir = Path(self._tmp.name) / "work"
        self.workdir.mkdir()
        self.starts = 0

    # -- lifecycle -------------------------------------------------------
    def start(self) -> LoadReport:
        self.stop()
        self.starts += 1
        parent_sock, child_sock = socket.socketpair()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.workdir),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONIOENCODING": "utf-8",
            "GRADER_IN_SANDBOX": "1",
        }
        with self.output_path.open("ab") as out:
            self.process = subprocess.Popen(
                # -u: the worker ends with os._exit or SIGKILL, which would lose block-buffered prints
                # (-I ignores PYTHONUNBUFFERED, so it has to be the flag).
                [sys.executable, "-I", "-u", "-m", "grader.worker", str(child_sock.fileno())],
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
        spec = {
            "cells": [{"number": c.number, "source": c.source} for c in self.submission.cells],
            "sys_path": [str(self.submission.path.resolve().parent)],
            "limits": asdict(self.limits),
            "isolate_network": self.limits.isolate_network,
        }
        try:
            self.channel.send(spec)
            message = self.channel.recv(timeout=self.limits.load_seconds)
        except TimeoutError:
            self.stop()
            return LoadReport(app="timeout", cell_errors=[], detail=f"loading the code took over {self.limits.load_seconds:g} s")
        except (ChannelClosed, ProtocolError, OSError) as exc:
            self.stop()
            return LoadReport(app="crashed", cell_errors=[], detail=self._death_reason(exc))
        report = LoadReport(
            app=str(message.get("app")),
            cell_errors=[e for e in message.get("cell_errors", []) if isinstance(e, dict)],
            route_count=int(message.get("route_count") or 0),
            detail=str(message.get("error") or message.get("app_type") or ""),
            quiz_answers=message.get("quiz_answers") if isinstance(message.get("quiz_answers"), dict) else None,
        )
        if report.app != "ok":
            self.stop()
        return report

    def stop(self) -> None:
        if self.channel is not None:
            self.channel.close()
            self.channel = None
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.process.wait()
            self.process = None

    def close(self) -> None:
        self.stop()
        self._tmp.cleanup()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.channel is not None

    # -- requests ----------------------------------------------------------
    def call(self, message: dict) -> dict:
        if not self.alive:
            raise SandboxError("the app is not running")
        message = dict(message, id=secrets.token_hex(8))
        try:
            self.channel.send(message)
            reply = self.channel.recv(timeout=self.limits.request_seconds)
        except TimeoutError:
            self.stop()
            raise SandboxError(f"no answer within {self.limits.request_seconds:g} s (the handler seems to hang); the app was stopped") from None
        except (ChannelClosed, ProtocolError, OSError) as exc:
            reason = self._death_reason(exc)
            self.stop()
            raise SandboxError(reason) from None
        if reply.get("id") != message["id"]:
            self.stop()
            raise SandboxError("the app's process answered out of turn; it was stopped")
        if "error" in reply:
            raise SandboxError(f"the request could not be made: {reply['error']}")
        return reply

    def request(self, method: str, url: str, headers: dict, body: bytes) -> tuple[int, list, bytes]:
        reply = self.call(
            {"op": "request", "method": method, "url": url, "headers": headers, "body": base64.b64encode(body).decode()}
        )
        try:
            status = int(reply["status"])
            header_list = [(str(k), str(v)) for k, v in reply["headers"]]
            content = base64.b64decode(reply["body"])
        except (KeyError, TypeError, ValueError) as exc:
            raise SandboxError(f"malformed answer from the app's process: {exc}") from None
        return status, header_list, content

    def openapi(self) -> dict:
        document = self.call({"op": "openapi"}).get("document")
        if not isinstance(document, dict):
            raise SandboxError("app.openapi() did not give a JSON object")
        return document

    # -- diagnostics -------------------------------------------------------
    def _death_reason(self, exc: BaseException) -> str:
        if isinstance(exc, ProtocolError):
            return f"the app's process broke the grader's channel ({exc})"
        code = None
        if self.process is not None:
            try:
                code = self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                code = None
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            hint = " (out of memory?)" if name in ("SIGKILL", "SIGSEGV") else ""
            return f"the app's process died from {name}{hint}"
        if code is not None:
            return f"the app's process exited with code {code}"
        return "the app's process stopped answering"

    def output_excerpt(self, limit: int = 2000) -> str:
        try:
            with self.output_path.open("rb") as fh:
                data = fh.read(limit + 1)
        except OSError:
            return ""
        text = data[:limit].decode("utf-8", "replace")
        return text + ("\n[... output cut ...]" if len(data) > limit else "")


