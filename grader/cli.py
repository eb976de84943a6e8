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
    app()
