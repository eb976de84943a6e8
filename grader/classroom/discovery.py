"""Finding the submissions in a class folder, without trusting it.

Submissions come from folders, globs, files, or an nbgrader course's
`submitted/<student>/<assignment>/` tree. A class folder is assembled from
what learners hand in, so discovery opens nothing: it looks at each entry
with lstat and turns every odd one into a job with a `problem` (recorded as
unusable with that reason, never opened):

- only regular files are graded: a FIFO, a device, a socket, a broken link
  or a symlink loop is named and skipped (a FIFO is never opened, so it
  cannot block the batch);
- a symlink is followed only to a file inside its own student's folder; one
  that leads elsewhere (another student's file, outside the class folder),
  or any symlink in a flat folder where students are told apart by file
  name, is flagged and not followed, and its reason names no target;
- a file over the size cap is refused before it is read;
- a name that is not UTF-8 is kept distinct with `\\xff` escapes;
- two students never share a job: jobs are told apart by (student, file).
"""

from __future__ import annotations

import errno
import glob
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.lessons import Lesson, all_lessons
from grader.safetext import file_name
from grader.source import MAX_INPUT_BYTES, too_big

SUBMISSION_SUFFIXES = (".ipynb", ".py")
SKIP_DIRS = {".ipynb_checkpoints", "__pycache__", ".git", ".venv", "node_modules"}
GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Job:
    """One file to grade, and whose it is."""

    student: str
    path: Path  # what is read: the file, or the target of a symlink that may be followed
    lesson_id: str | None = None  # forced lesson (nbgrader assignment or --lesson); else the grader decides
    problem: str = ""  # found by discovery: not graded, recorded as unusable with this reason

    @property
    def source(self) -> str:
        """The path as stored and shown (bytes that are not UTF-8 escaped)."""
        return file_name(self.path)


# -- names ----------------------------------------------------------------------------


def lesson_names() -> dict[str, Lesson]:
    names = {}
    for lesson in all_lessons():
        names[lesson.slug] = lesson
        names[lesson.id] = lesson
    return names


def split_stem(stem: str, names: dict[str, Lesson]) -> tuple[str, Lesson | None]:
    """`alice-01-status-codes` -> (`alice`, lesson 01): a lesson name written before or after the student's."""
    if stem in names:
        return "", names[stem]
    for name in sorted(names, key=len, reverse=True):
        if len(stem) <= len(name) + 1:
            continue
        for sep in ("-", "_", "."):
            if stem.endswith(sep + name):
                return stem[: -len(name) - 1], names[name]
            if stem.startswith(name + sep):
                return stem[len(name) + 1 :], names[name]
    return stem, None


def student_from_stem(stem: str, names: dict[str, Lesson]) -> str:
    return split_stem(stem, names)[0]


def lesson_in_name(path: Path, names: dict[str, Lesson]) -> Lesson | None:
    """The lesson a file's name gives (`alice-01-status-codes.ipynb`), if any."""
    return split_stem(file_name(path.stem), names)[1]


def _owner(path: Path, root: Path | None, names: dict[str, Lesson]) -> tuple[str, Path | None]:
    """Whose file this is, and the folder that is theirs alone (None when students share the folder).

    The first folder under the root names the student; else the file's name;
    else (the name is just a lesson's) its folder's name. Paths are taken as
    given, never resolved: a symlinked folder must not lend another's name.
    """
    if root is not None:
        relative = path.relative_to(root)
        if len(relative.parts) > 1:
            return file_name(relative.parts[0]), root / relative.parts[0]
    stem = file_name(path.stem)
    if stem in names:  # `alice/01-status-codes.ipynb`: the folder names the student
        folder = Path(os.path.abspath(path)).parent
        return file_name(folder.name), folder
    return student_from_stem(stem, names), None


# -- looking at one entry without opening it --------------------------------------------


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def examine(path: Path, area: Path | None) -> tuple[Path, str]:
    """(the path to read, problem): problem is "" for a regular file (or a symlink to one inside `area`)."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return path, f"cannot be looked at ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        try:
            target = Path(os.path.realpath(path, strict=True))
        except OSError as exc:
            return path, "a symlink loop: skipped" if exc.errno == errno.ELOOP else "a symlink to nothing: skipped"
        if area is None:
            return path, "a symlink, not followed where students share a folder: hand in the file itself"
        if not target.is_relative_to(os.path.realpath(area)):
            return path, f"a symlink to a file outside {file_name(area.name)}'s folder: not followed"
        path, info = target, os.stat(target)
    if not stat.S_ISREG(info.st_mode):
        return path, f"{_kind(info.st_mode)}, not a file: skipped"
    if info.st_size > MAX_INPUT_BYTES:
        return path, too_big(info.st_size)
    return path, ""


def _job(
    path: Path, root: Path | None, names: dict[str, Lesson], lesson_id: str | None = None, follow: bool = False
) -> Job:
    student, area = _owner(path, root, names)
    target, problem = examine(path, Path("/") if follow else area)
    return Job(student, target if not problem else Path(os.path.abspath(path)), lesson_id, problem)


def _walk(folder: Path) -> tuple[list[Path], list[Path]]:
    """Candidate files (by suffix) and symlinked folders (never entered) under `folder`."""
    found: list[Path] = []
    linked: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):  # does not follow symlinked folders
        here = Path(dirpath)
        kept = []
        for name in sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")):
            if (here / name).is_symlink():
                linked.append(here / name)
            else:
                kept.append(name)
        dirnames[:] = kept
        found.extend(here / name for name in sorted(filenames) if name.endswith(SUBMISSION_SUFFIXES))
    return found, linked


def _folder_jobs(
    folder: Path, names: dict[str, Lesson], lesson_for=lambda path: None, accept=lambda path: True
) -> list[Job]:
    files, linked = _walk(folder)
    jobs = [_job(path, folder, names, lesson_for(path)) for path in files if accept(path)]
    for path in linked:
        student = _owner(path, folder, names)[0]
        jobs.append(Job(student, Path(os.path.abspath(path)), lesson_for(path), "a symlinked folder: not followed"))
    return jobs


def nbgrader_submitted(folder: Path) -> Path | None:
    """The `submitted/` folder when `folder` is it or is an nbgrader course root."""
    if folder.name == "submitted":
        return folder
    if (folder / "submitted").is_dir() and (folder / "nbgrader_config.py").is_file():
        return folder / "submitted"
    return None


def _nbgrader_jobs(submitted: Path, names: dict[str, Lesson]) -> list[Job]:
    """Notebooks in `submitted/<student>/<assignment>/`; the assignment's name gives the lesson."""

    def assignment_lesson(path: Path) -> str | None:
        parts = path.relative_to(submitted).parts
        lesson = names.get(parts[1]) if len(parts) > 2 else None
        return lesson.id if lesson else None

    def accept(path: Path) -> bool:
        return path.suffix == ".ipynb" and len(path.relative_to(submitted).parts) > 2

    return _folder_jobs(submitted, names, assignment_lesson, accept)


def discover(specs: Iterable[str | Path], lesson_id: str | None = None) -> tuple[list[Job], list[str]]:
    """Expand folders, globs and files into jobs; return them and the specs that matched nothing."""
    names = lesson_names()
    jobs: dict[tuple[str, Path], Job] = {}
    unmatched = []

    def add(job: Job) -> None:
        if lesson_id:
            job = Job(job.student, job.path, lesson_id, job.problem)
        jobs.setdefault((job.student, job.path), job)

    for spec in specs:
        text = str(spec)
        path = Path(text).expanduser()
        before = len(jobs)
        if path.is_dir():  # named by the instructor: followed even when it is a symlink
            submitted = nbgrader_submitted(path)
            for job in _nbgrader_jobs(submitted, names) if submitted is not None else _folder_jobs(path, names):
                add(job)
        elif path.exists() or path.is_symlink():
            add(_job(path, None, names, follow=True))  # named by the instructor: a symlink is followed
        elif GLOB_CHARS & set(text):
            for match in sorted(glob.glob(os.path.expanduser(text), recursive=True)):
                if match.endswith(SUBMISSION_SUFFIXES):
                    add(_job(Path(match), None, names))
        if len(jobs) == before:
            unmatched.append(text)
    return list(jobs.values()), unmatched
