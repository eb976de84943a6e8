"""`grader watch`: grade a file again each time it is saved, until Ctrl-C.

Polling with the standard library: the file's (mtime, size) is looked at
every `interval` seconds; when it changes and stays the same for one more
look (an editor may write in two steps), and its content is new, the file
is graded in the sandbox and the full report shown. SIGTERM stops it as
cleanly as Ctrl-C does.
"""

from __future__ import annotations

import hashlib
import signal
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _content_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


# Erase the scrollback too (xterm, VTE, macOS Terminal, Windows Terminal): a report longer than
# the window would otherwise leave the previous one just above, as if appended.
CLEAR_SCROLLBACK = "\x1b[3J"


def clear_screen(console: Console) -> None:
    console.clear()
    console.file.write(CLEAR_SCROLLBACK)


def grade_and_show(path: Path, lesson_id: str | None, console: Console, round_number: int) -> None:
    from grader.grade import grade_path
    from grader.lessons import UnknownLesson
    from grader.report import render
    from grader.safetext import clean
    from grader.source import InputError

    if console.is_terminal:
        clear_screen(console)
    reason = "started" if round_number == 1 else f"change {round_number - 1}"
    console.rule(f"Graded {escape(clean(path.name))} at {time.strftime('%H:%M:%S')} ({reason})")
    try:
        report = grade_path(path, lesson_id=lesson_id)
    except (InputError, UnknownLesson) as exc:
        console.print(f"[bold red]Cannot grade it yet:[/] {escape(clean(str(exc)))}", highlight=False)
    else:
        render(report, console)
    console.print(
        f"[dim]Watching {escape(clean(str(path)))}: save it to grade it again; Ctrl-C to stop.[/]", highlight=False
    )
    console.file.flush()


def _stop_on_sigterm():
    def handler(signum, frame):
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        return None


def watch(path: Path, lesson_id: str | None = None, interval: float = 0.5, console: Console | None = None) -> int:
    """Grade `path` now and after every change; return the exit code (0) when stopped."""
    console = console or Console()
    previous_handler = _stop_on_sigterm()
    seen_signature = _signature(path)
    seen_hash = _content_hash(path)
    rounds = 1
    try:
        grade_and_show(path, lesson_id, console, rounds)
        while True:
            time.sleep(interval)
            signature = _signature(path)
            if signature == seen_signature:
                continue
            time.sleep(interval)  # let a two-step write finish
            if _signature(path) != signature:
                continue
            seen_signature = signature
            if signature is None:
                console.print(f"[yellow]{path} is gone; waiting for it to come back.[/]", highlight=False)
                console.file.flush()
                continue
            content = _content_hash(path)
            if content == seen_hash:
                continue  # touched, not changed
            seen_hash = content
            rounds += 1
            grade_and_show(path, lesson_id, console, rounds)
    except KeyboardInterrupt:
        console.print("\nStopped watching.")
        console.file.flush()
        return 0
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGTERM, previous_handler)
