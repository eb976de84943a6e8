"""The `grader` command."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from grader.lessons import UnknownLesson

app = typer.Typer(
    help="Grade FastAPI response-contract exercises.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Click's plain help: rich markup would eat `[default: ...]` and label every flag `<bool>`.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
# soft_wrap: a message is one line however long its paths (rich wraps at 80 columns, even inside a
# path, when the stream is not a terminal); tables still fit the width.
err = Console(stderr=True, soft_wrap=True)

EXIT_UNUSABLE = 2


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("fastapi-response-course")
    except PackageNotFoundError:  # run from a checkout that is not installed
        from grader import __version__

        return __version__


def is_loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"grader {version()}\n")
        raise typer.Exit()


@app.callback()
def _options(
    show_version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_print_version, help="Print the grader's version and exit."
    ),
) -> None:
    """Grade FastAPI response-contract exercises."""


def _gradebook_location(db: str | None, db_file: Path | None) -> str | None:
    """--db, --db-file, GRADER_DB_URL or GRADER_DB_URL_FILE (see grader.classroom.credentials); exits 2 on an unreadable file."""
    from grader.classroom.credentials import CredentialError, gradebook_location, hide_process

    hide_process()  # the URL may hold a password: keep this process's memory and environment private
    try:
        return gradebook_location(db, db_file)
    except CredentialError as exc:
        _unusable(str(exc))


@contextmanager
def _reaching_the_gradebook(url: str):
    """A database that cannot be reached is one line naming it, not SQLAlchemy's traceback."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    try:
        yield
    except OperationalError as exc:
        lines = str(exc.orig if exc.orig is not None else exc).strip().splitlines()
        shown = make_url(url).render_as_string(hide_password=True)
        _unusable(f"cannot reach the gradebook at {shown}: {lines[0] if lines else type(exc).__name__}")


def _unusable(message: str) -> NoReturn:
    # escape: a path like `nb [copy].ipynb` is not markup.
    from grader.safetext import clean  # the message may quote a file name or its contents

    err.print(f"[bold red]error:[/] {escape(clean(message))}", highlight=False)
    raise typer.Exit(EXIT_UNUSABLE)


def _warn_if_weakly_confined() -> None:
    from grader.sandbox.runner import confinement_report

    missing = confinement_report()
    if missing:
        err.print(
            f"[yellow]warning:[/] confinement is weak here; missing: {escape('; '.join(missing))}",
            highlight=False,
        )


# -- the gradebook (batch, export, quiz-stats, dashboard) --

DB_OPTION = typer.Option(
    None,
    "--db",
    help="Gradebook: a SQLAlchemy URL or a SQLite file path [default: $GRADER_DB_URL, else gradebook.db]."
    " A URL with a password here is visible to every process: use --db-file or GRADER_DB_URL.",
)
DB_FILE_OPTION = typer.Option(
    None, "--db-file", help="A file holding the gradebook URL on one line [default: $GRADER_DB_URL_FILE]."
)


# -- quizzes: private questions and class releases (check, batch, release, nbgrader) --

QUESTIONS_OPTION = typer.Option(
    None,
    "--questions",
    envvar="GRADER_QUESTIONS",
    help="Private graded questions: a TOML file or folder of them, kept outside the course.",
)
RELEASE_KEY_OPTION = typer.Option(
    None,
    "--release-key",
    envvar="GRADER_RELEASE_KEY",
    help="The key of a class release (grader-release-key.json): scores its shuffled quizzes.",
)


def _quiz_source(questions: Path | None, release_key: Path | None, *paths: Path):
    from grader.classroom.private_questions import load_overrides
    from grader.classroom.release_key import ReleaseKeyError, key_from
    from grader.quiz import QuizFormatError
    from grader.quiz_source import QuizSource

    try:
        source = QuizSource(load_overrides(questions), key_from(release_key, *paths))
    except (QuizFormatError, ReleaseKeyError) as exc:
        _unusable(str(exc))
    _warn_if_published(questions)
    return source


def _warn_if_published(questions: Path | None) -> None:
    from grader.classroom.answers_out_of_git import exposed

    if questions is not None and exposed(questions):
        err.print(
            f"[yellow]warning:[/] {escape(str(questions))} is in a git repository and not ignored: "
            "`git add -A` would publish your private questions. Move them outside, or add them to .gitignore.",
            highlight=False,
        )


@app.command()
def check(
    path: Path = typer.Argument(..., help="The notebook (.ipynb) or module (.py) to grade."),
    lesson: str | None = typer.Option(
        None, "--lesson", "-l", help="Lesson id (e.g. status-codes); default: from the notebook, else the file name."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object instead of the report."),
    seed: int | None = typer.Option(None, help="Seed for the randomised inputs (to replay a run)."),
    questions: Path | None = QUESTIONS_OPTION,
    release_key: Path | None = RELEASE_KEY_OPTION,
) -> None:
    """Grade one submission and show the report. Exit 0 when graded, 2 on unusable input."""
    from grader.grade import grade_path
    from grader.report import render, to_json
    from grader.source import InputError

    _warn_if_weakly_confined()
    quizzes = _quiz_source(questions, release_key)
    try:
        report = grade_path(path, lesson_id=lesson, seed=seed, quizzes=quizzes)
    except (InputError, UnknownLesson) as exc:
        _unusable(str(exc).strip("'\""))
    if json_output:
        sys.stdout.write(to_json(report) + "\n")
    else:
        render(report)


@app.command()
def hint(
    path: Path = typer.Argument(..., help="The notebook (.ipynb) or module (.py) you are working on."),
    check_name: str | None = typer.Argument(
        None, metavar="CHECK", help="A check's name, number or a word of its title; default: the next check to fix."
    ),
    lesson: str | None = typer.Option(
        None, "--lesson", "-l", help="Lesson id; default: from the notebook, else the file name."
    ),
) -> None:
    """Show a check's hint; without CHECK, grade the file and show the next failing check's hint."""
    from grader.hints import UnknownCheck, show_hint
    from grader.source import InputError

    try:
        show_hint(path, lesson, check_name)
    except (InputError, UnknownLesson, UnknownCheck) as exc:
        _unusable(str(exc).strip("'\""))


@app.command("lessons")
def list_lessons() -> None:
    """List the lessons and their ids."""
    from rich.table import Table

    from grader.lessons import all_lessons

    table = Table("#", "id", "title", "exercise")
    for item in all_lessons():
        table.add_row(f"{item.number:02d}", item.id, item.title, item.exercise)
    Console().print(table)


@app.command()
def batch(
    paths: list[str] = typer.Argument(
        ..., help="Folders, files or globs; an nbgrader course (or its submitted/ folder) takes student ids from it."
    ),
    db: str | None = DB_OPTION,
    db_file: Path | None = DB_FILE_OPTION,
    jobs: int | None = typer.Option(
        None, "--jobs", "-j", min=1, help="Submissions graded at once [default: twice the number of cores]."
    ),
    regrade: bool = typer.Option(False, "--regrade", help="Grade again what the gradebook already has."),
    lesson: str | None = typer.Option(None, "--lesson", "-l", help="Grade every file as this lesson."),
    json_output: bool = typer.Option(False, "--json", help="Print the summary as JSON instead of a table."),
    questions: Path | None = QUESTIONS_OPTION,
    release_key: Path | None = RELEASE_KEY_OPTION,
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="Grade on a Dask cluster: its scheduler's address (tcp://HOST:PORT); --jobs then caps the submissions sent at once.",
    ),
) -> None:
    """Grade many submissions into a gradebook; a rerun skips what is already graded."""
    import json
    from functools import partial

    from grader.classroom.batch import discover, grade_one, run_batch
    from grader.classroom.batch_view import progress_display, render_summary
    from grader.classroom.gradebook import Gradebook, database_url
    from grader.lessons import get_lesson

    if lesson:
        try:
            lesson = get_lesson(lesson).id
        except UnknownLesson as exc:
            _unusable(str(exc).strip("'\""))
    _warn_if_weakly_confined()
    found, unmatched = discover(paths, lesson_id=lesson)
    for spec in unmatched:
        err.print(f"[yellow]warning:[/] no submissions in {escape(spec)}", highlight=False)
    if not found:
        _unusable("no submissions found (.ipynb or .py files)")
    db = _gradebook_location(db, db_file)
    # A class release's key: the one of the course the paths are in, found from any folder of it.
    quizzes = _quiz_source(questions, release_key, *(Path(p) for p in paths if Path(p).exists()))
    grade = partial(grade_one, quizzes=quizzes)
    with (
        _reaching_the_gradebook(database_url(db)),
        Gradebook(db) as gradebook,
        _backend(scheduler, jobs, grade) as backend,
    ):
        with progress_display(err) as (on_start, on_result):
            summary = run_batch(
                found,
                gradebook,
                workers=jobs,
                regrade=regrade,
                on_start=on_start,
                on_result=on_result,
                grade=grade,
                backend=backend,
            )
        if json_output:
            data = {
                "found": summary.found,
                "skipped": summary.skipped,
                "counts": dict(summary.counts),
                "outcomes": [
                    {
                        "student": o.student,
                        "source": o.source,
                        "lesson": o.lesson_id,
                        "status": o.status,
                        "score": o.score,
                        "max_score": o.max_score,
                        "reason": o.reason,
                    }
                    for o in summary.outcomes
                ],
                "needs_a_look": [
                    {"student": o.student, "source": o.source, "why": why} for o, why in summary.needs_a_look()
                ],
            }
            sys.stdout.write(json.dumps(data, indent=2) + "\n")
        else:
            render_summary(summary, gradebook.display_url, Console())


@contextmanager
def _backend(scheduler: str | None, jobs: int | None, grade):
    """None (a local batch, which imports no Dask), or the Dask cluster at `scheduler`."""
    if scheduler is None:
        yield None
        return
    try:
        from grader.classroom.cluster import ClusterError, DaskBackend
    except ImportError as exc:
        _unusable(
            f"--scheduler needs Dask ({exc}): run `make setup-instructor` in the course folder (it installs the scale-out extra)"
        )

    def notify(message: str) -> None:
        err.print(f"[yellow]warning:[/] {escape(message)}", highlight=False)

    try:
        with DaskBackend(scheduler, in_flight=jobs, notify=notify, grade=grade) as backend:
            yield backend
    except ClusterError as exc:  # no scheduler, no worker with this course, or the cluster went away mid-batch
        _unusable(str(exc))


class ExportFormat(str, Enum):
    csv = "csv"
    canvas = "canvas"
    moodle = "moodle"
    gradescope = "gradescope"
    exercism = "exercism"


@app.command()
def export(
    format: ExportFormat = typer.Argument(
        ...,
        help="csv; canvas or moodle (their gradebook imports, from --roster); gradescope or exercism (results.json per learner; exercism is read by GitHub Classroom).",
    ),
    db: str | None = DB_OPTION,
    db_file: Path | None = DB_FILE_OPTION,
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="CSV formats: the file [default: stdout]. JSON: the folder that gets <student>/results.json.",
    ),
    lessons: list[str] | None = typer.Option(
        None,
        "--lesson",
        "-l",
        metavar="ID",
        help="Only these lessons (repeat the option) [default: the release's lessons, else those with results].",
    ),
    student: str | None = typer.Option(
        None, "--student", help="Only this learner; a JSON format then prints to stdout without --out."
    ),
    roster: Path | None = typer.Option(
        None,
        "--roster",
        help="canvas, moodle: a CSV mapping each submission id to the LMS's identifiers (see the instructor guide).",
    ),
    release_key: Path | None = RELEASE_KEY_OPTION,
    docs_url: str | None = typer.Option(
        None,
        "--docs-url",
        help="Where learners read the course site; feedback links point there [default: $GRADER_DOCS_URL, else http://127.0.0.1:8000/].",
    ),
) -> None:
    """Export the gradebook: a CSV, Canvas's or Moodle's gradebook import, or Gradescope or Exercism results.json files."""
    import functools
    import json

    from grader.classroom import exports
    from grader.classroom.gradebook import Gradebook, database_url
    from grader.classroom.release_key import ReleaseKeyError, key_from
    from grader.lessons import get_lesson

    kind = format.value
    if kind in ("canvas", "moodle") and roster is None:
        _unusable(f"{kind} matches learners by its own identifiers: pass --roster FILE (see the instructor guide)")
    db = _gradebook_location(db, db_file)
    url = database_url(db)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        _unusable(f"no gradebook at {url.removeprefix('sqlite:///')}: run `grader batch` first")
    try:
        lesson_ids = [get_lesson(item).id for item in lessons] if lessons else None
        key = None if lesson_ids else key_from(release_key, Path.cwd())
        by_instructor = lesson_ids is not None
    except (UnknownLesson, ReleaseKeyError) as exc:
        _unusable(str(exc).strip("'\""))
    with _reaching_the_gradebook(url), Gradebook(db) as gradebook:
        if lesson_ids is None:
            default, which = exports.class_lessons(gradebook, key)
            lesson_ids = [lesson.id for lesson in default]
            err.print(
                f"Lessons: {', '.join(lesson.slug for lesson in default) or 'none'} ({which}; --lesson to choose).",
                highlight=False,
            )
        rows = exports.learners(gradebook, lesson_ids, chosen=by_instructor)
    if student is not None:
        rows = [r for r in rows if r.student == student]
        if not rows:
            _unusable(f"no results for student {student!r}")
    chosen_lessons = [get_lesson(i) for i in lesson_ids]
    if kind in ("csv", "canvas", "moodle"):
        text = (
            exports.to_csv(rows, chosen_lessons) if kind == "csv" else _from_roster(kind, roster, rows, chosen_lessons)
        )
        if out is None:
            sys.stdout.write(text)
        else:
            out.write_text(text)
            err.print(f"Wrote {_count(len(rows), 'learner')} to {escape(str(out))}", highlight=False)
        return
    from grader.lessons import docs_url as docs_base

    if is_loopback(docs_base(docs_url)):
        err.print(
            f"[yellow]warning:[/] feedback links point at {escape(docs_base(docs_url))}, which learners cannot open: "
            "pass --docs-url URL or set GRADER_DOCS_URL (see the instructor guide).",
            highlight=False,
        )
    build = functools.partial(exports.BUILDERS[kind], docs_base=docs_url)
    if out is None:
        if len(rows) != 1:
            _unusable(f"{kind} writes one results.json per learner: pass --out FOLDER (or --student ID)")
        sys.stdout.write(json.dumps(build(rows[0]), indent=2, ensure_ascii=False) + "\n")
        return
    written = exports.write_per_learner(rows, out, build)
    err.print(f"Wrote {_count(len(written), 'results.json file')} under {escape(str(out))}", highlight=False)


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _from_roster(kind: str, roster_path: Path | None, rows, lessons) -> str:
    """Canvas's or Moodle's import, for the learners the roster names; who is missing either way is said."""
    from grader.classroom.roster import WRITERS, RosterError, load_roster, match

    assert roster_path is not None
    try:
        matched = match(load_roster(roster_path), rows)
        text = WRITERS[kind](matched, lessons)
    except RosterError as exc:
        _unusable(str(exc))
    for label, names in (
        ("in the roster, with no submission", matched.no_submission),
        ("graded, not in the roster (left out of the file)", matched.no_entry),
    ):
        if names:
            err.print(f"[yellow]warning:[/] {label}: {escape(', '.join(names))}", highlight=False)
    return text


@app.command()
def progress(
    folder: Path | None = typer.Option(
        None, "--dir", help="The folder with your exercise notebooks (default: exercises/)."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print JSON instead of the table."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Grade every notebook again, ignoring .grader-cache/."),
) -> None:
    """Show every lesson's exercise and quiz scores from your notebooks, and what to do next."""
    import json
    from dataclasses import asdict

    from grader import progress as course_progress
    from grader.workspace import exercises_dir

    folder = exercises_dir(folder)
    rows = course_progress.collect(folder, use_cache=not no_cache)
    if json_output:
        data = {"lessons": [asdict(row) for row in rows], "next_step": course_progress.next_step(rows)}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        course_progress.render(rows, folder)


@app.command()
def watch(
    path: Path = typer.Argument(..., help="The notebook (.ipynb) or module (.py) to watch."),
    lesson: str | None = typer.Option(
        None, "--lesson", "-l", help="Lesson id; default: from the notebook, else the file name."
    ),
    interval: float = typer.Option(0.5, help="Seconds between looks at the file."),
) -> None:
    """Grade a notebook again each time it is saved, until Ctrl-C."""
    from grader.watch import watch as watch_file

    if not path.is_file():
        _unusable(f"{path}: no such file")
    raise typer.Exit(watch_file(path, lesson_id=lesson, interval=interval))


@app.command()
def reset(
    lesson: str = typer.Argument(..., help="Lesson id, number or notebook name (e.g. 01, status-codes)."),
    folder: Path | None = typer.Option(
        None, "--dir", help="The folder with your exercise notebooks (default: exercises/)."
    ),
) -> None:
    """Put a fresh exercise notebook in place; yours is kept in .grader-backups/."""
    from grader.lessons import get_lesson
    from grader.reset import ResetError, reset_exercise
    from grader.workspace import exercises_dir

    try:
        chosen = get_lesson(lesson.removesuffix(".ipynb").split("/")[-1])
        result = reset_exercise(chosen, exercises_dir(folder))
    except (UnknownLesson, ResetError) as exc:
        _unusable(str(exc).strip("'\""))
    out = Console(highlight=False, soft_wrap=True)
    if not result.changed:
        out.print(f"{escape(str(result.path))} is already a fresh notebook: nothing to do.")
        return
    if result.backup:
        out.print(f"Saved your notebook as [bold]{escape(str(result.backup))}[/] (copy it back to undo).")
    out.print(f"Restored a fresh [bold]{escape(str(result.path))}[/].")
    out.print(
        "If it is open in JupyterLab, use File → Reload Notebook from Disk, so the old version is not saved over it."
    )


@app.command()
def release(
    out: Path = typer.Argument(..., help="The folder to write (for --nbgrader: the nbgrader course folder)."),
    shuffle_seed: int | None = typer.Option(
        None, "--shuffle-seed", help="Seed for the choice order (to rebuild the same order) [default: random]."
    ),
    questions: Path | None = QUESTIONS_OPTION,
    nbgrader: bool = typer.Option(
        False,
        "--nbgrader",
        help="Make OUT an nbgrader course: config, source/ and release/ (runs nbgrader generate_assignment).",
    ),
    lessons: list[str] | None = typer.Option(
        None, "--lesson", "-l", help="Only these lessons (repeat the option) [default: all]."
    ),
) -> None:
    """Build a class release: shuffled quizzes that record answers; the key stays with you."""
    from grader.classroom.private_questions import load_overrides
    from grader.classroom.release import ReleaseError, build_release
    from grader.lessons import all_lessons, get_lesson
    from grader.quiz import QuizFormatError

    _warn_if_published(questions)
    try:
        chosen = [get_lesson(item) for item in lessons] if lessons else all_lessons()
        made = build_release(out, chosen, load_overrides(questions), shuffle_seed, nbgrader)
    except (UnknownLesson, QuizFormatError, ReleaseError, FileNotFoundError) as exc:
        _unusable(str(exc).strip("'\""))
    say = Console(highlight=False, soft_wrap=True)
    say.print(f"Release {made.key.release}: {_count(len(made.notebooks), 'notebook')} for learners:")
    for path in made.notebooks:
        say.print(f"  {escape(str(path))}")
    say.print(
        f"Keep [bold]{escape(str(made.key_path))}[/]: it scores this release's quizzes (grader batch finds it from any folder of the course; elsewhere pass --release-key). Never hand it out."
    )
    if made.gitignore is not None:
        say.print(f"{escape(str(made.gitignore))} keeps the key, source/ and the learners' work out of git.")


@app.command(
    "nbgrader",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
def nbgrader_command(ctx: typer.Context) -> None:
    """Run nbgrader with this venv on PATH (and a class release's key, in its course folder)."""
    from grader.classroom.nbgrader_course import run_nbgrader

    try:
        done = run_nbgrader(list(ctx.args))
    except FileNotFoundError as exc:
        _unusable(str(exc))
    raise typer.Exit(done.returncode)


def readable_help(command) -> None:
    """Metavars a reader knows (`PATHS...`, `--jobs N`, `--db TEXT`, `[csv|canvas|...]`), not Typer's
    `{paths}`, `<list[str]>` and `<int range>`. Set on the Click command tree `main` runs."""
    for sub in getattr(command, "commands", {}).values():
        readable_help(sub)
    for param in command.params:
        if param.metavar is not None or getattr(param, "is_flag", False):
            continue
        kind = getattr(param, "type_descriptor", None)
        choices = (
            "[" + "|".join(str(getattr(c, "value", c)) for c in kind.choices or ()) + "]"
            if kind and kind.is_choice
            else ""
        )
        if param.param_type_name == "argument":
            name = (param.name or "arg").upper() + ("..." if param.nargs != 1 else "")
            param.metavar = (param.name or "arg").upper()
            param._usage_display_name = lambda name=name, required=param.required: name if required else f"[{name}]"
            param.display_type_rich = lambda ctx, choices=choices: choices  # no `<list[str]>` after the name
            continue
        if choices:
            param.metavar = choices
        elif kind is not None and kind.is_path:
            param.metavar = "PATH"
        elif kind is not None and (kind.is_ranged or kind.annotation is int):
            param.metavar = "N"
        else:
            param.metavar = "TEXT"


def main() -> None:
    """Run the command line (`grader.entry.main` warms the sandbox's zygote first)."""
    command = typer.main.get_command(app)
    readable_help(command)
    command(prog_name="grader")


# -- class insights: item statistics and the dashboard ------------------------------


def _existing_gradebook(db: str | None, db_file: Path | None) -> str | None:
    from grader.classroom.gradebook import database_url

    db = _gradebook_location(db, db_file)
    url = database_url(db)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        _unusable(f"no gradebook at {url.removeprefix('sqlite:///')}: run `grader batch` first")
    return db


@app.command("quiz-stats")
def quiz_stats(
    db: str | None = DB_OPTION,
    db_file: Path | None = DB_FILE_OPTION,
    lessons: list[str] | None = typer.Option(None, "--lesson", "-l", help="Only these lessons [default: all]."),
    questions: Path | None = QUESTIONS_OPTION,
    json_output: bool = typer.Option(False, "--json", help="Print JSON instead of the table."),
) -> None:
    """Item statistics of the graded quizzes: facility, discrimination, choices picked, flags."""
    import json

    from grader.classroom.gradebook import Gradebook
    from grader.classroom.quiz_stats import item_stats
    from grader.classroom.quiz_stats_view import render_stats
    from grader.lessons import get_lesson

    db = _existing_gradebook(db, db_file)
    try:
        lesson_ids = [get_lesson(item).id for item in lessons] if lessons else None
    except UnknownLesson as exc:
        _unusable(str(exc).strip("'\""))
    overrides = _quiz_source(questions, None).overrides
    with Gradebook(db) as gradebook:
        stats = item_stats(gradebook, lesson_ids, overrides)
    if json_output:
        sys.stdout.write(json.dumps([s.to_json() for s in stats], indent=2, ensure_ascii=False) + "\n")
    else:
        render_stats(stats, Console())


@app.command()
def dashboard(
    db: str | None = DB_OPTION,
    db_file: Path | None = DB_FILE_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to serve on; beyond loopback a token is required."),
    port: int = typer.Option(0, "--port", help="Port [default: a free one]."),
    html: Path | None = typer.Option(None, "--html", help="Write the pages as static files into this folder and exit."),
    questions: Path | None = QUESTIONS_OPTION,
    docs_url: str | None = typer.Option(
        None,
        "--docs-url",
        help="Where learners read the course site, for links in exports [default: $GRADER_DOCS_URL].",
    ),
) -> None:
    """A read-only web view of the gradebook: overview, contract lines, learners, quiz items, needs a look."""
    from grader.classroom.dashboard.pages import Site
    from grader.classroom.gradebook import Gradebook

    db = _existing_gradebook(db, db_file)
    overrides = _quiz_source(questions, None).overrides
    with Gradebook(db) as gradebook:
        site = Site(gradebook, overrides, docs_url)
        if html is not None:
            from grader.classroom.dashboard.static import write_site

            pages = write_site(site, html)
            err.print(f"Wrote {len(pages)} pages under {escape(str(html))} (open index.html)", highlight=False)
            return
        from grader.classroom.dashboard.serve import serve

        serve(site, host, port, lambda line: sys.stdout.write(line + "\n") and sys.stdout.flush())
