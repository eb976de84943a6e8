"""The real `grader check` command on inputs a class really hands in.

Unusable files end with exit code 2 and one clear line on stderr; files that
can be graded, however broken the code in them, are graded (exit 0) with notes
that say what went wrong and where.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = (ROOT / "lessons" / "01-status-codes" / "solution.py").read_text()
GRADER = Path(sys.executable).with_name("grader")
# A guard so a grader bug cannot hang the suite; not a measure of speed.
HANG_GUARD_SECONDS = 240

MODELS = '''from fastapi import FastAPI, HTTPException, Response, status
from pydantic import BaseModel


class BookIn(BaseModel):
    title: str
    author: str


class Book(BookIn):
    id: int
'''

APP = '''app = FastAPI(title="Bookshelf API")
BOOKS: dict[int, Book] = {}


def next_id() -> int:
    return max(BOOKS, default=0) + 1
'''

ROUTES = {
    "create": '''@app.post("/books", status_code=status.HTTP_201_CREATED)
def create_book(book: BookIn, response: Response) -> Book:
    new = Book(id=next_id(), **book.model_dump())
    BOOKS[new.id] = new
    response.headers["Location"] = f"/books/{new.id}"
    return new
''',
    "list": '''@app.get("/books")
def list_books() -> list[Book]:
    return list(BOOKS.values())
''',
    "import": '''@app.post("/books/import", status_code=status.HTTP_202_ACCEPTED)
def import_books(books: list[BookIn]) -> dict[str, int]:
    return {"accepted": len(books)}
''',
    "get": '''@app.get("/books/{book_id}")
def get_book(book_id: int) -> Book:
    if book_id not in BOOKS:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Book not found")
    return BOOKS[book_id]
''',
    "put": '''@app.put("/books/{book_id}")
def put_book(book_id: int, book: BookIn, response: Response) -> Book:
    if book_id not in BOOKS:
        response.status_code = status.HTTP_201_CREATED
    BOOKS[book_id] = Book(id=book_id, **book.model_dump())
    return BOOKS[book_id]
''',
    "delete": '''@app.delete("/books/{book_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_book(book_id: int) -> None:
    if book_id not in BOOKS:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Book not found")
    del BOOKS[book_id]
''',
}


def whole_app(**replace: str) -> str:
    routes = {**ROUTES, **replace}
    return "\n\n".join([MODELS, APP, *routes.values()])


def write_notebook(path: Path, *sources: str, lesson: str | None = "status-codes") -> Path:
    """A notebook as a learner has it: a markdown cell first, then one code cell per source."""
    nb = new_notebook(cells=[new_markdown_cell("# Bookshelf API")] + [new_code_cell(s) for s in sources])
    if lesson:
        nb.metadata["grader"] = {"lesson": lesson}
    nbformat.write(nb, path)
    return path


def run_grader(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [str(GRADER)] if GRADER.exists() else [sys.executable, "-m", "grader"]
    return subprocess.run(
        [*command, "check", *args], cwd=cwd, capture_output=True, text=True, timeout=HANG_GUARD_SECONDS
    )


def graded(path: Path, *extra: str) -> dict:
    """Grade with --json; the run must succeed (exit 0) with one JSON object on stdout."""
    result = run_grader(str(path), "--json", *extra, cwd=path.parent)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def failed(report: dict) -> dict[str, str]:
    return {c["name"]: c["feedback"] for c in report["exercise"]["checks"] if not c["passed"]}


# -- unusable inputs: exit 2, one line on stderr -------------------------------------------------


def notebook_v2(path: Path) -> None:
    path.write_text(json.dumps({"nbformat": 2, "nbformat_minor": 0, "metadata": {}, "worksheets": []}))


def notebook_v5(path: Path) -> None:
    path.write_text(json.dumps({"nbformat": 5, "nbformat_minor": 0, "metadata": {}, "cells": []}))


def cell_without_metadata(path: Path) -> None:
    cells = [{"cell_type": "code", "source": "app = 1", "outputs": [], "execution_count": None}]
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}))


UNUSABLE = {
    # name: (file name, how to make it, words the error line must contain)
    "not-json": ("work.ipynb", lambda p: p.write_text("{ this is not json"), "invalid JSON"),
    "empty-notebook-file": ("work.ipynb", lambda p: p.write_text(""), "invalid JSON"),
    "json-object-not-notebook": ("work.ipynb", lambda p: p.write_text('{"name": "my notebook"}'), "not a notebook"),
    "json-list-not-notebook": ("work.ipynb", lambda p: p.write_text("[1, 2, 3]"), "not a notebook"),
    "nbformat-2": ("work.ipynb", notebook_v2, "format version 2"),
    "nbformat-5": ("work.ipynb", notebook_v5, "format version 5"),
    "invalid-nbformat-4": ("work.ipynb", cell_without_metadata, "not a valid notebook"),
    "latin-1-module": ("work_status-codes.py", lambda p: p.write_bytes("titre = 'café'\n".encode("latin-1")), "not UTF-8"),
    "latin-1-notebook": ("work.ipynb", lambda p: p.write_bytes('{"cells": ["é"]}'.encode("latin-1")), "not UTF-8"),
    "text-file": ("work.txt", lambda p: p.write_text("app = FastAPI()\n"), "expected a notebook (.ipynb) or a Python module (.py)"),
    "missing-file": ("nowhere.ipynb", lambda p: None, "no such file"),
    "directory": ("folder.ipynb", lambda p: p.mkdir(), "not a file"),
}


@pytest.mark.parametrize("case", sorted(UNUSABLE))
def test_unusable_input_exits_2_with_one_clear_line(tmp_path, case):
    name, make, words = UNUSABLE[case]
    path = tmp_path / name
    make(path)
    result = run_grader(str(path), "--lesson", "status-codes", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr  # tmp paths are long: the line must not be wrapped
    assert lines[0].startswith("error: ")
    assert str(path) in lines[0]
    assert words in lines[0]
    assert "Traceback" not in result.stderr


def test_unknown_lesson_exits_2_listing_the_known_ones(tmp_path):
    path = tmp_path / "work.py"
    path.write_text(SOLUTION)
    result = run_grader(str(path), "--lesson", "no-such-lesson", cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert "unknown lesson 'no-such-lesson'" in line
    assert "status-codes" in line
    assert "Traceback" not in result.stderr


def test_unknown_lesson_in_notebook_metadata_exits_2(tmp_path):
    path = write_notebook(tmp_path / "work.ipynb", SOLUTION, lesson="lesson-99")
    result = run_grader(str(path), cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert "unknown lesson 'lesson-99'" in line


def test_no_way_to_tell_the_lesson_exits_2(tmp_path):
    path = write_notebook(tmp_path / "homework.ipynb", SOLUTION, lesson=None)
    result = run_grader(str(path), cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert "--lesson" in line


def test_brackets_in_a_path_are_shown_as_written(tmp_path):
    path = tmp_path / "work [copy].ipynb"
    result = run_grader(str(path), "--lesson", "status-codes", cwd=tmp_path)
    assert result.returncode == 2
    assert "work [copy].ipynb: no such file" in result.stderr


# -- gradable but broken: exit 0, graded, notes say what happened ------------------------------


def test_no_app_is_graded_zero_with_a_note(tmp_path):
    report = graded(write_notebook(tmp_path / "work.ipynb", MODELS, "BOOKS = {}"))
    assert report["exercise"]["score"] == 0
    assert any("No `app` was defined" in note for note in report["notes"])
    assert all(c["feedback"].startswith("Not run: No `app`") for c in report["exercise"]["checks"])
    assert any(note.startswith("Where to start") for note in report["notes"])


def test_app_that_is_not_asgi_is_graded_zero_with_a_note(tmp_path):
    report = graded(write_notebook(tmp_path / "work.ipynb", "app = 5"))
    assert report["exercise"]["score"] == 0
    assert any("`app` holds a value of type `int`, not an ASGI application" in note for note in report["notes"])


def test_syntax_error_names_cell_and_line_and_the_rest_is_graded(tmp_path):
    broken = "shelf = 'main'\nlimit = 3\nif limit > 2\n    print(shelf)"
    report = graded(write_notebook(tmp_path / "work.ipynb", whole_app(), broken))
    [note] = [n for n in report["notes"] if "SyntaxError" in n]
    # Cell 3: the markdown cell counts, as a learner counts cells.
    assert note.startswith("Cell 3, line 3: SyntaxError: expected ':' in `if limit > 2`"), note
    assert report["exercise"]["score"] == report["exercise"]["max_score"]


def test_syntax_error_in_the_app_cell_grades_zero(tmp_path):
    report = graded(write_notebook(tmp_path / "work.ipynb", whole_app().replace("def list_books()", "def list_books(")))
    assert any(n.startswith("Cell 2, line ") and "SyntaxError" in n for n in report["notes"])
    assert report["exercise"]["score"] == 0


def test_missing_module_is_reported_and_grading_goes_on(tmp_path):
    report = graded(write_notebook(tmp_path / "work.ipynb", "import missing_module_xyz", whole_app()))
    assert "Cell 2, line 1: ModuleNotFoundError: No module named 'missing_module_xyz'" in " ".join(report["notes"])
    assert report["exercise"]["score"] == report["exercise"]["max_score"]


def test_missing_module_in_the_app_cell_leaves_no_app(tmp_path):
    report = graded(write_notebook(tmp_path / "work.ipynb", "import missing_module_xyz\n" + whole_app()))
    assert any("ModuleNotFoundError" in n for n in report["notes"])
    # The code stopped before `app`: the crash is the news, not a missing `app` nor a to-do list.
    assert not any("No `app` was defined" in n or n.startswith("Where to start") for n in report["notes"])
    assert any("stopped before defining `app`" in n for n in report["notes"])
    assert report["exercise"]["score"] == 0


def test_cell_raising_after_app_is_defined_is_noted_and_grading_goes_on(tmp_path):
    later = 'print("checking")\nstock = {"dune": 3}\nstock["foundation"] += 1'
    report = graded(write_notebook(tmp_path / "work.ipynb", whole_app(), later))
    assert "Cell 3, line 3: KeyError: 'foundation'" in " ".join(report["notes"])
    assert report["exercise"]["score"] == report["exercise"]["max_score"]
    assert "checking" in report["output"]


def test_handler_that_sleeps_forever_fails_its_checks_as_timed_out(tmp_path):
    sleeping = '''import time


@app.post("/books/import", status_code=status.HTTP_202_ACCEPTED)
def import_books(books: list[BookIn]) -> dict[str, int]:
    time.sleep(10**6)
    return {"accepted": len(books)}
'''
    report = graded(write_notebook(tmp_path / "work.ipynb", whole_app(**{"import": sleeping})))
    lost = failed(report)
    assert set(lost) == {"import-202", "import-counts"}
    for feedback in lost.values():
        assert "POST /books/import" in feedback
        assert "seems to hang" in feedback
    # The app was started again after each hang, so the check after them still ran and passed.
    assert next(c for c in report["exercise"]["checks"] if c["name"] == "invalid-body-422")["passed"]


def test_cell_that_never_finishes_loading_is_reported(tmp_path):
    report = graded(write_notebook(tmp_path / "work.ipynb", whole_app(), "while True:\n    pass"))
    assert report["exercise"]["score"] == 0
    assert any("did not finish loading" in n for n in report["notes"])


def test_magics_and_shell_escapes_are_dropped_with_a_note(tmp_path):
    report = graded(
        write_notebook(
            tmp_path / "work.ipynb",
            "%pip install fastapi",
            "!ls\nfiles = !ls\nimport os",
            "%%bash\necho hello",
            whole_app(),
        )
    )
    notes = " ".join(report["notes"])
    assert "Cell 2, line 1: skipped IPython-only line `%pip install fastapi`" in notes
    assert "Cell 3, line 1: skipped IPython-only line `!ls`" in notes
    assert "Cell 3, line 2: skipped IPython-only line `files = !ls`" in notes
    assert "Cell 4: cell magic %%bash is not run by the grader" in notes
    assert not any("Error" in n for n in report["notes"])
    assert report["exercise"]["score"] == report["exercise"]["max_score"]


def check_outcomes(report: dict) -> list[tuple]:
    return [(c["name"], c["passed"], c["points"], c["feedback"]) for c in report["exercise"]["checks"]]


@pytest.mark.parametrize("variant", ["right", "wrong"])
def test_one_cell_or_many_cells_or_a_module_grade_the_same(tmp_path, variant):
    # A wrong variant too, so "the same" is about every check's outcome and feedback, not only full marks.
    replace = {} if variant == "right" else {"delete": ROUTES["delete"].replace("status_code=status.HTTP_204_NO_CONTENT", "")}
    whole = whole_app(**replace)
    routes = {**ROUTES, **replace}
    one = write_notebook(tmp_path / "one.ipynb", whole)
    many = write_notebook(tmp_path / "many.ipynb", MODELS, APP, *routes.values())
    module = tmp_path / "module_status-codes.py"
    module.write_text(whole)
    reports = [graded(path, "--seed", "4242") for path in (one, many, module)]
    assert check_outcomes(reports[0]) == check_outcomes(reports[1]) == check_outcomes(reports[2])
    if variant == "right":
        assert reports[0]["exercise"]["score"] == reports[0]["exercise"]["max_score"]
    else:
        # Without status_code=204, returning None sends 200 with the body `null`.
        assert set(failed(reports[0])) == {"delete-204", "delete-empty-body"}


def test_json_output_has_the_documented_fields(tmp_path):
    from grader.lessons import get_lesson

    quiz_01 = get_lesson("status-codes").quiz
    first_q, second_q = quiz_01.questions[:2]
    second_wrong = next(c.key for c in second_q.choices if not c.correct)
    answers = f'QUIZ_ANSWERS = {{1: "{first_q.answer}", 2: "{second_wrong}"}}'
    report = graded(write_notebook(tmp_path / "work.ipynb", whole_app(), answers))
    assert report["lesson"] == "status-codes"
    assert isinstance(report["score"], int) and isinstance(report["max_score"], int)
    exercise, quiz = report["exercise"], report["quiz"]
    assert report["score"] == exercise["score"] + quiz["score"]
    assert report["max_score"] == exercise["max_score"] + quiz["max_score"]
    assert exercise["score"] == exercise["max_score"] == 22
    for check in exercise["checks"]:
        assert {"name", "passed", "points", "max_points", "feedback"} <= set(check)
        assert isinstance(check["passed"], bool)
        assert check["points"] == (check["max_points"] if check["passed"] else 0)
    assert sum(c["max_points"] for c in exercise["checks"]) == exercise["max_score"]
    assert quiz["max_score"] == len(quiz["questions"]) == quiz_01.max_score
    assert quiz["score"] == 1  # question 1 right, question 2 wrong, the rest unanswered
    first, second = quiz["questions"][:2]
    assert first["correct"] and not second["correct"]
    assert quiz["questions"][2]["given"] is None


def test_plain_report_is_shown_for_a_graded_submission(tmp_path):
    path = write_notebook(tmp_path / "work.ipynb", whole_app(**{"create": ROUTES["create"].replace(
        "status_code=status.HTTP_201_CREATED", "")}))
    result = run_grader(str(path), cwd=tmp_path)
    assert result.returncode == 0
    assert "Traceback" not in result.stdout + result.stderr
    assert "Exercise 20/22" in result.stdout
    assert "Hint:" in result.stdout
