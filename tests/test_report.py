"""The terminal report of `grader check`: a crash is the first message (and the last line), and a
check that hit a route the app does not have says so instead of a misleading hint."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI, HTTPException
from httpx2 import Headers
from typer.testing import CliRunner

from grader import expect
from grader.cli import app
from grader.client import LocalClient, Reply
from grader.lessons import get_lesson

LESSON = get_lesson("status-codes")
ROOT = Path(__file__).resolve().parent.parent
ONLY_POST = """
from fastapi import FastAPI
from pydantic import BaseModel

class BookIn(BaseModel):
    title: str
    author: str

app = FastAPI()
BOOKS = {}

@app.post("/books", status_code=201)
def create(book: BookIn):
    new_id = max(BOOKS, default=0) + 1
    BOOKS[new_id] = {"id": new_id, **book.model_dump()}
    return BOOKS[new_id]
"""


def check(path, *args: str):
    return CliRunner().invoke(app, ["check", str(path), "--lesson", LESSON.id, *args], env={"COLUMNS": "400"})


def test_a_crash_is_the_first_thing_the_report_prints_and_the_last_line_repeats_it(tmp_path):
    path = tmp_path / "bookshelf.py"
    path.write_text(ONLY_POST + '\nraise RuntimeError("boom at the end")\n')
    result = check(path)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("Your code crashed") < out.index("RuntimeError: boom at the end") < out.index("Exercise ")
    assert out.count("RuntimeError: boom at the end") == 2  # the panel on top, one line next to the prompt
    assert out.rstrip().splitlines()[-1].startswith("Fix this first: Module, line ")


def test_code_that_never_loads_lists_the_checks_once_and_the_reason_first(tmp_path):
    path = tmp_path / "bookshelf.py"
    path.write_text("import nonexistent_module_xyz\n")
    out = check(path).output
    assert out.index("nonexistent_module_xyz") < out.index("Exercise ") < out.index("Total ")
    assert "No check could run" in out and "Not run:" not in out
    assert out.rstrip().splitlines()[-1].startswith("Fix this first:")


def solution_notebook(tmp_path, old: str, new: str):
    """Lesson 01's solution notebook with one edit in the cell that holds `old`."""
    import nbformat

    nb = nbformat.read(str(ROOT / "solutions" / f"{LESSON.slug}.ipynb"), as_version=4)
    [number] = [n for n, cell in enumerate(nb.cells, start=1) if old in cell.source]
    nb.cells[number - 1].source = nb.cells[number - 1].source.replace(old, new)
    path = tmp_path / f"{LESSON.slug}.ipynb"
    nbformat.write(nb, str(path))
    return path, number


def test_a_cell_that_raises_leads_and_the_routes_it_never_defined_are_not_reached(tmp_path):
    path, number = solution_notebook(tmp_path, "status.HTTP_201_CREATED)", "status.HTTP_201_CREATE)")
    report = json.loads(check(path, "--json").stdout)
    [crash] = report["crashes"]
    assert crash.startswith(f"Cell {number}, line ") and "AttributeError" in crash and "HTTP_201_CREATE" in crash
    assert "in `@app.post(\"/books\", status_code=status.HTTP_201_CREATE)`" in crash  # the line, quoted
    assert not any(note.startswith("Where to start") for note in report["notes"])
    feedback = [c["feedback"] for c in report["exercise"]["checks"] if not c["passed"]]
    assert feedback and not any("define it" in f for f in feedback)
    assert any(f.startswith("Not reached: your code stopped before defining POST /books") for f in feedback)
    out = check(path).output
    assert out.index(f"Cell {number}, line") < out.index("Exercise ") and "Where to start" not in out


def test_a_syntax_error_is_reported_as_one_not_as_a_missing_app(tmp_path):
    path, number = solution_notebook(tmp_path, 'app = FastAPI(title="Bookshelf API")', 'app = FastAPI(title="Bookshelf API"')
    report = json.loads(check(path, "--json").stdout)
    assert report["crashes"][0].startswith(f"Cell {number}, line ") and "SyntaxError" in report["crashes"][0]
    notes = " ".join(report["notes"])
    assert "No `app` was defined" not in notes and "Where to start" not in notes
    assert "stopped before defining `app`" in notes


def test_every_check_that_hits_an_undefined_route_says_so_without_its_hint(tmp_path):
    path = tmp_path / "bookshelf.py"
    path.write_text(ONLY_POST)
    report = json.loads(check(path, "--json").stdout)
    by_name = {c["name"]: c for c in report["exercise"]["checks"]}
    for name in ("get-book", "put-updates-200", "delete-204", "import-202", "get-unknown-404", "delete-unknown-404"):
        assert by_name[name]["feedback"].startswith("No route for "), by_name[name]
        assert ": define it." in by_name[name]["feedback"] and by_name[name]["hint"] == ""
    assert by_name["list-books"]["feedback"].startswith("No route for GET /books: define it.")  # POST exists: 405
    assert by_name["create-sets-location"]["hint"]  # a route that exists keeps its hint
    assert "No route" not in by_name["create-sets-location"]["feedback"]


def reply(method: str, path: str, status: int, body: dict) -> Reply:
    return Reply(method, path, status, Headers({"content-type": "application/json"}), json.dumps(body).encode())


def test_undeclared_route_tells_the_routers_404_from_the_apps():
    document = {"paths": {"/books/{book_id}": {"get": {}}, "/files/{name:path}": {"get": {}}, "/": {"get": {}}}}
    document = expect.openapi_routes(document)
    not_found, not_allowed = {"detail": "Not Found"}, {"detail": "Method Not Allowed"}
    assert expect.undeclared_route(document, reply("GET", "/books/7", 404, not_found)) is None  # the app's own 404
    assert expect.undeclared_route(document, reply("GET", "/books/7?x=1", 404, not_found)) is None
    assert expect.undeclared_route(document, reply("GET", "/files/a/b.txt", 404, not_found)) is None
    assert expect.undeclared_route(document, reply("GET", "/", 404, not_found)) is None
    assert expect.undeclared_route(document, reply("DELETE", "/books/7", 405, not_allowed)) == "DELETE /books/7"
    assert expect.undeclared_route(document, reply("GET", "/books/7/cover", 404, not_found)) == "GET /books/7/cover"
    assert expect.undeclared_route(document, reply("GET", "/authors", 404, {"detail": "Author not found"})) is None
    assert expect.undeclared_route(document, reply("GET", "/authors", 200, not_found)) is None


def test_the_same_holds_in_the_notebooks_kernel_client():
    """The in-notebook checks (LocalClient) get the same message from the same code."""
    from grader.checks import Context
    from grader.grade import run_checks

    bookshelf = FastAPI()

    @bookshelf.get("/books/{book_id}")
    def get_book(book_id: int):
        raise HTTPException(404)

    client = LocalClient(bookshelf)
    try:
        results = {r.name: r for r in run_checks(LESSON, client, Context(seed=1))}
    finally:
        client.close()
    assert results["create-status-201"].feedback.startswith("No route for POST /books: define it.")
    assert results["get-unknown-404"].passed  # declared: its own 404 is the right answer


def test_the_batch_names_the_crash_first_too(tmp_path):
    """An instructor's batch: a notebook that never defined `app` because a cell did not parse is
    reported with that cell, line and error, not "No app was defined" nor "not reached"."""
    from grader.classroom.batch import grade_one
    from grader.classroom.discovery import Job
    from grader.classroom.gradebook import NOT_LOADED

    path, number = solution_notebook(tmp_path, 'app = FastAPI(title="Bookshelf API")', 'app = FastAPI(title="Bookshelf API"')
    outcome = grade_one(Job("ann", path, LESSON.id))
    assert outcome.status == NOT_LOADED
    assert outcome.reason.startswith(f"Cell {number}, line ") and "SyntaxError" in outcome.reason, outcome.reason
