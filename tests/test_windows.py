"""Windows, as far as this machine can tell: the POSIX-only modules hidden, `sys.platform` set to
"win32", then the `grader` command imported, a notebook graded by `grader check` (its worker too runs
with the modules hidden, through the loopback channel Windows needs) and the in-notebook check run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from grader import build_notebooks
from grader.lessons import get_lesson

ROOT = build_notebooks.repo_root()
LESSON = get_lesson("status-codes")

# Third-party and stdlib modules that choose their Windows code at import (asyncio, subprocess,
# click, rich...) are imported first, as on Linux: what is under test is the grader's own code.
PRETEND_WINDOWS = textwrap.dedent('''
    import sys, importlib.abc
    import asyncio, subprocess, socket, selectors, tempfile, shutil, ctypes, signal
    import fastapi, pydantic, anyio, anyio._backends._asyncio
    if "--connect" not in sys.argv:  # the grader, not its worker
        import click, typer, rich.console, rich.table, rich.panel, rich.progress
        import fastapi.testclient, starlette.testclient, httpx2, nbformat
    POSIX_ONLY = {"resource", "fcntl", "termios", "pwd", "grp"}

    class HidePosixOnly(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in POSIX_ONLY:
                raise ImportError(f"No module named {name!r} (hidden: Windows has none)")
            return None

    for _name in POSIX_ONLY:
        sys.modules.pop(_name, None)
    for _name in [m for m in sys.modules if m == "grader" or m.startswith("grader.")]:
        del sys.modules[_name]
    sys.meta_path.insert(0, HidePosixOnly())
    sys.platform = "win32"
''')

WORKER_PYTHON = """#!/bin/sh
# Stands in for python.exe: the grader starts `python -I -u -m grader.sandbox.worker --connect`.
shift 4
exec {python} -I -u -c '{hook}
import runpy
sys.argv[0] = "worker"
runpy.run_module("grader.sandbox.worker", run_name="__main__", alter_sys=True)' "$@"
"""

SCRIPT = PRETEND_WINDOWS + textwrap.dedent('''
    import json, sys
    from pathlib import Path
    sys.executable = sys.argv[1]  # the worker's interpreter, with the same modules hidden

    import grader.cli  # noqa: F401 - the command imports on Windows
    assert not POSIX_ONLY & set(sys.modules), POSIX_ONLY & set(sys.modules)

    from grader.grade import grade_path
    from grader.sandbox.runner import Limits
    report = grade_path(Path(sys.argv[2]), limits=Limits(load_seconds=60))  # a busy machine starts Python slowly

    from grader import kernel_checks
    from grader.lessons import get_lesson
    namespace = {}
    exec(Path(sys.argv[3]).read_text(), namespace)
    feedback, earned = kernel_checks.exercise_feedback(get_lesson("status-codes"), namespace["app"])
    print(json.dumps({"check": report.to_json(), "notebook_points": earned, "loaded": sorted(POSIX_ONLY & set(sys.modules))}))
''')


def test_check_and_notebook_check_work_without_the_posix_only_modules(tmp_path):
    python = Path(sys.executable)
    worker = tmp_path / "python.exe"
    worker.write_text(WORKER_PYTHON.format(python=python, hook=PRETEND_WINDOWS.replace("'", "'\"'\"'")))
    worker.chmod(0o755)
    solution = tmp_path / "solution.py"
    solution.write_text((LESSON.folder / "solution.py").read_text())
    done = subprocess.run(
        [str(python), "-c", SCRIPT, str(worker), str(ROOT / "solutions" / f"{LESSON.slug}.ipynb"), str(solution)],
        capture_output=True, text=True, timeout=240, cwd=tmp_path, env={**os.environ, "GRADER_POOL": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    report = result["check"]
    assert report["score"] == report["max_score"], [report["output"]] + report["notes"]
    assert any(note.startswith("Windows: your code ran in a child process with time limits only") for note in report["notes"])
    assert result["notebook_points"] == LESSON.exercise_points
    assert result["loaded"] == []


def test_the_loopback_channel_drops_a_connection_without_the_token():
    import socket

    from grader.sandbox.connect import Listener

    listener = Listener()
    port = listener.sock.getsockname()[1]
    intruder = socket.create_connection(("127.0.0.1", port))
    intruder.sendall(b"x" * 32)
    honest = socket.create_connection(("127.0.0.1", port))
    honest.sendall(listener.token.encode())
    conn = listener.accept(timeout=10)
    try:
        conn.sendall(b"hello")
        assert honest.recv(5) == b"hello"
        assert intruder.recv(5) == b""  # dropped
    finally:
        for sock in (conn, honest, intruder):
            sock.close()
