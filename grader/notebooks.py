"""Build the notebooks from the lesson folders.

`solutions/NN-id.ipynb` is the reference notebook in nbgrader's source format,
assembled from the lesson's `exercise.md`, `starter.py`, `solution.py` and
`quiz.toml`, so no fact is written twice. `exercises/NN-id.ipynb` is made
from it with nbgrader's own preprocessors (ClearSolutions, ClearOutput).

    python -m grader.notebooks          # write both folders
    python -m grader.notebooks --check  # exit 1 when a committed notebook is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.lessons import Lesson, all_lessons, lessons_root
from grader.quiz import ANSWERS_NAME, Quiz

# Without `raise NotImplementedError()`: an untouched exercise still runs top to
# bottom, and the check cells say where to start instead of showing a traceback.
CODE_STUB = "# YOUR CODE HERE"
TRY_IT_TAG = "try-it"


def repo_root() -> Path:
    return lessons_root().parent


def _nbgrader(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _markdown(cell_id: str, text: str, **nbgrader) -> nbformat.NotebookNode:
    cell = new_markdown_cell(text.strip(), metadata=_nbgrader(cell_id, locked=True, **nbgrader))
    cell.id = cell_id
    return cell


def _code(cell_id: str, source: str, metadata: dict | None = None) -> nbformat.NotebookNode:
    cell = new_code_cell(source.strip("\n"), metadata=metadata or {})
    cell.id = cell_id
    return cell


def quiz_markdown(quiz: Quiz) -> str:
    lines = ["## Quiz", "", f"Answer in the `{ANSWERS_NAME}` cell below with the letter of each choice (for example `\"b\"`)."]
    for question in quiz.questions:
        lines += ["", f"**{question.number}.** {question.prompt}", ""]
        lines += [f"- **{choice.key})** {choice.text}" for choice in question.choices]
    return "\n".join(lines)


def quiz_answers_source(quiz: Quiz) -> str:
    blank = "\n".join(f"    {q.number}: None," for q in quiz.questions)
    key = ", ".join(f'{q.number}: "{q.answer}"' for q in quiz.questions)
    return (
        f"# Replace each None with the letter of your answer, for example \"b\".\n"
        f"{ANSWERS_NAME} = {{\n{blank}\n}}\n"
        f"### BEGIN SOLUTION\n{ANSWERS_NAME}.update({{{key}}})\n### END SOLUTION"
    )


MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def check_markers(path: Path) -> str:
    """nbgrader treats any line containing a marker's words as a marker: allow only the exact lines."""
    text = path.read_text()
    for number, line in enumerate(text.splitlines(), start=1):
        if any(marker[4:] in line for marker in MARKERS) and line.strip() not in MARKERS:
            raise ValueError(f"{path}:{number}: only a line that is exactly {' or '.join(MARKERS)} may name a solution marker")
    return text


def build_solution(lesson: Lesson) -> nbformat.NotebookNode:
    folder = lesson.folder
    intro = (folder / "exercise.md").read_text() if (folder / "exercise.md").is_file() else ""
    header = f"# Lesson {lesson.number:02d} · {lesson.title} — {lesson.exercise}\n\n{intro.strip()}\n\nRead the lesson first: {lesson.page_url()}"
    cells = [_markdown("instructions", header)]
    if (folder / "starter.py").is_file():
        cells.append(_code("starter", (folder / "starter.py").read_text()))
    cells.append(_code("app", check_markers(folder / "solution.py"), _nbgrader("app", solution=True)))
    cells.append(_markdown("try-it-intro", lesson.meta.get("try_it_text", TRY_IT_TEXT)))
    try_it = _code("try-it", lesson.meta.get("try_it", DEFAULT_TRY_IT), {"tags": [TRY_IT_TAG]})
    cells.append(try_it)
    cells.append(_markdown("quiz", quiz_markdown(lesson.quiz)))
    cells.append(_code("quiz-answers", quiz_answers_source(lesson.quiz), _nbgrader("quiz-answers", solution=True)))
    cells.append(_markdown("check-intro", CHECK_TEXT))
    cells.append(
        _code(
            "check-exercise",
            f'from grader.notebook import exercise_points\n\nexercise_points("{lesson.id}", app)',
            _nbgrader("check-exercise", grade=True, locked=True, points=lesson.exercise_points),
        )
    )
    cells.append(
        _code(
            "check-quiz",
            f'from grader.notebook import quiz_points\n\nquiz_points("{lesson.id}", {ANSWERS_NAME})',
            _nbgrader("check-quiz", grade=True, locked=True, points=lesson.quiz.max_score),
        )
    )
    nb = new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "grader": {"lesson": lesson.id},
    }
    return nb


TRY_IT_TEXT = """## Try it

Call your app from here while you work. The grader does not run this cell
(it is tagged `try-it`), so experiments here never change your score."""

DEFAULT_TRY_IT = """from fastapi.testclient import TestClient

client = TestClient(app)
response = client.get("/docs")
response.status_code"""

CHECK_TEXT = """## Check your work

Run the two cells below (or *Run → Run All Cells*). They grade your app and
your quiz answers right here and tell you what to fix next. The same checks
run when you use `grader check` on this notebook."""


def build_exercise(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    from nbgrader.preprocessors import ClearOutput, ClearSolutions
    from traitlets.config import Config

    config = Config()
    config.ClearSolutions.code_stub = {"python": CODE_STUB}
    nb = nbformat.from_dict(solution)
    resources: dict = {}
    for preprocessor in (ClearSolutions(config=config), ClearOutput(config=config)):
        nb, resources = preprocessor.preprocess(nb, resources)
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
        print("run `python -m grader.notebooks` to rebuild them")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
