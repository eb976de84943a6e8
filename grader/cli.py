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


def main() -> None:
    app()
