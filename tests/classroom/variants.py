"""Submissions a class would hand in, made from each lesson's own notebooks.

- `solved`: the released notebook with the learner's cells filled in from the solution.
- `untouched`: the released notebook as it was handed out.
- `wrong`: solved, but the last route handler is missing and quiz question 1
  has a wrong answer, so it earns some points and not all.
Generic over lessons: nothing here names a lesson.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import nbformat

from grader import syntax
from grader.lessons import Lesson
from grader.quiz import ANSWERS_NAME

ROOT = Path(__file__).resolve().parents[2]
ROUTE_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "api_route"}
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def solution_path(lesson: Lesson) -> Path:
    return ROOT / "solutions" / f"{lesson.slug}.ipynb"


def exercise_path(lesson: Lesson) -> Path:
    return ROOT / "exercises" / f"{lesson.slug}.ipynb"


def _is_route(node: ast.AST) -> bool:
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    for decorator in node.decorator_list:
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(func, ast.Attribute) and func.attr in ROUTE_METHODS:
            return True
    return False


def drop_last_route(source: str) -> str:
    """The code without its last top-level route handler (decorators included)."""
    tree = syntax.parse(source)
    routes = [node for node in tree.body if _is_route(node)]
    if not routes:
        return source
    last = routes[-1]
    start = min(d.lineno for d in last.decorator_list)
    lines = source.split("\n")
    del lines[start - 1 : last.end_lineno]
    return "\n".join(lines)


def _learner_code(source: str) -> str:
    """What a learner who wrote the solution has in the cell: the code, no markers."""
    return "\n".join(line for line in source.split("\n") if line.strip() not in MARKERS)


def solved(release: nbformat.NotebookNode, solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = copy.deepcopy(release)
    answers = {cell.id: cell.source for cell in solution.cells if cell.metadata.get("nbgrader", {}).get("solution")}
    for cell in nb.cells:
        if cell.id in answers:
            cell.source = _learner_code(answers[cell.id])
    return nb


def wrong(release: nbformat.NotebookNode, solution: nbformat.NotebookNode, lesson: Lesson) -> nbformat.NotebookNode:
    nb = solved(release, solution)
    question = lesson.quiz.questions[0]
    wrong_key = next(choice.key for choice in question.choices if not choice.correct)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution") or cell.cell_type != "code":
            continue
        if ANSWERS_NAME in cell.source:
            cell.source += f'\n{ANSWERS_NAME}[{question.number}] = "{wrong_key}"'
        else:
            cell.source = drop_last_route(cell.source)
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)
