"""The error a notebook cell raised since the checks last ran, as the check cells see it.

The learner's cells are tagged `raises-exception`, so *Run All* goes on past a
crash (JupyterLab asks the kernel not to stop on error) and the check cells run
anyway: they should show the crash first, not a to-do list that looks fine.
IPython keeps the last exception in `sys.last_value` for good, so it counts only
when the cell that raised ran after the previous run of the check cell itself.
"""

from __future__ import annotations

import linecache
import sys


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _frames(exc: BaseException):
    """(file name, line) of each frame of the traceback, outermost first; a SyntaxError's own place too."""
    tb = exc.__traceback__
    while tb is not None:
        yield tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    if isinstance(exc, SyntaxError) and exc.filename:
        yield exc.filename, exc.lineno or 0


def _last_run(history: list[str], source: str, before: int) -> int:
    """The execution count of the latest run of `source` before `before`, or -1."""
    wanted = source.strip()
    for count in range(min(before, len(history)) - 1, 0, -1):
        if history[count].strip() == wanted:
            return count
    return -1


def recent_crash() -> str:
    """`Cell [5], line 3: NameError: ...` when a cell raised since the calling check cell last ran, else ""."""
    shell = _shell()
    exc = getattr(sys, "last_value", None)
    if shell is None or exc is None:
        return ""
    history = shell.user_ns.get("In") or []
    current = len(history) - 1  # this check cell's own execution count
    if current < 1:
        return ""
    for filename, line in _frames(exc):
        source = "".join(linecache.getlines(filename))
        if not source:
            continue
        raised_at = _last_run(history, source, current)
        if raised_at < 0:
            continue
        if raised_at < _last_run(history, history[current], current):
            return ""  # raised before the checks last ran: the learner has seen it (or fixed it)
        message = str(exc).strip() or "(no message)"
        return f"{_cell_name(shell, history[raised_at], raised_at)}, line {line}: {type(exc).__name__}: {message}"
    return ""


def _cell_name(shell, source: str, count: int) -> str:
    """`Cell 7`, its position in the notebook as `grader check` counts cells (every cell, from 1), when the
    kernel knows its notebook (JupyterLab sets `__session__`); else `Cell [5]`, the execution count shown beside it."""
    session = shell.user_ns.get("__session__")
    if isinstance(session, str) and session.endswith(".ipynb"):
        import json
        from pathlib import Path

        for path in (Path(session), Path.cwd() / Path(session).name):
            try:
                cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            except (OSError, ValueError, AttributeError):
                continue
            for number, cell in enumerate(cells, start=1):
                text = cell.get("source", "") if isinstance(cell, dict) else ""
                text = "".join(text) if isinstance(text, list) else text
                if isinstance(text, str) and text.strip() == source.strip():
                    return f"Cell {number}"
    return f"Cell [{count}]"
