"""`grader quiz-stats` in a terminal: one table per lesson, flags under it."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grader.classroom.quiz_stats import ItemStats


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def render_stats(stats: list[ItemStats], console: Console) -> None:
    if not stats:
        console.print("No graded quiz answers in the gradebook yet.")
        return
    for lesson_id, items in groupby(stats, key=lambda s: s.lesson_id):
        table = Table(title=f"Quiz items · {escape(lesson_id)}", title_justify="left")
        for column in ("Q", "Facility", "Discrimination", "Upper−lower", "Picks (key in bold)", "n"):
            table.add_column(column, justify="left" if column.startswith("Picks") else "right")
        flagged = []
        for item in items:
            picks = " ".join(
                f"[bold]{c.letter}:{c.picked}[/]" if c.correct else f"{c.letter}:{c.picked}" for c in item.choices
            )
            if item.unmapped:
                picks += f" (+{item.unmapped} unmapped)"
            table.add_row(
                str(item.number),
                f"{item.facility:.0%}",
                _figure(item.discrimination),
                _figure(item.upper_lower),
                picks,
                str(item.answered),
            )
            flagged += [(item, flag) for flag in item.flags]
        console.print(table)
        for item, flag in flagged:
            console.print(f"  [yellow]Q{item.number}[/] {escape(flag)}", highlight=False)
