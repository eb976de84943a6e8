"""Whether a submission is the notebook as handed out: no code written, no quiz answer given.

A lesson with starter code (the capstone) defines routes before the learner
writes a line, so "no route defined" cannot tell an untouched notebook. Its
code is compared with what the release gives instead: the starter and the app
cell with its solution cleared (nbgrader's `ClearSolutions`, stub
`# YOUR CODE HERE`), ignoring blank and comment-only lines. Built from the
lesson folder without nbgrader, so a Dask worker needs no classroom extra.
"""

from __future__ import annotations

from functools import cache

from grader.build_notebooks import MARKERS, check_markers, without_docstring
from grader.lessons import Lesson, get_lesson
from grader.quiz import ANSWERS_NAME, normalise_answer, read_answers


def _meaningful(code: str) -> tuple[str, ...]:
    """The code's lines that do something: no blank or comment-only lines, no quiz answers."""
    lines = (line.rstrip() for line in code.splitlines())
    return tuple(
        line
        for line in lines
        if line.strip() and not line.lstrip().startswith(("#", f"{ANSWERS_NAME}[", f"{ANSWERS_NAME} ="))
    )


def _cleared(solution: str) -> str:
    """The app cell as released: each `### BEGIN SOLUTION` … `### END SOLUTION` region gone."""
    kept, inside = [], False
    for line in solution.splitlines():
        if line.strip() == MARKERS[0]:
            inside = True
        elif line.strip() == MARKERS[1]:
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept)


@cache
def released_code(lesson_id: str) -> tuple[str, ...]:
    lesson: Lesson = get_lesson(lesson_id)
    starter = lesson.folder / "starter.py"
    parts = [starter.read_text()] if starter.is_file() else []
    parts.append(_cleared(without_docstring(check_markers(lesson.folder / "solution.py"))))
    return _meaningful("\n".join(parts))


def untouched(code: str, lesson: Lesson) -> bool:
    """True when `code` (a submission's graded cells) is the released code with no quiz answer."""
    answers, _ = read_answers(code)
    if any(normalise_answer(value) for value in answers.values()):
        return False
    return _meaningful(code) == released_code(lesson.id)
