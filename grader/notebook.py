"""Grading from inside a Jupyter kernel: the notebooks' check cells.

This runs the learner's app in the learner's own kernel (by nature: the app
object lives there). The trusted path is the `grader` command, which runs the
code in a sandbox; these cells are for feedback while working and for
nbgrader, whose kernel runs the notebook anyway.

`exercise_points` and `quiz_points` show their feedback and return the points
earned, so an nbgrader autograded cell ending with them gets partial credit.
They write nothing to stderr: nbgrader scores any stderr output as zero.
"""

from __future__ import annotations

import contextlib
import html
import os
import secrets
import warnings

from grader.checks import Context
from grader.client import LocalClient
from grader.grade import CheckResult, run_checks
from grader.lessons import get_lesson
from grader.quiz import QuizResult, score_quiz


def _in_sandbox() -> bool:
    return os.environ.get("GRADER_IN_SANDBOX") == "1"


class Points(float):
    """A number (for nbgrader's partial credit) that shows itself as a plain number."""

    def __repr__(self) -> str:
        return f"{float(self):g}"


class _Feedback:
    """Shows as an HTML table in JupyterLab and as text in a terminal."""

    def __init__(self, title: str, rows: list[tuple[bool, str, str, str]], score: str, notes: list[str]):
        self.title, self.rows, self.score, self.notes = title, rows, score, notes

    def _repr_html_(self) -> str:
        head = f"<h4>{html.escape(self.title)}: {html.escape(self.score)}</h4>"
        notes = "".join(f"<p><b>{html.escape(n)}</b></p>" for n in self.notes)
        body = "".join(
            "<tr><td style='text-align:center'>{mark}</td><td style='text-align:left'>{title}</td>"
            "<td>{points}</td><td style='text-align:left'>{feedback}</td></tr>".format(
                mark="✅" if ok else "❌", title=html.escape(title), points=html.escape(points), feedback=feedback
            )
            for ok, title, points, feedback in self.rows
        )
        return f"{head}{notes}<table><tr><th></th><th>Check</th><th>Points</th><th>Feedback</th></tr>{body}</table>"

    def __repr__(self) -> str:
        lines = [f"{self.title}: {self.score}", *self.notes]
        for ok, title, points, feedback in self.rows:
            lines.append(f"  {'PASS' if ok else 'FAIL'} {title} [{points}]")
            if not ok:
                lines.append(f"       {html.unescape(_strip_tags(feedback))}")
        return "\n".join(lines)


def _strip_tags(text: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", text.replace("<br>", " "))


def _show(feedback: _Feedback) -> None:
    try:
        from IPython.display import display

        display(feedback)
    except ImportError:
        print(repr(feedback))


def _check_row(result: CheckResult) -> tuple[bool, str, str, str]:
    feedback = ""
    if not result.passed:
        feedback = html.escape(result.feedback)
        if result.hint:
            feedback += f"<br><i>Hint: {html.escape(result.hint)}</i>"
        if result.docs_url:
            feedback += f"<br><a href='{html.escape(result.docs_url)}' target='_blank'>Read the lesson section</a>"
    return result.passed, result.title, f"{result.points}/{result.max_points}", feedback


def grade_app(lesson_id: str, app, seed: int | None = None) -> list[CheckResult]:
    lesson = get_lesson(lesson_id)
    ctx = Context(seed=secrets.randbelow(2**31) if seed is None else seed)
    with warnings.catch_warnings(), contextlib.redirect_stderr(None):
        warnings.simplefilter("ignore")
        client = LocalClient(app)
        try:
            return run_checks(lesson, client, ctx)
        finally:
            client.close()


def exercise_points(lesson_id: str, app) -> Points:
    """Grade the app in this kernel, show the feedback, return the points earned."""
    if _in_sandbox():
        return Points(0)
    lesson = get_lesson(lesson_id)
    results = grade_app(lesson_id, app)
    earned = sum(r.points for r in results)
    total = sum(r.max_points for r in results)
    notes = []
    if earned == 0 and lesson.start_hint:
        notes.append(f"Where to start: {lesson.start_hint}")
    _show(_Feedback(f"Lesson {lesson.number:02d} exercise", [_check_row(r) for r in results], f"{earned}/{total}", notes))
    return Points(earned)


def quiz_points(lesson_id: str, answers) -> Points:
    """Score the quiz answers, show an explanation for each wrong one, return the points."""
    if _in_sandbox():
        return Points(0)
    lesson = get_lesson(lesson_id)
    result: QuizResult = score_quiz(lesson.quiz, answers if isinstance(answers, dict) else {})
    rows = [
        (q.correct, f"{q.number}. {q.prompt}", f"{int(q.correct)}/1", "" if q.correct else html.escape(f"Your answer: {q.given or '—'}. {q.explanation}"))
        for q in result.questions
    ]
    _show(_Feedback(f"Lesson {lesson.number:02d} quiz", rows, f"{result.score}/{result.max_score}", []))
    return Points(result.score)
