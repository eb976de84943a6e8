"""Showing a grade: a rich terminal report, and plain JSON."""

from __future__ import annotations

import json

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grader.grade import GradeReport
from grader.safetext import clean  # every string a submission could shape goes through it before printing


def to_json(report: GradeReport) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False)


def _mark(passed: bool) -> Text:
    return Text("✔", style="bold green") if passed else Text("✘", style="bold red")


def _section(title: str, score: int, max_score: int) -> Text:
    style = "bold green" if score == max_score else "bold yellow"
    return Text.assemble((f"\n{title} ", "bold"), (f"{score}/{max_score}", style))


def _rows() -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    return grid


def _render_todo(report: GradeReport, console: Console) -> None:
    """Nothing written yet: say where to work; the checks below read as a to-do list."""
    where = ""
    if report.source.endswith(".ipynb"):
        where = (
            f" Open {clean(report.source.rsplit('/', 1)[-1])} in JupyterLab (`make lab`), write your code in the cell "
            "marked `# YOUR CODE HERE` and run all cells: the check cells at the end show this list and turn green as you go."
        )
    console.print(Text("Nothing to grade yet: here is what to build." + where, style="cyan"))


def hint_command(report: GradeReport, check_name: str = "") -> str:
    return " ".join(part for part in ("grader hint", report.source, check_name) if part)


def _check_rows(report: GradeReport) -> Table:
    """Every check; failures say what happened. Only the next check to fix shows its hint: the rest are on request."""
    rows = _rows()
    first = report.next_failure
    # Untouched: every request only met "no route", so the lesson's own hint for the first step is the news.
    todo_hints = {} if report.started else {c.name: c.hint for c in report.lesson.checks}
    for check in report.checks:
        detail = Text(check.title, style="bold" if not check.passed else "")
        if not check.passed and report.loaded:
            if report.started:
                detail.append("\n" + clean(check.feedback))
            if check is first:
                hint = check.hint or todo_hints.get(check.name, "")
                if hint:
                    detail.append(f"\nHint: {hint}", style="cyan")
                if check.docs_url:
                    detail.append(f"\nRead: {check.docs_url}", style="dim")
            elif check.hint and report.started:  # a to-do list gets one line for all, below it
                detail.append(f"\nHint on request: {hint_command(report, check.name)}", style="dim")
        mark = _mark(check.passed) if report.started else Text("○", style="dim")
        rows.add_row(mark, f"{check.points}/{check.max_points}", detail)
    return rows


def _next_step(report: GradeReport) -> Text | None:
    first = report.next_failure
    if report.crashes or first is None or not report.started:
        return None
    return Text.assemble(
        ("Next: ", "bold cyan"), (first.title, "bold"), f" (`{hint_command(report, first.name)}` shows its hint again)"
    )


def render(report: GradeReport, console: Console | None = None) -> None:
    console = console or Console()
    lesson = report.lesson
    console.rule(f"[bold]Lesson {lesson.number:02d} · {escape(lesson.title)}[/] — {escape(lesson.exercise)}")
    console.print(f"[dim]{escape(clean(report.source))} · seed {report.seed} (replay with --seed {report.seed})[/]")
    if report.crashes:  # the first and main message: nothing below means much until it is fixed
        console.print(_crash_panel(report))
    for note in report.notes:
        if note in report.crashes:
            continue
        start = note.startswith("Where to start")
        console.print(Text(("→ " if start else "• ") + clean(note), style="bold cyan" if start else "yellow"))

    console.print(_section("Exercise", report.exercise_score, report.exercise_max))
    if not report.started:
        _render_todo(report, console)
    elif not report.loaded:
        console.print(Text("No check could run: see why at the end of this report.", style="red"))
    console.print(_check_rows(report))
    if not report.started:
        console.print(
            Text(f"The other checks' hints, when you want them: {hint_command(report, 'CHECK')}", style="dim")
        )

    console.print(_section("Quiz", report.quiz.score, report.quiz.max_score))
    rows = _rows()
    for question in report.quiz.questions:
        detail = Text(f"{question.number}. {question.prompt}")
        if not question.correct:
            given = clean(question.given or "—")
            detail.append(f"\nYour answer: {given}. {question.explanation}", style="yellow")
        rows.add_row(_mark(question.correct), f"{int(question.correct)}/1", detail)
    console.print(rows)

    if report.output.strip():
        console.print(Panel(escape(clean(report.output)), title="What your code printed", border_style="dim"))

    done = report.score == report.max_score
    console.print(
        Panel(
            Text.assemble(
                ("Exercise ", "bold"),
                f"{report.exercise_score}/{report.exercise_max}   ",
                ("Quiz ", "bold"),
                f"{report.quiz.score}/{report.quiz.max_score}   ",
                ("Total ", "bold"),
                f"{report.score}/{report.max_score}",
            ),
            title="All done!" if done else "Score",
            border_style="green" if done else "yellow",
            expand=False,
        )
    )
    step = _next_step(report)
    if step is not None:
        console.print(step)
    if report.crashes:  # again next to the prompt, in one line
        console.print(Text(f"Fix this first: {clean(report.crashes[0])}", style="bold red"))


def _crash_panel(report: GradeReport) -> Panel:
    fix = (
        "Fix this first: the checks below ran against what was defined before it."
        if report.loaded
        else "Fix this first: no check could run."
    )
    return Panel(
        Text("\n".join(clean(c) for c in report.crashes) + "\n" + fix),
        title="Not graded" if report.crashes[-1].startswith("Not graded") else "Your code crashed",
        border_style="bold red",
    )
