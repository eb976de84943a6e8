"""What the learner's code may see of the disk: the one list both confinements use.

The Python runtime (the interpreter's prefix, the site-packages it imports
from, the system's shared libraries and programs), a few harmless files of
/etc and /dev, and this folder (the worker's own code). Not the course tree,
not the lessons an install packages as `grader/_lessons`, not other
submissions, the gradebook or anyone's home.

`grader.sandbox.namespaces` bind-mounts `visible()` into an empty root and
hides its `masked` paths; `grader.sandbox.landlock` allows reading
`readable()`, the same set spelled without the masked paths (Landlock can
only add). Stdlib only: the worker imports it before any learner code runs.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SANDBOX_CODE = str(Path(__file__).resolve().parent)
SYSTEM = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin")
ETC = ("ld.so.cache", "localtime", "mime.types", "passwd", "group", "nsswitch.conf")
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")


@dataclass(frozen=True)
class View:
    folders: tuple[str, ...]  # absolute real paths, none inside another
    files: tuple[str, ...]
    masked: tuple[str, ...]  # paths inside `folders` that stay hidden


def _within(path: str, top: str) -> bool:
    return path == top or path.startswith(top.rstrip("/") + "/")


@lru_cache(maxsize=1)
def visible() -> View:
    """The runtime, for this interpreter (cached: it does not change while the grader runs)."""
    course = str(Path(SANDBOX_CODE).parents[1])  # the checkout an editable install puts on sys.path
    candidates = [sys.base_prefix, sys.base_exec_prefix, *SYSTEM]
    candidates += [p for p in sys.path if p.rstrip("/").endswith("-packages")]
    folders: list[str] = []
    for path in candidates:
        if path and os.path.isdir(path) and os.path.realpath(path) != course:
            folders.append(os.path.realpath(path))
    masked = []
    for folder in folders:
        for sub in ("", f"lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages"):
            package = os.path.join(folder, sub, "grader")
            if folder.rstrip("/").endswith("-packages") or sub:
                if os.path.lexists(package):
                    masked.append(os.path.realpath(package) if sub else package)
    folders.append(SANDBOX_CODE)
    folders = sorted(set(folders))
    folders = [f for f in folders if not any(f != top and _within(f, top) for top in folders if top != SANDBOX_CODE)]
    files = [os.path.realpath(f"/etc/{name}") for name in ETC if os.path.isfile(f"/etc/{name}")]
    files += [d for d in DEVICES if os.path.exists(d)]
    return View(tuple(folders), tuple(dict.fromkeys(files)), tuple(sorted(set(masked))))


def readable(view: View | None = None) -> tuple[list[str], list[str]]:
    """(folders, files) to allow one by one: `visible()` with each masked path carved out."""
    if view is None:
        return _readable()
    folders: list[str] = []
    files = list(view.files)
    for top in view.folders:
        inside = [m for m in view.masked if _within(m, top) and m != top and not _within(SANDBOX_CODE, m)]
        _carve(top, inside, folders, files)
    return folders, files


@lru_cache(maxsize=1)
def _readable() -> tuple[list[str], list[str]]:
    return readable(visible())


def _carve(top: str, masked: list[str], folders: list[str], files: list[str]) -> None:
    if not masked:
        folders.append(top)
        return
    try:
        entries = list(os.scandir(top))
    except OSError:
        return
    for entry in entries:
        if entry.path in masked:
            continue
        below = [m for m in masked if _within(m, entry.path)]
        if below and entry.is_dir(follow_symlinks=False):
            _carve(entry.path, below, folders, files)
        elif entry.is_dir():
            folders.append(entry.path)
        else:
            files.append(entry.path)
