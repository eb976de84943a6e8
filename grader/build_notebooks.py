"""Build the notebooks from the lesson folders.

`solutions/NN-id.ipynb` is the reference notebook in nbgrader's source format,
assembled from the lesson's `exercise.md`, `starter.py`, `solution.py` and
`quiz.toml`, so no fact is written twice. `exercises/NN-id.ipynb` is made
from it with nbgrader's own preprocessors (ClearSolutions, ClearOutput).

    python -m grader.build_notebooks          # write both folders
    python -m grader.build_notebooks --check  # exit 1 when a committed notebook is out of date
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader import lab, syntax
from grader._nbformat import nbformat
from grader.lessons import Lesson, all_lessons, lessons_root
from grader.quiz import ANSWERS_NAME, Question, Quiz

# Without `raise NotImplementedError()`: an untouched exercise still runs top to
# bottom, and the check cells say where to start instead of showing a traceback.
CODE_STUB = "# YOUR CODE HERE"
TRY_IT_TAG = "try-it"
# On the cells a learner writes: JupyterLab's Run All then goes on past an error in
# them, so the check cells still run and show the error first (grader/kernel_errors.py).
RAISES_TAG = "raises-exception"
ANSWER_CELL_PREFIX = "quiz-answer-"


def repo_root() -> Path:
    return lessons_root().parent


def _nbgrader(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    if solution:
        return {"nbgrader": meta, "tags": [RAISES_TAG]}
    return {"nbgrader": meta}


def _markdown(cell_id: str, text: str, **nbgrader) -> nbformat.NotebookNode:
    cell = new_markdown_cell(text.strip(), metadata=_nbgrader(cell_id, locked=True, **nbgrader))
    cell.id = cell_id
    return cell


def _code(cell_id: str, source: str, metadata: dict | None = None) -> nbformat.NotebookNode:
    cell = new_code_cell(source.strip("\n"), metadata=metadata or {})
    cell.id = cell_id
    return cell


QUIZ_INTRO = f"""## Quiz

Answer each question in the code cell under it: put the letter of your choice
between the quotes, for example `{ANSWERS_NAME}[1] = "b"`, and run the cell.
The quiz check at the end of the notebook scores your answers and explains them."""

# A class release: the check cell records answers; the instructor's grader scores them.
CLASS_QUIZ_INTRO = f"""## Quiz

Answer each question in the code cell under it: put the letter of your choice
between the quotes, for example `{ANSWERS_NAME}[1] = "b"`, and run the cell.
This is a class quiz: the quiz check at the end of the notebook shows which
questions you have answered, not whether the answers are right. Your score and
the explanations come with your graded feedback."""


def question_markdown(question: Question) -> str:
    lines = [f"**Question {question.number}.** {question.prompt}", ""]
    lines += [f"- **{choice.key})** {choice.text}" for choice in question.choices]
    return "\n".join(lines)


def answer_source(question: Question) -> str:
    """The answer cell. The line outside the solution markers is what a learner
    edits: nbgrader's ClearSolutions keeps it and drops the key."""
    keys = [f'"{choice.key}"' for choice in question.choices]
    letters = ", ".join(keys[:-1]) + f" or {keys[-1]}"
    return (
        f'{ANSWERS_NAME}[{question.number}] = ""  # your answer: {letters}\n'
        f'### BEGIN SOLUTION\n{ANSWERS_NAME}[{question.number}] = "{question.answer}"\n### END SOLUTION'
    )


def quiz_cells(quiz: Quiz, release: str | None = None) -> list[nbformat.NotebookNode]:
    cells = [
        _markdown("quiz", CLASS_QUIZ_INTRO if release else QUIZ_INTRO),
        _code(
            "quiz-init", f"{ANSWERS_NAME} = {{}}  # the cells below fill this in", _nbgrader("quiz-init", locked=True)
        ),
    ]
    for question in quiz.questions:
        cells.append(_markdown(f"quiz-q{question.number}", question_markdown(question)))
        grade_id = f"{ANSWER_CELL_PREFIX}{question.number}"
        cells.append(_code(grade_id, answer_source(question), _nbgrader(grade_id, solution=True)))
    return cells


def without_docstring(source: str) -> str:
    """The module's code without its docstring, which is written for course authors
    ("the reference solution..."); the instructions cell speaks to the learner."""
    tree = syntax.parse(source)
    first = tree.body[0] if tree.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        source = "\n".join(source.split("\n")[first.end_lineno :]).lstrip("\n")
    return source


MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def check_markers(path: Path) -> str:
    """nbgrader treats any line containing a marker's words as a marker: allow only the exact lines."""
    text = path.read_text()
    for number, line in enumerate(text.splitlines(), start=1):
        if any(marker[4:] in line for marker in MARKERS) and line.strip() not in MARKERS:
            raise ValueError(
                f"{path}:{number}: only a line that is exactly {' or '.join(MARKERS)} may name a solution marker"
            )
    return text


def quiz_check_source(lesson: Lesson, quiz: Quiz, release: str | None) -> str:
    call = (
        f'quiz_points("{lesson.id}")'
        if release is None
        else f'quiz_points("{lesson.id}", release="{release}", questions={quiz.max_score})'
    )
    return f"from grader.kernel_checks import quiz_points\n\n{call}"


def build_solution(lesson: Lesson, quiz: Quiz | None = None, release: str | None = None) -> nbformat.NotebookNode:
    """The lesson's source notebook; with a release id, a class release of `quiz` (its shuffled questions)."""
    quiz = lesson.quiz if quiz is None else quiz
    folder = lesson.folder
    intro = (folder / "exercise.md").read_text() if (folder / "exercise.md").is_file() else ""
    header = "\n\n".join(
        part
        for part in (
            f"# Lesson {lesson.number:02d} · {lesson.title} — {lesson.exercise}",
            f"Read the lesson first: {lesson.page_url()} (served by `make docs`).",
            HOW_TO_TEXT,
            intro.strip(),
        )
        if part
    )
    cells = [_markdown("instructions", header)]
    if (folder / "starter.py").is_file():
        cells.append(_code("starter", (folder / "starter.py").read_text(), {"tags": [RAISES_TAG]}))
    cells.append(
        _code("app", without_docstring(check_markers(folder / "solution.py")), _nbgrader("app", solution=True))
    )
    cells.append(_markdown("try-it-intro", lesson.meta.get("try_it_text", TRY_IT_TEXT)))
    try_it = _code("try-it", lesson.meta.get("try_it", DEFAULT_TRY_IT), {"tags": [TRY_IT_TAG, RAISES_TAG]})
    cells.append(try_it)
    cells.extend(quiz_cells(quiz, release))
    cells.append(_markdown("check-intro", CLASS_CHECK_TEXT if release else CHECK_TEXT))
    cells.append(
        _code(
            "check-exercise",
            f'from grader.kernel_checks import exercise_points\n\nexercise_points("{lesson.id}")',
            _nbgrader("check-exercise", grade=True, locked=True, points=lesson.exercise_points),
        )
    )
    cells.append(
        _code(
            "check-quiz",
            quiz_check_source(lesson, quiz, release),
            _nbgrader("check-quiz", grade=True, locked=True, points=quiz.max_score),
        )
    )
    nb = new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": dict(lab.KERNELSPEC),  # what JupyterLab writes for the python3 kernel
        "language_info": dict(lab.LANGUAGE_INFO),  # what grader.lab's save hook restores
        "grader": {"lesson": lesson.id, **({"release": release} if release else {})},
    }
    return nb


TRY_IT_TEXT = """## Try it

Call your app from here while you work. The grader does not run this cell
(it is tagged `try-it`), so experiments here never change your score."""

DEFAULT_TRY_IT = """from fastapi.testclient import TestClient

client = TestClient(app)
response = client.get("/docs")
response.status_code"""

HOW_TO_TEXT = """**How this notebook works.** Write your code in the cell marked
`# YOUR CODE HERE`, answer the quiz questions, then run every cell
(*Run → Run All Cells*). The two check cells at the end grade your work and
say what to do next; run them as often as you like. Before you write
anything, they tell you where to start."""

CHECK_TEXT = """## Check your work

The two cells below grade your app and your quiz answers right here. A green
row passes; a red row says what was sent, what was expected and what came
back, with a hint and a link to the lesson section. After changing your code,
run all cells again (*Run → Run All Cells*) so the checks see the new version.

The same checks run in a sandbox with `grader check` on this notebook, and
`grader watch` re-runs them in a terminal each time you save."""


CLASS_CHECK_TEXT = """## Check your work

The first cell below grades your app right here: a green row passes; a red
row says what was sent, what was expected and what came back, with a hint and
a link to the lesson section. The second records your quiz answers; your
instructor scores them. After changing your code, run all cells again
(*Run → Run All Cells*) so the checks see the new version."""


def build_exercise(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    from nbgrader.preprocessors import ClearOutput, ClearSolutions
    from traitlets.config import Config

    config = Config()
    config.ClearSolutions.code_stub = {"python": CODE_STUB}
    nb = nbformat.from_dict(solution)
    resources: dict = {}
    for preprocessor in (ClearSolutions(config=config), ClearOutput(config=config)):
        nb, resources = preprocessor.preprocess(nb, resources)
    # Exactly what `nbgrader generate_assignment` releases, so self-learners and classes see one notebook.
    return nb


def render(nb: nbformat.NotebookNode) -> str:
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def targets(lesson: Lesson) -> dict[Path, str]:
    root = repo_root()
    solution = build_solution(lesson)
    return {
        root / "solutions" / f"{lesson.slug}.ipynb": render(solution),
        root / "exercises" / f"{lesson.slug}.ipynb": render(build_exercise(solution)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report notebooks that are out of date")
    args = parser.parse_args(argv)
    stale = []
    for lesson in all_lessons():
        for path, text in targets(lesson).items():
            current = path.read_text() if path.exists() else None
            if current == text:
                continue
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    verb = "out of date" if args.check else "written"
    for path in stale:
        print(f"{verb}: {path.relative_to(repo_root())}")
    if args.check and stale:
        print("run `python -m grader.build_notebooks` to rebuild them")
        return 1
    count = 2 * len(all_lessons())
    if args.check:
        print(f"All {count} notebooks are up to date.")
    elif not stale:
        print(f"All {count} notebooks were already up to date.")
    else:
        print(f"Wrote {len(stale)} of {count} notebooks.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
