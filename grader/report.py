"""Showing a grade: a rich terminal report, and plain JSON."""

from __future__ import annotations

import json

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grader.grade import GradeReport


def to_json(report: GradeReport) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False)


def _mark(passed: bool) -> Text:
    return Text("✔", style="bold green") if passed else Text("✘", style="bold red")


def _render_checks(report: GradeReport, console: Console) -> None:
    table = Table(title="Exercise checks", title_justify="left", show_lines=False, expand=True)
    table.add_column("", width=2)
    table.add_column("Check", ratio=2)
    table.add_column("Points", justify="right", width=7)
    table.add_column("Feedback", ratio=5, overflow="fold")
    for check in report.checks:
        feedback = Text(check.feedback if not check.passed else "")
        if not check.passed and check.hint:
            feedback.append(f"\nHint: {check.hint}", style="cyan")
        if not check.passed and check.docs_url:
            feedback.append(f"\nRead: {check.docs_url}", style="dim")
        table.add_row(_mark(check.passed), check.title, f"{check.points}/{check.max_points}", feedback)
    console.print(table)


def _render_todo(report: GradeReport, console: Console) -> None:
    """Nothing written yet: where to work and the checks as a to-do list, not a page of 404s."""
    if report.source.endswith(".ipynb"):
        console.print(
            Text(
                f"Nothing to grade yet. Open {report.source.rsplit('/', 1)[-1]} in JupyterLab (`make lab`), write your "
                "code in the cell marked `# YOUR CODE HERE` and run all cells: the check cells at the end "
                "show this list and turn green as you go.",
                style="cyan",
            )
        )
    table = Table(title="To do", title_justify="left", expand=True)
    table.add_column("Check", ratio=2)
    table.add_column("Points", justify="right", width=7)
    table.add_column("How", ratio=5, overflow="fold")
    for check in report.checks:
        how = Text(check.hint)
        if check.docs_url:
            how.append(f"\nRead: {check.docs_url}", style="dim")
        table.add_row(check.title, f"0/{check.max_points}", how)
    console.print(table)


def render(report: GradeReport, console: Console | None = None) -> None:
    console = console or Console()
    lesson = report.lesson
    console.rule(f"[bold]Lesson {lesson.number:02d} · {escape(lesson.title)}[/] — {escape(lesson.exercise)}")
    console.print(f"[dim]{escape(report.source)} · seed {report.seed}[/]")

    for note in report.notes:
        style = "yellow" if not note.startswith("Where to start") else "bold cyan"
        console.print(Text("• " + note, style=style))

    if report.started:
        _render_checks(report, console)
    else:
        _render_todo(report, console)

    quiz = Table(title="Quiz", title_justify="left", expand=True)
    quiz.add_column("", width=2)
    quiz.add_column("#", width=3)
    quiz.add_column("Your answer", width=11)
    quiz.add_column("Explanation", ratio=1)
    for question in report.quiz.questions:
        quiz.add_row(
            _mark(question.correct),
            str(question.number),
            question.given or "—",
            "" if question.correct else question.explanation,
        )
    console.print(quiz)

    if report.output.strip():
        console.print(Panel(escape(report.output), title="What your code printed", border_style="dim"))

    summary = Group(
        Text.assemble(("Exercise ", "bold"), f"{report.exercise_score}/{report.exercise_max}"),
        Text.assemble(("Quiz     ", "bold"), f"{report.quiz.score}/{report.quiz.max_score}"),
        Text.assemble(("Total    ", "bold"), f"{report.score}/{report.max_score}"),
    )
    done = report.score == report.max_score
    console.print(Panel(summary, title="Done!" if done else "Score", border_style="green" if done else "yellow", expand=False))
