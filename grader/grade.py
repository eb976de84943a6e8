"""Grading: run a lesson's checks against an app and score the quiz.

`grade_path` is the trusted path (`grader check`, batch): the learner's code
runs in a sandboxed worker; checks run here. `run_checks` is shared with the
in-kernel self-check, which passes a `LocalClient`.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader.checks import Check, CheckFailed, Context
from grader.client import AppUnavailable, BaseClient, SandboxClient
from grader.expect import NoRoute
from grader.lessons import Lesson, get_lesson, lesson_from_filename
from grader.quiz import QuizResult, read_answers, score_quiz
from grader.quiz_source import QuizSource
from grader.safetext import file_name, safe
from grader.sandbox import runner
from grader.sandbox.runner import Limits, LoadReport, Sandbox
from grader.source import InputError, Submission, load_submission

MAX_RESTARTS = 2
SHOWN_CELL_ERRORS = 10  # a notebook with 300 failing cells gets the first ten and a count
# All checks of one grading together; a slow (not hung) app cannot stretch a run past this.
CHECKS_BUDGET_SECONDS = 90.0


@dataclass
class CheckResult:
    name: str
    title: str
    passed: bool
    points: int
    max_points: int
    feedback: str
    hint: str = ""
    docs_url: str = ""

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "passed": self.passed,
            "points": self.points,
            "max_points": self.max_points,
            "feedback": self.feedback,
            "hint": self.hint,
            "docs_url": self.docs_url,
        }


@dataclass
class GradeReport:
    lesson: Lesson
    source: str
    checks: list[CheckResult]
    quiz: QuizResult
    notes: list[str] = field(default_factory=list)
    output: str = ""
    seed: int = 0
    started: bool = True  # False: the app loaded cleanly with no routes yet (an untouched exercise)
    cell_errors: int = 0  # cells that raised while the code loaded (not in the JSON: the notes say which)
    crashes: list[str] = field(default_factory=list)  # the notes that say the code raised or did not load

    @property
    def loaded(self) -> bool:
        """False when no check could run (the app did not load, or the run was not graded)."""
        return not all(c.feedback.startswith(("Not run:", "Not graded:")) for c in self.checks) if self.checks else True

    @property
    def next_failure(self) -> CheckResult | None:
        return next((c for c in self.checks if not c.passed), None)

    @property
    def exercise_score(self) -> int:
        return sum(c.points for c in self.checks)

    @property
    def exercise_max(self) -> int:
        return sum(c.max_points for c in self.checks)

    @property
    def score(self) -> int:
        return self.exercise_score + self.quiz.score

    @property
    def max_score(self) -> int:
        return self.exercise_max + self.quiz.max_score

    def to_json(self) -> dict:
        return {
            "lesson": self.lesson.id,
            "source": self.source,
            "score": self.score,
            "max_score": self.max_score,
            "exercise": {
                "score": self.exercise_score,
                "max_score": self.exercise_max,
                "checks": [c.to_json() for c in self.checks],
            },
            "quiz": self.quiz.to_json(),
            "crashes": self.crashes,  # what to fix first: the cell, line, error and line quoted
            "notes": self.notes,
            "output": self.output,
            "seed": self.seed,
            "started": self.started,
        }


def _result(check: Check, lesson: Lesson, passed: bool, feedback: str, hint: bool = True) -> CheckResult:
    return CheckResult(
        name=check.name,
        title=check.title,
        passed=passed,
        points=check.points if passed else 0,
        max_points=check.points,
        feedback=safe(feedback, "feedback"),  # it may quote the app's response or an exception
        hint="" if passed or not hint else check.hint,
        docs_url=lesson.page_url(check.docs) if check.docs else lesson.page_url(),
    )


class _RouteLookup:
    """Tells a failed check that hit an undefined route; the route table is asked for once, on the first 404/405."""

    def __init__(self, client: BaseClient, stopped: bool = False):
        self.client = client
        self.table: list[tuple[str, str]] | None = None
        self.asked = False
        self.stopped = stopped  # the code raised while loading: a missing route is one it never reached

    def missing(self, since: int) -> str:
        from grader.expect import ROUTER_REPLIES, no_route, not_reached, phrase, served_routes, undeclared_route

        for exchange in self.client.transcript[since:]:
            reply = exchange.reply
            if reply.status_code not in ROUTER_REPLIES:
                continue
            if not self.asked:
                self.asked = True
                try:
                    self.table = served_routes(self.client)
                except AppUnavailable:
                    self.table = None
            if self.table is None:
                return ""  # nothing to compare with: say nothing rather than guess
            route = undeclared_route(self.table, reply)
            if route and self.stopped:
                return not_reached(route)
            if route:
                return no_route(
                    route,
                    f"Your app answered {phrase(reply.status_code)} because nothing handles this method and path yet.",
                )
        return ""


def run_checks(
    lesson: Lesson,
    client: BaseClient,
    ctx: Context,
    restart=None,
    budget: float = CHECKS_BUDGET_SECONDS,
    stopped: bool = False,
) -> list[CheckResult]:
    """Run every check in order. `restart()` brings the app back after a hang or crash, or returns False.

    `stopped`: the code raised while loading, so a route it lacks is one it never reached.
    """
    from grader.expect import not_reached

    results = []
    down_reason = ""
    deadline = time.monotonic() + budget
    routes = _RouteLookup(client, stopped)
    for check in lesson.checks:
        if not down_reason and time.monotonic() > deadline:
            down_reason = f"the checks ran out of their {budget:g} s budget (is the app very slow?)."
        if down_reason:
            results.append(_result(check, lesson, False, f"Not run: {down_reason}"))
            continue
        since = len(client.transcript)
        try:
            check(client, ctx)
        except NoRoute as exc:
            feedback = not_reached(exc.route) if stopped and exc.route else str(exc)
            results.append(_result(check, lesson, False, feedback, hint=False))
        except CheckFailed as exc:
            # A hint about the route's logic misleads when the route does not exist at all.
            missing = routes.missing(since)
            results.append(_result(check, lesson, False, missing or str(exc), hint=not missing))
        except AppUnavailable as exc:
            results.append(_result(check, lesson, False, f"{exc}."))
            if restart is None or not restart():
                down_reason = "the app could not be started again after it stopped answering."
        except Exception as exc:  # noqa: BLE001 - a response shape the check did not foresee
            missing = routes.missing(since)
            feedback = missing or f"The response could not be checked ({type(exc).__name__}: {exc})."
            results.append(_result(check, lesson, False, feedback, hint=not missing))
        else:
            results.append(_result(check, lesson, True, "OK"))
    return results


def describe_load_problem(load: LoadReport) -> str:
    if load.app == "missing" and load.cell_errors:
        return "Not reached: your code stopped before defining `app` (fix the error shown first)."
    return {
        "missing": "No `app` was defined: the exercise needs a module-level `app = FastAPI()`.",
        "not_asgi": f"`app` holds a value of type `{load.detail or '?'}`, not an ASGI application: it should be `app = FastAPI()`.",
        "lifespan_failed": f"The app's startup (lifespan) failed: {load.detail}.",
        "timeout": f"The code did not finish loading: {load.detail} (an endless loop or a blocking call at import?).",
        "crashed": f"The code could not be loaded: {load.detail}.",
        "tampered": f"Not graded: {load.detail}. Only the app's own HTTP responses can earn points.",
    }.get(load.app, f"The app could not be loaded ({load.app}).")


def format_cell_error(error: dict, kind: str, cells: dict[int, str] | None = None) -> str:
    """`Cell 5, line 3: NameError: … in `the line`` – the cell numbered as `grader.source` counts them
    (its position in the notebook), the line quoted from the submission itself."""
    where = f"Cell {error.get('cell')}" if kind == "notebook" else "Module"
    quoted = ""
    if error.get("line"):
        where += f", line {error['line']}"
        lines = (cells or {}).get(error.get("cell") or 0, "").splitlines()
        if 0 < error["line"] <= len(lines) and lines[error["line"] - 1].strip():
            quoted = f" in `{lines[error['line'] - 1].strip()[:160]}`"
    return f"{where}: {error.get('type')}: {error.get('message')}{quoted}."


def resolve_lesson(submission: Submission, lesson_id: str | None) -> Lesson:
    if lesson_id:
        return get_lesson(lesson_id)
    if submission.claimed_lesson:
        return get_lesson(str(submission.claimed_lesson))
    lesson = lesson_from_filename(submission.path)
    if lesson is None:
        raise InputError(f"{submission.path}: cannot tell which lesson this is; pass --lesson ID")
    return lesson


def grade_submission(
    submission: Submission,
    lesson: Lesson,
    limits: Limits | None = None,
    seed: int | None = None,
    quizzes: QuizSource | None = None,
) -> GradeReport:
    seed = secrets.randbelow(2**31) if seed is None else seed
    ctx = Context(seed=seed)
    notes = list(submission.notes)
    if runner.WINDOWS:
        notes.append(runner.REDUCED_NOTE)
    answers, quiz_notes = read_answers(submission.code)
    notes.extend(quiz_notes)
    graded_quiz, source_notes = (quizzes or QuizSource()).quiz_for(lesson, submission.claimed_release)
    notes.extend(source_notes)
    quiz = score_quiz(graded_quiz, answers) if graded_quiz is not None else QuizResult([])

    with Sandbox(submission, limits) as sandbox:
        load = sandbox.start()
        sources = {cell.number: cell.source for cell in submission.cells}
        crashes = [format_cell_error(e, submission.kind, sources) for e in load.cell_errors[:SHOWN_CELL_ERRORS]]
        if len(load.cell_errors) > SHOWN_CELL_ERRORS:
            crashes.append(f"… and {len(load.cell_errors) - SHOWN_CELL_ERRORS} more cells raised errors.")
        if load.app == "ok":
            client = SandboxClient(sandbox, load.routes)
            restarts = {"left": MAX_RESTARTS}

            def restart() -> bool:
                if restarts["left"] <= 0:
                    return False
                restarts["left"] -= 1
                return sandbox.start().app == "ok"

            checks = run_checks(lesson, client, ctx, restart, stopped=bool(load.cell_errors))
        else:
            problem = describe_load_problem(load)
            crashes.append(problem)
            checks = [_result(check, lesson, False, f"Not run: {problem}") for check in lesson.checks]
        output = sandbox.output_excerpt()

    if sandbox.tampered and load.app != "tampered":
        problem = f"Not graded: {sandbox.tampered}. Only the app's own HTTP responses can earn points."
        crashes.append(problem)
        checks = [_result(check, lesson, False, problem) for check in lesson.checks]
    crashes = [safe(note, "note") for note in crashes]
    notes = [safe(note, "note") for note in notes] + crashes
    report = GradeReport(
        lesson=lesson,
        source=file_name(submission.path),
        checks=checks,
        quiz=quiz,
        notes=notes,
        output=output,
        seed=seed,
        crashes=crashes,
    )
    report.cell_errors = len(load.cell_errors)
    report.started = not (
        load.app == "ok" and load.route_count == 0 and not load.cell_errors and report.exercise_score == 0
    )
    # Nothing written yet (no route, or no app at all): never when the code crashed or did not load.
    untouched = load.app == "missing" or (load.app == "ok" and load.route_count == 0)
    if untouched and not load.cell_errors and report.exercise_score == 0 and lesson.start_hint:
        report.notes.append(f"Where to start: {lesson.start_hint}")
    return report


def grade_path(
    path: Path | str,
    lesson_id: str | None = None,
    limits: Limits | None = None,
    seed: int | None = None,
    quizzes: QuizSource | None = None,
) -> GradeReport:
    """Grade one file. Raises InputError / UnknownLesson when it cannot be graded at all."""
    submission = load_submission(Path(path))
    lesson = resolve_lesson(submission, lesson_id)
    return grade_submission(submission, lesson, limits, seed, quizzes)
