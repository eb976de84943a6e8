"""Quizzes: one `quiz.toml` per lesson, read by the docs, the notebooks and the grader.

Format::

    [[question]]            # the graded pool: the exercise notebooks
    prompt = "Which status code ..."
    [[question.choice]]
    text = "200 OK"
    why = "One line on why this is right or wrong."
    correct = true          # exactly one choice per question

    [[practice]]            # the practice pool: the lesson page, instant explanations
    prompt = "..."          # (same shape as a question)

Questions are numbered from 1 in file order within their pool and choices
lettered a, b, c... in file order, so an answer key is never written twice.
"""

from __future__ import annotations

import ast
import string
from dataclasses import dataclass
from pathlib import Path

from grader import _toml, syntax

ANSWERS_NAME = "QUIZ_ANSWERS"


@dataclass(frozen=True)
class Choice:
    key: str
    text: str
    why: str
    correct: bool
    origin: str = ""  # its letter where it was written, when a release shuffled it


@dataclass(frozen=True)
class Question:
    number: int
    prompt: str
    choices: tuple[Choice, ...]

    @property
    def answer(self) -> str:
        return next(choice.key for choice in self.choices if choice.correct)

    def choice(self, key: str) -> Choice | None:
        return next((choice for choice in self.choices if choice.key == key), None)


@dataclass(frozen=True)
class Quiz:
    questions: tuple[Question, ...]

    @property
    def max_score(self) -> int:
        return len(self.questions)


class QuizFormatError(ValueError):
    pass


GRADED, PRACTICE = "question", "practice"  # the two pools' TOML keys


def read_toml(path: Path) -> dict:
    try:
        return _toml.read(path)
    except (OSError, _toml.TOMLDecodeError) as exc:
        raise QuizFormatError(f"{path}: {exc}") from None


def parse_questions(raw_questions: object, where: str, first: int = 1) -> tuple[Question, ...]:
    """Questions from TOML data, numbered from `first`; a clear error names the bad entry."""
    if not isinstance(raw_questions, list):
        raise QuizFormatError(f"{where}: questions must be an array of tables")
    questions = []
    for number, raw in enumerate(raw_questions, start=first):
        try:
            choices = tuple(
                Choice(
                    key=string.ascii_lowercase[i],
                    text=str(c["text"]),
                    why=str(c["why"]),
                    correct=c.get("correct") is True,
                )
                for i, c in enumerate(raw["choice"])
            )
            prompt = str(raw["prompt"])
        except (KeyError, TypeError, IndexError) as exc:
            raise QuizFormatError(
                f"{where}: question {number} needs a prompt and choices with text and why ({exc})"
            ) from None
        if len(choices) < 2 or sum(choice.correct for choice in choices) != 1:
            raise QuizFormatError(f"{where}: question {number} needs two or more choices, exactly one correct")
        questions.append(Question(number=number, prompt=prompt, choices=choices))
    return tuple(questions)


def load_quiz(path: Path, pool: str = GRADED) -> Quiz:
    """One pool of a lesson's `quiz.toml`: the graded questions unless `pool=PRACTICE`."""
    return Quiz(questions=parse_questions(read_toml(path).get(pool, []), f"{path} [{pool}]"))


def renumbered(questions: tuple[Question, ...] | list[Question]) -> Quiz:
    return Quiz(tuple(Question(n, q.prompt, q.choices) for n, q in enumerate(questions, start=1)))


@dataclass
class QuestionResult:
    number: int
    prompt: str
    given: str | None
    correct: bool
    explanation: str
    # The course's letters (as quiz.toml or a private file writes them), undoing a release's shuffle:
    # what item statistics count. `choice` is None when no existing choice was picked.
    choice: str | None = None
    key: str = ""

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "prompt": self.prompt,
            "given": self.given,
            "correct": self.correct,
            "points": int(self.correct),
            "max_points": 1,
            "explanation": self.explanation,
            "choice": self.choice,
            "key": self.key,
        }


@dataclass
class QuizResult:
    questions: list[QuestionResult]

    @property
    def score(self) -> int:
        return sum(q.correct for q in self.questions)

    @property
    def max_score(self) -> int:
        return len(self.questions)

    def to_json(self) -> dict:
        return {"score": self.score, "max_score": self.max_score, "questions": [q.to_json() for q in self.questions]}


def normalise_answer(value: object) -> str | None:
    """`"B"`, `" b) "` and `"b"` all mean choice b; anything else is no answer."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower().rstrip(").").strip()
    return text if len(text) == 1 and text in string.ascii_lowercase else None


def score_quiz(quiz: Quiz, answers: dict) -> QuizResult:
    results = []
    for question in quiz.questions:
        given = normalise_answer(answers.get(question.number, answers.get(str(question.number))))
        choice = question.choice(given) if given else None
        right = next(c for c in question.choices if c.correct)
        key = right.origin or right.key
        if choice is None:
            explanation = "No answer yet." if given is None else f"There is no choice {given!r}."
            results.append(QuestionResult(question.number, question.prompt, given, False, explanation, key=key))
        else:
            results.append(
                QuestionResult(
                    question.number,
                    question.prompt,
                    given,
                    choice.correct,
                    choice.why,
                    choice=choice.origin or choice.key,
                    key=key,
                )
            )
    return QuizResult(results)


def read_answers(code: str) -> tuple[dict, list[str]]:
    """Read `QUIZ_ANSWERS` from source text without running it.

    Follows top-level `QUIZ_ANSWERS = {...}`, `QUIZ_ANSWERS[n] = "x"` and
    `QUIZ_ANSWERS.update({...})` statements in order; values must be literals.
    """
    notes: list[str] = []
    answers: dict = {}
    try:
        tree = syntax.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # ValueError: a NUL byte; the others: absurd nesting
        return answers, notes
    for node in tree.body:
        try:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id == ANSWERS_NAME and node.value is not None:
                        value = ast.literal_eval(node.value)
                        if isinstance(value, dict):
                            answers = dict(value)
                    elif (
                        isinstance(target, ast.Subscript)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == ANSWERS_NAME
                    ):
                        answers[ast.literal_eval(target.slice)] = ast.literal_eval(node.value)  # type: ignore[arg-type]
            elif (
                isinstance(node, ast.Expr)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Attribute)
                and node.value.func.attr == "update"
                and isinstance(node.value.func.value, ast.Name)
                and node.value.func.value.id == ANSWERS_NAME
                and node.value.args
            ):
                answers.update(ast.literal_eval(node.value.args[0]))
        except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
            notes.append(
                f'Line {node.lineno}: {ANSWERS_NAME} must be written with plain letters, e.g. {{1: "b"}}; '
                "this line was not read."
            )
    return answers, notes
