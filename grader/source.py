"""Reading a submission: a notebook or a plain module, turned into code cells.

Nothing here runs learner code. Notebooks are read and validated with
nbformat; IPython magics and shell escapes are dropped with a note, because
the sandbox runs plain Python.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from grader._nbformat import nbformat

MAX_INPUT_BYTES = 100 * 1024 * 1024

# Cell magics whose body is still Python; any other cell magic drops the cell.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}


class InputError(Exception):
    """The file cannot be graded at all (exit code 2)."""


@dataclass
class Cell:
    number: int  # 1-based position among all cells of the notebook, as a learner counts them
    source: str


@dataclass
class Submission:
    path: Path
    kind: str  # "notebook" or "module"
    cells: list[Cell]
    notes: list[str] = field(default_factory=list)
    claimed_lesson: str | None = None
    digest: str = ""  # sha256 of the bytes read
    claimed_release: str | None = None  # a class release's id, from the (learner-editable) metadata

    @property
    def code(self) -> str:
        return "\n\n".join(cell.source for cell in self.cells)


def too_big(size: int) -> str:
    return f"{size:,} bytes is more than the {MAX_INPUT_BYTES // 2**20} MB a submission may be"


def _open_regular(path: Path) -> int:
    """An fd on `path` when it is a regular file of at most MAX_INPUT_BYTES; InputError otherwise.

    Opened non-blocking and checked with fstat before any read: a FIFO or a
    device is refused without waiting on it, and the file checked is the one read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    info = os.fstat(fd)
    problem = ""
    if not stat.S_ISREG(info.st_mode):
        problem = "not a file"
    elif info.st_size > MAX_INPUT_BYTES:
        problem = too_big(info.st_size)
    if problem:
        os.close(fd)
        raise InputError(f"{path}: {problem}")
    return fd


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_INPUT_BYTES (a file growing meanwhile is cut there)."""
    fd = _open_regular(path)
    try:
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(MAX_INPUT_BYTES + 1)[:MAX_INPUT_BYTES]
    finally:
        os.close(fd)


def file_digest(path: Path) -> str:
    """sha256 of a regular file's bytes, read in chunks; "" when it is not one or cannot be read."""
    try:
        fd = _open_regular(path)
    except InputError:
        return ""
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "rb", closefd=False) as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return ""
    finally:
        os.close(fd)
    return digest.hexdigest()


def load_submission(path: Path) -> Submission:
    path = Path(path)
    raw = read_regular(path)
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    if path.suffix == ".ipynb":
        submission = _load_notebook(path, text)
    elif path.suffix == ".py":
        submission = Submission(path=path, kind="module", cells=[Cell(1, text)])
    else:
        raise InputError(f"{path}: expected a notebook (.ipynb) or a Python module (.py)")
    submission.digest = digest
    return submission


def _load_notebook(path: Path, text: str) -> Submission:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not a notebook: invalid JSON at line {exc.lineno}, column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:  # a 5000-digit number, 100000 nested lists
        raise InputError(f"{path}: not a notebook: {type(exc).__name__} while reading its JSON") from None
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        raise InputError(f"{path}: not a notebook: no cells")
    major = data.get("nbformat")
    if not isinstance(major, int) or major < 3 or major > 4:
        raise InputError(f"{path}: unsupported notebook format version {major!r} (expected nbformat 4)")
    try:
        with warnings.catch_warnings():
            # Older notebooks have no cell ids; nbformat fills them in and would warn on every grading.
            warnings.simplefilter("ignore")
            # reader + convert + validate: `nbformat.reads` would validate twice and log the error to stderr.
            nb = nbformat.convert(nbformat.reader.reads(text), 4)
            nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        message = str(exc.message if hasattr(exc, "message") else exc).splitlines()[0]
        raise InputError(f"{path}: not a valid notebook: {message}") from None
    except Exception as exc:  # nbformat raises a few kinds on garbage
        raise InputError(f"{path}: not a valid notebook: {exc}") from None

    cells: list[Cell] = []
    notes: list[str] = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        nbgrader = _mapping(cell.metadata.get("nbgrader"))  # any JSON passes the schema here: odd values count as none
        if nbgrader.get("grade") and not nbgrader.get("solution"):
            # An autograded test cell calls the grader itself; the sandbox runs only the learner's code.
            continue
        tags = cell.metadata.get("tags")
        if isinstance(tags, list) and "try-it" in tags:
            # The learner's scratch cell: experiments there must not change the graded state.
            continue
        source, cell_notes = strip_magics(cell.source, number)
        notes.extend(cell_notes)
        if source.strip():
            cells.append(Cell(number, source))
    meta = _mapping(nb.metadata.get("grader"))
    claimed = meta.get("lesson")
    if claimed is not None and not isinstance(claimed, str):
        notes.append("The notebook's metadata names its lesson with something other than a string; it was ignored.")
        claimed = None
    release = meta.get("release")
    return Submission(
        path=path,
        kind="notebook",
        cells=cells,
        notes=notes,
        claimed_lesson=claimed,
        claimed_release=str(release)[:100] if release else None,
    )


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


_MAGIC_LINE = re.compile(r"^(\s*)(%|!|[A-Za-z_][\w.]*\s*=\s*[!%])")


def strip_magics(source: str, cell_number: int) -> tuple[str, list[str]]:
    """Drop IPython-only syntax, keeping line numbers so errors still point at the right line."""
    lines = source.split("\n")
    notes: list[str] = []
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].strip()[2:].split()[0] if lines[0].strip()[2:] else ""
        notes.append(f"Cell {cell_number}: cell magic %%{magic} is not run by the grader.")
        if magic not in PYTHON_CELL_MAGICS:
            return "", notes
        lines[0] = ""
    out = []
    for lineno, line in enumerate(lines, start=1):
        match = _MAGIC_LINE.match(line)
        stripped = line.strip()
        if match or stripped.endswith("?") and re.fullmatch(r"[\w.]+\?\??", stripped):
            notes.append(f"Cell {cell_number}, line {lineno}: skipped IPython-only line `{stripped[:60]}`.")
            out.append(f"{match.group(1) if match else ''}pass")
        else:
            out.append(line)
    return "\n".join(out), notes
