"""The `grader` command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from grader.lessons import UnknownLesson
from grader.source import InputError

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
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Submissions graded at once [default: the number of cores]."),
    regrade: bool = typer.Option(False, "--regrade", help="Grade again what the gradebook already has."),
    lesson: Optional[str] = typer.Option(None, "--lesson", "-l", help="Grade every file as this lesson."),
    json_output: bool = typer.Option(False, "--json", help="Print the summary as JSON instead of a table."),
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
    with Gradebook(db) as gradebook:
        with progress_display(err) as (on_start, on_result):
            summary = run_batch(found, gradebook, workers=jobs, regrade=regrade, on_start=on_start, on_result=on_result)
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


def main() -> None:
    app()
