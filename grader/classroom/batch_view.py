"""What `grader batch` shows: a live progress bar while grading, a summary after."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from grader.classroom.batch import BatchSummary
from grader.classroom.gradebook import ERROR, GRADED, NOT_LOADED, UNUSABLE, Outcome
from grader.safetext import clean  # student ids, paths and reasons come from the class folder and the code

STYLES = {GRADED: "green", NOT_LOADED: "yellow", UNUSABLE: "red", ERROR: "bold red"}
LABELS = {GRADED: "graded", NOT_LOADED: "graded, code did not load", UNUSABLE: "unusable", ERROR: "grader error"}


def _shown_path(source: str) -> str:
    """Relative to the working folder when inside it: shorter to read."""
    path = Path(source)
    try:
        return clean(str(path.relative_to(Path.cwd())))
    except ValueError:
        return clean(source)


def describe(outcome: Outcome) -> str:
    student, lesson = clean(outcome.student), clean(outcome.lesson_id or "?")
    if outcome.status in (GRADED, NOT_LOADED):
        return f"{student} · {lesson}: {outcome.score}/{outcome.max_score}"
    return f"{student} · {lesson}: {LABELS[outcome.status]}"


@contextmanager
def progress_display(console: Console):
    """Yields (on_start, on_result) callbacks for `run_batch` that drive a rich progress bar."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]Grading"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}", markup=False),
        console=console,
        transient=False,
    )
    state: dict = {}

    def on_start(todo: int, skipped: int) -> None:
        if skipped:
            console.print(f"Skipping {skipped} already in the gradebook (use --regrade to grade them again).")
        state["task"] = progress.add_task("grading", total=todo, last="")

    def on_result(outcome: Outcome) -> None:
        progress.update(state["task"], advance=1, last=describe(outcome))

    with progress:
        yield on_start, on_result


def render_summary(summary: BatchSummary, gradebook_url: str, console: Console) -> None:
    counts: Counter = summary.counts
    table = Table(title="Batch summary", title_justify="left")
    table.add_column("Result")
    table.add_column("Submissions", justify="right")
    for status in (GRADED, NOT_LOADED, UNUSABLE, ERROR):
        if counts.get(status):
            table.add_row(f"[{STYLES[status]}]{LABELS[status]}[/]", str(counts[status]))
    table.add_row("already graded, skipped", str(summary.skipped))
    table.add_row("[bold]found[/]", f"[bold]{summary.found}[/]")
    console.print(table)

    graded = [o for o in summary.outcomes if o.status in (GRADED, NOT_LOADED)]
    if graded:
        full = sum(o.score == o.max_score for o in graded)
        console.print(f"Full marks: {full} of {len(graded)} graded.")
    look = summary.needs_a_look()
    if look:
        console.print("[bold]Submissions that need a look[/]")
        for outcome, why in look:
            console.print(
                f"  [bold]{escape(clean(outcome.student))}[/] {escape(_shown_path(outcome.source))} "
                f"[{STYLES[outcome.status]}]{LABELS[outcome.status]}[/]",
                highlight=False,
            )
            for line in why:
                console.print(f"      {escape(clean(line))}", highlight=False)
    console.print(f"Gradebook: {escape(clean(gradebook_url))}")
