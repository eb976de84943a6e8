"""Grading from inside a Jupyter kernel: the notebooks' check cells.

This runs the learner's app in the learner's own kernel (by nature: the app
object lives there). The trusted path is the `grader` command, which runs the
code in a sandbox; these cells are for feedback while working and for
nbgrader, whose kernel runs the notebook anyway.

`exercise_points` and `quiz_points` show their feedback (an HTML table in
JupyterLab, plain text in a terminal) and return the points earned, so an
nbgrader autograded cell ending with them gets partial credit. They write
nothing to stderr: nbgrader scores any stderr output as zero. Called without
the app or the answers, they read `app` / `QUIZ_ANSWERS` from the notebook,
so a cell that failed before defining them gives advice, not a NameError.
"""

from __future__ import annotations

import contextlib
import html
import io
import os
import re
import secrets
import sys
import warnings
import weakref
from dataclasses import dataclass, field, replace

from grader.checks import Context
from grader.client import LocalClient
from grader.grade import CheckResult, run_checks
from grader.kernel_errors import recent_crash
from grader.lessons import Lesson, get_lesson
from grader.quiz import ANSWERS_NAME, QuizResult, score_quiz

_MISSING = object()
DOCS_NOTE = "Lesson links open the course site: run `make docs` in a terminal to serve it."


def _in_sandbox() -> bool:
    return os.environ.get("GRADER_IN_SANDBOX") == "1"


class Points(float):
    """The points earned: a plain number for nbgrader's partial credit (text/plain)."""

    total: float

    def __new__(cls, earned: float, total: float = 0):
        value = super().__new__(cls, earned)
        value.total = total
        return value

    def __repr__(self) -> str:
        return f"{float(self):g}"

    def _repr_html_(self) -> str:
        return f"<b>{float(self):g} / {self.total:g} points</b>"


class Recorded(Points):
    """A class quiz check's result: 0 for nbgrader (no key here), shown as "recorded", not as a score."""

    def _repr_html_(self) -> str:
        return "<b>Answers recorded</b>"


# -- rendering -----------------------------------------------------------------


def inline(text: str) -> str:
    """Escape text for HTML, turning `code` spans into <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))


@dataclass
class Row:
    mark: str  # "pass", "fail" or "todo"
    title: str
    points: str
    lines: list[str] = field(default_factory=list)  # feedback lines (plain text, `code` allowed)
    link: str = ""
    hint: str = ""
    hint_open: bool = False  # only the next check to fix shows its hint; the others keep it in a fold
    name: str = ""  # the check's name, for `grader hint NOTEBOOK NAME`


# Dingbats, not emoji: they render in every font JupyterLab falls back to.
MARKS = {"pass": ("✔", "PASS"), "fail": ("✘", "FAIL"), "todo": ("○", "TODO")}
MARK_COLOURS = {"pass": "#1e8e3e", "fail": "#d93025", "todo": "#5f6368"}
COLOURS = {"pass": "#e6f4ea", "fail": "#fce8e6", "todo": "transparent"}


@dataclass
class Feedback:
    """One check cell's result: an HTML table in JupyterLab, text in a terminal."""

    title: str
    score: str
    banner: str = ""  # the one thing to do next
    banner_kind: str = "next"  # "next", "start", "done" or "crash"
    rows: list[Row] = field(default_factory=list)
    headers: tuple[str, str, str] = ("Check", "Points", "Feedback")
    footer: str = ""

    def _repr_html_(self) -> str:
        colour = {"done": "#1e8e3e", "start": "#1a73e8", "next": "#b06000", "crash": "#d93025"}[self.banner_kind]
        parts = [f"<h4 style='margin:0.3em 0'>{inline(self.title)}: {html.escape(self.score)}</h4>"]
        if self.banner:
            parts.append(
                f"<p style='border-left:4px solid {colour};padding:0.3em 0.6em;margin:0.4em 0'>{inline(self.banner)}</p>"
            )
        head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in ("", *self.headers))
        body = []
        for row in self.rows:
            feedback = "<br>".join(inline(line) for line in row.lines)
            if row.hint and row.hint_open:
                feedback += f"{'<br>' if feedback else ''}<b>Hint:</b> {inline(row.hint)}"
            elif row.hint:
                feedback += f"{'<br>' if feedback else ''}<details><summary>Hint</summary>{inline(row.hint)}</details>"
            if row.link:
                feedback += f"{'<br>' if feedback else ''}<a href='{html.escape(row.link)}' target='_blank'>Read the lesson section</a>"
            body.append(
                f"<tr style='background:{COLOURS[row.mark]}'><td style='color:{MARK_COLOURS[row.mark]};font-weight:bold'>{MARKS[row.mark][0]}</td>"
                f"<td style='text-align:left'>{inline(row.title)}</td><td>{html.escape(row.points)}</td>"
                f"<td style='text-align:left'>{feedback}</td></tr>"
            )
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
        if self.footer:
            parts.append(f"<p style='font-size:smaller;opacity:0.7'>{inline(self.footer)}</p>")
        return "".join(parts)

    def __repr__(self) -> str:
        lines = [f"{self.title}: {self.score}"]
        if self.banner:
            lines.append(f">> {self.banner}")
        for row in self.rows:
            lines.append(f"  {MARKS[row.mark][1]} {row.title} [{row.points}]")
            lines.extend(f"       {line}" for line in row.lines)
            if row.hint and row.hint_open:
                lines.append(f"       Hint: {row.hint}")
            elif row.hint:
                lines.append(f"       Hint on request: grader hint NOTEBOOK {row.name}")
            if row.link:
                lines.append(f"       Read: {row.link}")
        if self.footer:
            lines.append(self.footer)
        return "\n".join(lines)


def _show(feedback: Feedback) -> None:
    try:
        from IPython.display import display
    except ImportError:
        print(repr(feedback))
    else:
        display(feedback)


def _caller_global(name: str, depth: int = 2):
    """`name` from the namespace of the code that called the check (the notebook's)."""
    frame = sys._getframe(depth)
    return frame.f_locals.get(name, frame.f_globals.get(name, _MISSING))


# -- the exercise --------------------------------------------------------------


def route_count(app) -> int:
    from grader.sandbox import routes  # the same walk as `grader check`'s worker

    return routes.count(app)


def grade_app(lesson_id: str, app, seed: int | None = None, stopped: bool = False) -> tuple[list[CheckResult], str]:
    """Run the lesson's checks against `app` here; return the results and what the app wrote to stderr.

    `stopped`: a cell raised, so a route the app lacks is one the code never reached."""
    lesson = get_lesson(lesson_id)
    ctx = Context(seed=secrets.randbelow(2**31) if seed is None else seed)
    stderr = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stderr(stderr):
        warnings.simplefilter("ignore")
        client = LocalClient(app)
        try:
            return run_checks(lesson, client, ctx, stopped=stopped), stderr.getvalue()
        finally:
            client.close()


def _unusable_app(app) -> str:
    if app is _MISSING or app is None:
        return "There is no `app` yet: run the cells above (Run → Run All Cells), and fix any error they show."
    if not callable(app):
        return f"`app` is a {type(app).__name__}, not an application: it should be `app = FastAPI()`."
    return ""


def crash_banner(crash: str) -> str:
    return f"Your code raised an error. {crash}. Fix it first, then run all cells again: the checks below ran against what was defined before it."


def exercise_feedback(lesson: Lesson, app, crash: str = "", seed: int | None = None) -> tuple[Feedback, int]:
    """The check cell's table; `crash` (a cell's error since the checks last ran) comes first when there is one.

    `seed` replays a grading (the bank's agreement test); the check cell leaves it random."""
    feedback, earned = _exercise_feedback(lesson, app, stopped=bool(crash), seed=seed)
    if crash:
        feedback.banner, feedback.banner_kind = crash_banner(crash), "crash"
    return feedback, earned


def _exercise_feedback(lesson: Lesson, app, stopped: bool = False, seed: int | None = None) -> tuple[Feedback, int]:
    total = lesson.exercise_points
    title = f"Lesson {lesson.number:02d} · {lesson.exercise}"
    problem = _unusable_app(app)
    if problem or route_count(app) == 0:
        # Nothing written yet: a to-do list with the first step, not a page of 404s.
        banner = (
            problem
            or f"Where to start: {lesson.start_hint or 'write the routes in the cell marked `# YOUR CODE HERE`.'}"
        )
        rows = [
            Row(
                "todo",
                c.title,
                f"0/{c.points}",
                link=lesson.page_url(c.docs),
                hint=c.hint,
                hint_open=i == 0,
                name=c.name,
            )
            for i, c in enumerate(lesson.checks)
        ]
        return Feedback(title, f"0/{total}", banner, "start", rows, ("To do", "Points", "How"), DOCS_NOTE), 0
    results, stderr = grade_app(lesson.id, app, seed, stopped=stopped)
    earned = sum(r.points for r in results)
    rows = []
    first_failure = next((r for r in results if not r.passed), None)
    for result in results:
        if result.passed:
            rows.append(Row("pass", result.title, f"{result.points}/{result.max_points}"))
        else:
            rows.append(
                Row(
                    "fail",
                    result.title,
                    f"{result.points}/{result.max_points}",
                    [result.feedback],
                    result.docs_url,
                    hint=result.hint,
                    hint_open=result is first_failure,
                    name=result.name,
                )
            )
    if first_failure is None:
        banner, kind = (
            "All checks pass: the exercise is done. Answer the quiz, then run `grader progress` for the next lesson.",
            "done",
        )
    else:
        banner, kind = f"Next: {first_failure.title}. {first_failure.hint}".strip(), "next"
    footer = DOCS_NOTE
    if stderr.strip():
        footer = f"Your app wrote to stderr while it was checked: {stderr.strip()[:500]}\n{DOCS_NOTE}"
    return Feedback(title, f"{earned}/{total}", banner, kind, rows, footer=footer), earned


# The checks change the app's data (books created, credits spent, limits used), so
# grading the same app object twice would fail checks that pass on a fresh one.
# A second run shows the first result again and asks for a fresh app instead.
_GRADED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
RERUN_NOTE = (
    "These checks already ran against this `app` and changed its data. Run all cells again "
    "(Run → Run All Cells) to check a fresh app; here is its result from last time."
)


def exercise_points(lesson_id: str, app=_MISSING) -> Points:
    """Grade the app in this kernel, show the feedback, return the points earned.

    `app` defaults to the notebook's own `app`.
    """
    if _in_sandbox():
        return Points(0)
    if app is _MISSING:
        app = _caller_global("app")
    lesson = get_lesson(lesson_id)
    try:
        previous = _GRADED.get(app)
    except TypeError:  # not weak-referenceable (None, a plain value): nothing remembered
        previous = None
    if previous is not None and previous[0] == lesson.id:
        _, feedback, earned = previous
        _show(replace(feedback, banner=RERUN_NOTE, banner_kind="next"))
        return Points(earned, lesson.exercise_points)
    feedback, earned = exercise_feedback(lesson, app, recent_crash())
    if feedback.rows and feedback.rows[0].mark != "todo":
        with contextlib.suppress(TypeError):
            _GRADED[app] = (lesson.id, feedback, earned)
    _show(feedback)
    return Points(earned, lesson.exercise_points)


# -- the quiz ------------------------------------------------------------------


def quiz_feedback(lesson: Lesson, answers, quiz=None) -> tuple[Feedback, QuizResult]:
    result = score_quiz(lesson.quiz if quiz is None else quiz, answers if isinstance(answers, dict) else {})
    rows = []
    for q in result.questions:
        if q.given is None:
            rows.append(
                Row(
                    "todo",
                    f"{q.number}. {q.prompt}",
                    "0/1",
                    [f'No answer yet: put your letter between the quotes of `{ANSWERS_NAME}[{q.number}] = ""`.'],
                )
            )
        else:
            mark = "pass" if q.correct else "fail"
            verdict = "Right" if q.correct else "Not quite"
            why = re.sub(r"^(right|wrong|correct)\s*[:.!]\s*", "", q.explanation, flags=re.I)
            rows.append(
                Row(mark, f"{q.number}. {q.prompt}", f"{int(q.correct)}/1", [f"You chose {q.given}. {verdict}: {why}"])
            )
    unanswered = [q.number for q in result.questions if q.given is None]
    wrong = [q.number for q in result.questions if q.given is not None and not q.correct]
    if not unanswered and not wrong:
        banner, kind = "Every answer is right: the quiz is done.", "done"
    elif len(unanswered) == len(result.questions):
        banner, kind = (
            f'Answer each question in the cell under it, e.g. `{ANSWERS_NAME}[1] = "b"`, then run this cell again.',
            "start",
        )
    else:
        todo = [f"answer question{'s' if len(unanswered) > 1 else ''} {_numbers(unanswered)}"] if unanswered else []
        todo += [f"think again about question{'s' if len(wrong) > 1 else ''} {_numbers(wrong)}"] if wrong else []
        banner, kind = "Next: " + " and ".join(todo) + ".", "next"
    title = f"Lesson {lesson.number:02d} · quiz"
    feedback = Feedback(
        title, f"{result.score}/{result.max_score}", banner, kind, rows, ("Question", "Points", "Feedback")
    )
    return feedback, result


def _numbers(numbers: list[int]) -> str:
    text = [str(n) for n in numbers]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " and " + text[-1]


def quiz_points(lesson_id: str, answers=_MISSING, *, release: str | None = None, questions: int = 0) -> Points:
    """Score the quiz answers, explain each one given, return the points.

    `answers` defaults to the notebook's `QUIZ_ANSWERS`. A class release passes
    its `release` id and number of `questions`: then only the instructor's key
    (`GRADER_RELEASE_KEY`, set where the instructor runs nbgrader) can score;
    anywhere else the answers are recorded, and nothing says right or wrong.
    """
    if _in_sandbox():
        return Points(0)
    if answers is _MISSING:
        answers = _caller_global(ANSWERS_NAME)
    lesson = get_lesson(lesson_id)
    if release is not None:
        quiz = _released_quiz(lesson, release)
        if quiz is None:
            feedback = recorded_feedback(lesson, answers, questions)
            _show(feedback)
            return Recorded(0, questions)
    else:
        quiz = lesson.quiz
    feedback, result = quiz_feedback(lesson, answers if isinstance(answers, dict) else {}, quiz)
    if not isinstance(answers, dict):
        feedback.banner = f"There is no `{ANSWERS_NAME}` yet: run the quiz cells above (Run → Run All Cells)."
    _show(feedback)
    return Points(result.score, result.max_score)


def _released_quiz(lesson: Lesson, release: str):
    """The release's questions from the instructor's key, when this kernel has it (nbgrader autograde)."""
    from grader.classroom.release_key import ENV, ReleaseKeyError, load_key

    path = os.environ.get(ENV)
    if not path:
        return None
    try:
        key = load_key(path)
    except ReleaseKeyError:
        return None
    return key.quizzes.get(lesson.id) if key.release == release else None


RECORDED_BANNER = (
    "Class quiz: your answers are recorded. Whether they are right, and why, comes with your graded feedback."
)


def recorded_feedback(lesson: Lesson, answers, questions: int) -> Feedback:
    """Which questions have an answer, and nothing about which answers are right."""
    from grader.quiz import normalise_answer

    given = answers if isinstance(answers, dict) else {}
    rows = []
    answered = 0
    for number in range(1, questions + 1):
        letter = normalise_answer(given.get(number, given.get(str(number))))
        if letter is None:
            rows.append(
                Row(
                    "todo",
                    f"Question {number}",
                    "",
                    [f'No answer yet: put your letter between the quotes of `{ANSWERS_NAME}[{number}] = ""`.'],
                )
            )
        else:
            answered += 1
            rows.append(Row("todo", f"Question {number}", "", [f"Answered: {letter}"]))
    if not isinstance(answers, dict):
        banner = f"There is no `{ANSWERS_NAME}` yet: run the quiz cells above (Run → Run All Cells)."
    else:
        banner = RECORDED_BANNER
    title = f"Lesson {lesson.number:02d} · quiz"
    return Feedback(title, f"{answered} of {questions} answered", banner, "next", rows, ("Question", "", "Your answer"))
