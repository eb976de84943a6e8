"""The `grader` command."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

# nbformat (under grader.source) validates with jsonschema, whose optional IRI
# checker (rfc3987-syntax, which Jupyter installs) compiles a grammar for about
# a second at import; notebook schemas use no IRI format, so the command skips it.
sys.modules.setdefault("rfc3987_syntax", None)

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.markup import escape  # noqa: E402

from grader.lessons import UnknownLesson  # noqa: E402

app = typer.Typer(
    help="Grade FastAPI response-contract exercises.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)

EXIT_UNUSABLE = 2


def _unusable(message: str) -> None:
    # escape: a path like `nb [copy].ipynb` is not markup. soft_wrap: one line however long the path
    # (rich wraps at 80 columns when stderr is not a terminal).
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_UNUSABLE)


@app.command()
def check(
    path: Path = typer.Argument(..., help="The notebook (.ipynb) or module (.py) to grade."),
    lesson: Optional[str] = typer.Option(None, "--lesson", "-l", help="Lesson id (e.g. status-codes); default: from the notebook, else the file name."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object instead of the report."),
    seed: Optional[int] = typer.Option(None, help="Seed for the randomised inputs (to replay a run)."),
) -> None:
    """Grade one submission and show the report. Exit 0 when graded, 2 on unusable input."""
    from grader.grade import grade_path
    from grader.source import InputError
    from grader.report import render, to_json

    try:
        report = grade_path(path, lesson_id=lesson, seed=seed)
    except (InputError, UnknownLesson) as exc:
        _unusable(str(exc).strip("'\""))
    if json_output:
        sys.stdout.write(to_json(report) + "\n")
    else:
        render(report)


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
    paths: list[str] = typer.Argument(..., help="Folders, files or globs; an nbgrader course (or its submitted/ folder) takes student ids from it."),
    db: Optional[str] = typer.Option(None, "--db", help="Gradebook: a SQLAlchemy URL or a SQLite file path [default: gradebook.db]."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Submissions graded at once [default: twice the number of cores]."),
    regrade: bool = typer.Option(False, "--regrade", help="Grade again what the gradebook already has."),
    lesson: Optional[str] = typer.Option(None, "--lesson", "-l", help="Grade every file as this lesson."),
    json_output: bool = typer.Option(False, "--json", help="Print the summary as JSON instead of a table."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", help="Grade on a Dask cluster: its scheduler's address (tcp://HOST:PORT); --jobs then caps the submissions sent at once."
    ),
) -> None:
    """Grade many submissions into a gradebook; a rerun skips what is already graded."""
    import json

    from grader.batch import discover, run_batch
    from grader.batch_view import progress_display, render_summary
    from grader.gradebook import Gradebook
    from grader.lessons import get_lesson

    if lesson:
        try:
            lesson = get_lesson(lesson).id
        except UnknownLesson as exc:
            _unusable(str(exc).strip("'\""))
    found, unmatched = discover(paths, lesson_id=lesson)
    for spec in unmatched:
        err.print(f"[yellow]warning:[/] no submissions in {spec}", highlight=False)
    if not found:
        _unusable("no submissions found (.ipynb or .py files)")
    with Gradebook(db) as gradebook, _backend(scheduler, jobs) as backend:
        with progress_display(err) as (on_start, on_result):
            summary = run_batch(found, gradebook, workers=jobs, regrade=regrade, on_start=on_start, on_result=on_result, backend=backend)
        if json_output:
            data = {
                "found": summary.found,
                "skipped": summary.skipped,
                "counts": dict(summary.counts),
                "outcomes": [
                    {"student": o.student, "source": o.source, "lesson": o.lesson_id, "status": o.status,
                     "score": o.score, "max_score": o.max_score, "reason": o.reason}
                    for o in summary.outcomes
                ],
            }
            sys.stdout.write(json.dumps(data, indent=2) + "\n")
        else:
            render_summary(summary, gradebook.display_url, Console())


@contextmanager
def _backend(scheduler: str | None, jobs: int | None):
    """None (a local batch, which imports no Dask), or the Dask cluster at `scheduler`."""
    if scheduler is None:
        yield None
        return
    try:
        from grader.cluster import ClusterError, DaskBackend
    except ImportError as exc:
        _unusable(f"--scheduler needs Dask ({exc}): install the course with its scale-out extra, `pip install '.[scale-out]'`")

    def notify(message: str) -> None:
        err.print(f"[yellow]warning:[/] {escape(message)}", highlight=False, soft_wrap=True)

    try:
        with DaskBackend(scheduler, in_flight=jobs, notify=notify) as backend:
            yield backend
    except ClusterError as exc:  # no scheduler, no worker with this course, or the cluster went away mid-batch
        _unusable(str(exc))


@app.command()
def export(
    format: str = typer.Argument(..., help="csv, gradescope or exercism (Exercism v3, read by GitHub Classroom)."),
    db: Optional[str] = typer.Option(None, "--db", help="Gradebook: a SQLAlchemy URL or a SQLite file path [default: gradebook.db]."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="CSV: the file [default: stdout]. JSON: the folder that gets <student>/results.json."),
    lessons: Optional[list[str]] = typer.Option(None, "--lesson", "-l", help="Only these lessons (repeat the option) [default: all]."),
    student: Optional[str] = typer.Option(None, "--student", help="Only this learner; a JSON format then prints to stdout without --out."),
) -> None:
    """Export the gradebook as a CSV, or as Gradescope or Exercism results.json files."""
    import json

    from grader import exports
    from grader.gradebook import Gradebook, database_url
    from grader.lessons import get_lesson

    if format not in exports.FORMATS:
        _unusable(f"unknown format {format!r}: choose one of {', '.join(exports.FORMATS)}")
    url = database_url(db)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        _unusable(f"no gradebook at {url.removeprefix('sqlite:///')}: run `grader batch` first")
    try:
        lesson_ids = [get_lesson(item).id for item in lessons] if lessons else None
    except UnknownLesson as exc:
        _unusable(str(exc).strip("'\""))
    with Gradebook(db) as gradebook:
        rows = exports.learners(gradebook, lesson_ids)
    if student is not None:
        rows = [r for r in rows if r.student == student]
        if not rows:
            _unusable(f"no results for student {student!r}")
    if format == "csv":
        from grader.lessons import all_lessons

        text = exports.to_csv(rows, [get_lesson(i) for i in lesson_ids] if lesson_ids else all_lessons())
        if out is None:
            sys.stdout.write(text)
        else:
            out.write_text(text)
            err.print(f"Wrote {len(rows)} learners to {out}", highlight=False)
        return
    build = exports.BUILDERS[format]
    if out is None:
        if len(rows) != 1:
            _unusable(f"{format} writes one results.json per learner: pass --out FOLDER (or --student ID)")
        sys.stdout.write(json.dumps(build(rows[0]), indent=2, ensure_ascii=False) + "\n")
        return
    written = exports.write_per_learner(rows, out, build)
    err.print(f"Wrote {len(written)} results.json files under {out}", highlight=False)


@app.command()
def progress(
    folder: Optional[Path] = typer.Option(None, "--dir", help="The folder with your exercise notebooks (default: exercises/)."),
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
    lesson: Optional[str] = typer.Option(None, "--lesson", "-l", help="Lesson id; default: from the notebook, else the file name."),
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
    folder: Optional[Path] = typer.Option(None, "--dir", help="The folder with your exercise notebooks (default: exercises/)."),
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
    out = Console(highlight=False)
    if not result.changed:
        out.print(f"{result.path} is already a fresh notebook: nothing to do.")
        return
    if result.backup:
        out.print(f"Saved your notebook as [bold]{result.backup}[/] (copy it back to undo).")
    out.print(f"Restored a fresh [bold]{result.path}[/].")
    out.print("If it is open in JupyterLab, use File → Reload Notebook from Disk, so the old version is not saved over it.")


def main() -> None:
    # A batch on a cluster grades on its workers: no local zygote to warm.
    if sys.argv[1:2] == ["check"] or sys.argv[1:2] == ["batch"] and not any(a.startswith("--scheduler") for a in sys.argv):
        from grader.sandbox import pool

        pool.warm()  # the sandbox's zygote imports FastAPI while this process imports the rest
    app()
