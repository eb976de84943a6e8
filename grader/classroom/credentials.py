"""Where the gradebook URL comes from, kept out of sight of other processes.

A URL on the command line (`--db postgresql://user:pw@...`) is readable by
every process on the machine in /proc/PID/cmdline, learner code included.
So it may also come from a file (`--db-file PATH`, or GRADER_DB_URL_FILE)
or the environment (GRADER_DB_URL). The sandbox never gets either: its
environment is built from scratch (`grader.sandbox.runner`, `.pool`).
Without root the sandbox runs as the grader's own user, who may read
/proc/PID/environ of the grader; `hide_process` makes the grader
non-dumpable, which closes that file (and ptrace) to other processes.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

URL_VARIABLE = "GRADER_DB_URL"
FILE_VARIABLE = "GRADER_DB_URL_FILE"
PR_SET_DUMPABLE = 4


class CredentialError(Exception):
    """The URL file cannot be read or is empty."""


def gradebook_location(db: str | None, db_file: Path | str | None, environ=os.environ) -> str | None:
    """The gradebook URL or path: --db, else --db-file, else $GRADER_DB_URL, else $GRADER_DB_URL_FILE; None: the default."""
    if db:
        return db
    if not db_file and environ.get(URL_VARIABLE):
        return environ[URL_VARIABLE]
    path = db_file or environ.get(FILE_VARIABLE)
    if not path:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialError(
            f"cannot read the gradebook URL from {path}: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    if not text or "\n" in text:
        raise CredentialError(f"{path} must hold the gradebook URL on one line")
    return text


def hide_process() -> None:
    """Make this process non-dumpable (Linux): its environment and memory are then closed to other processes."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass
