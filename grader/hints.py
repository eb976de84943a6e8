"""`grader hint`: a check's hint on request, like rustlings' `hint`.

Reports show the hint of the next check to fix only; the others stay hidden
until asked for, so a learner tries first. Without a check named, the file is
graded and the next failing check's hint shown, with the names to ask for the rest.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from grader.checks import Check
from grader.lessons import Lesson


class UnknownCheck(LookupError):
    pass


def find_check(lesson: Lesson, key: str) -> Check:
    """A check by name (`create-sets-location`), number in the report (`3`) or a word of its title."""
    checks = lesson.checks
    wanted = key.strip().lower()
    if wanted.isdigit() and 1 <= int(wanted) <= len(checks):
        return checks[int(wanted) - 1]
    for check in checks:
        if check.name == wanted:
            return check
    matches = [check for check in checks if wanted and wanted in check.title.lower()]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(check.name for check in checks)
    what = "more than one check matches" if matches else "no such check"
    raise UnknownCheck(f"{what} {key!r} in lesson {lesson.slug} (checks: {names})")


def _show(console: Console, lesson: Lesson, check: Check, number: int) -> None:
    console.print(Text(f"{number}. {check.title}", style="bold"))
    console.print(Text(f"Hint: {check.hint or 'no hint for this check: read the lesson section.'}", style="cyan"))
    console.print(Text(f"Read: {lesson.page_url(check.docs)}", style="dim"))


def show_hint(path: Path, lesson_id: str | None, key: str | None, console: Console | None = None) -> None:
    """Raises InputError / UnknownLesson / UnknownCheck for unusable input."""
    from grader.grade import grade_submission, resolve_lesson
    from grader.source import load_submission

    console = console or Console(highlight=False)
    submission = load_submission(path)
    lesson = resolve_lesson(submission, lesson_id)
    numbers = {check.name: n for n, check in enumerate(lesson.checks, start=1)}
    if key:
        check = find_check(lesson, key)
        _show(console, lesson, check, numbers[check.name])
        return
    report = grade_submission(submission, lesson)
    if report.crashes:  # the crash leads, as in `grader check`: the hints below assume code that ran
        console.print(Text("First, your code crashed: " + " ".join(report.crashes), style="bold red"))
    failing = [c for c in report.checks if not c.passed]
    if not failing:
        console.print("All checks pass: no hint needed.")
        return
    by_name = {check.name: check for check in lesson.checks}
    first = failing[0]
    console.print(Text(f"Next to fix ({report.exercise_score}/{report.exercise_max} so far):", style="bold"))
    _show(console, lesson, by_name[first.name], numbers[first.name])
    if report.started and report.loaded:
        console.print(Text(first.feedback, style="yellow"))
    if len(failing) > 1:
        others = ", ".join(c.name for c in failing[1:])
        console.print(Text(f"Also failing: {others}. `grader hint {path} NAME` shows one's hint.", style="dim"))
