"""The capstone's untouched exercise is the leaky starter app: it must score what it deserves.

It passes only what it really does right (a 204 status on DELETE, the report
of a two-part name), scores well below half, and the failing feedback names
every pitfall the app was built with.
"""

import pytest

from grader.grade import grade_path
from grader.lessons import get_lesson

LESSON = get_lesson("capstone")
STARTER = LESSON.folder / "starter.py"

PASSING = {"delete-204", "report-200"}

# pitfall -> (check whose feedback must name it, words that name it)
PITFALLS = {
    "the stored record is returned as it is": ("create-returns-user-out", ["extra ['hashed_password', 'internal_notes', 'is_deleted']"]),
    "the password hash leaks": ("no-leaks", ["forbidden key 'hashed_password'", "the hash of a password sent to post /users"]),
    "internal fields leak": ("no-leaks", ["forbidden key 'internal_notes'", "forbidden key 'is_deleted'"]),
    "200 on create": ("create-status-201", ["expected status 201 created", "got 200"]),
    "no Location on create": ("create-sets-location", ["location header"]),
    "a placeholder user for a missing id": ("get-unknown-404", ["placeholder user"]),
    "an error body with status 200": ("delete-unknown-404", ['got 200 with the error body {"error"', "looks like success"]),
    "an error body with status 200 on the report": ("report-unknown-404", ['got 200 with the error body {"error"']),
    "a body on a 204": ("delete-empty-body", ["expected an empty body", 'got 204 with the body {"deleted"']),
    "a deleted user is still served": ("deleted-get-404", ["the deleted user, still served"]),
    "a deleted user is still listed": ("deleted-not-listed", ["still listed"]),
    "a traceback in the 500": ("report-500-hidden", ["showing internals", "traceback", "valueerror"]),
    "login returns the user record": ("login-token", ["post /login", "extra ['user']"]),
    "a refused login answers 200": ("login-wrong-401", ["expected status 401", 'got 200 with the error body {"error"']),
    "a refused login has no WWW-Authenticate": ("login-www-authenticate", ["refused with 401"]),
    "OpenAPI documents no UserOut": ("openapi-user-out", ["documented with no fields"]),
}


@pytest.fixture(scope="module")
def report():
    return grade_path(STARTER, lesson_id=LESSON.id)


def test_starter_loads_and_defines_the_contract_routes(report):
    assert not report.notes, report.notes


def test_starter_fails_exactly_the_checks_of_its_pitfalls(report):
    failed = {c.name for c in report.checks if not c.passed}
    assert failed == {c.name for c in LESSON.checks} - PASSING, "\n".join(f"{c.name}: {c.feedback}" for c in report.checks)


def test_starter_scores_well_below_half(report):
    passed_points = sum(c.points for c in LESSON.checks if c.name in PASSING)
    assert report.exercise_score == passed_points
    assert report.exercise_score * 4 < report.exercise_max  # under a quarter: "well below half"


@pytest.mark.parametrize("pitfall", PITFALLS)
def test_feedback_names_each_pitfall(report, pitfall):
    name, words = PITFALLS[pitfall]
    result = next(c for c in report.checks if c.name == name)
    assert not result.passed
    for word in words:
        assert word in result.feedback.lower(), f"{pitfall}: {name} feedback does not say {word!r}: {result.feedback}"
    assert result.hint, f"{name} gives no hint"


def test_starter_keeps_the_curriculum_helpers():
    """The starter's helpers are the curriculum's (build_report reading the User row's
    attributes), and the solution keeps them byte for byte."""
    helpers = (
        "def hash_password(password: str) -> str:\n"
        '    return hashlib.sha256(("capstone:" + password).encode()).hexdigest()\n'
        "\n\n"
        'def build_report(user: "User") -> dict:\n'
        '    """Starter report code: assumes every name has a first and a last part."""\n'
        '    first, last = user.name.split(" ", 1)\n'
        "    return {\n"
        '        "user_id": user.id,\n'
        '        "initials": first[0] + last[0],\n'
        '        "email_domain": user.email.split("@")[1],\n'
        "    }\n"
    )
    assert helpers in STARTER.read_text()
    assert helpers in (LESSON.folder.parent.parent / "docs" / "lessons" / f"{LESSON.slug}.md").read_text()
    solution = (LESSON.folder / "solution.py").read_text()
    assert helpers in solution
    assert solution.index(helpers) < solution.index("### BEGIN SOLUTION")
    # nbgrader reads any line that mentions the markers as one: exactly one pair, and none in the starter.
    assert solution.count("BEGIN SOLUTION") == solution.count("END SOLUTION") == 1
    assert "SOLUTION" not in STARTER.read_text()


def test_solution_cell_after_the_starter_cell_gets_full_marks(tmp_path):
    """The solution notebook runs the starter cell, then the solution cell: together they must be the fixed app."""
    solution = (LESSON.folder / "solution.py").read_text()
    cell = solution.split("### BEGIN SOLUTION\n", 1)[1].split("### END SOLUTION", 1)[0]
    module = tmp_path / "starter_then_solution.py"
    module.write_text(STARTER.read_text() + "\n\n" + cell)
    report = grade_path(module, lesson_id=LESSON.id)
    assert report.exercise_score == report.exercise_max, [f"{c.name}: {c.feedback}" for c in report.checks if not c.passed]


def test_every_check_links_to_an_anchor_of_the_capstone_page(root):
    import re

    page = (root / "docs" / "lessons" / f"{LESSON.slug}.md").read_text()
    anchors = set(re.findall(r"\{ #([a-z0-9-]+) \}", page))
    assert {c.docs for c in LESSON.checks} <= anchors
    assert re.search(r"^<!-- quiz -->$", page, re.M)
    for example in (LESSON.folder / "examples").glob("*.py"):
        assert f'--8<-- "lessons/{LESSON.slug}/examples/{example.name}"' in page, example.name


@pytest.mark.parametrize("name", ["starter.py", "solution.py"])
def test_the_app_is_a_sqlalchemy_orm_app_over_one_in_memory_connection(name, tmp_path):
    """Starter and solution keep users as User rows of an in-memory SQLite database, on one shared
    connection (StaticPool): a row written through one session is read through the next."""
    import importlib.util

    from sqlalchemy.orm import Session
    from sqlalchemy.pool import StaticPool
    from starlette.testclient import TestClient

    spec = importlib.util.spec_from_file_location(f"capstone_{name[:-3]}", LESSON.folder / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.User.__table__.columns.keys()) == {
        "id", "name", "email", "hashed_password", "internal_notes", "is_deleted"}
    assert module.engine.url.get_backend_name() == "sqlite" and module.engine.url.database in (None, "", ":memory:")
    assert isinstance(module.engine.pool, StaticPool)
    client = TestClient(module.app)
    created = client.post("/users", json={"name": "Ada Lovelace", "email": "ada@example.com", "password": "s3cret"})
    with Session(module.engine) as session:
        row = session.get(module.User, created.json()["id"])
        assert row.hashed_password == module.hash_password("s3cret")
        assert module.build_report(row) == {"user_id": row.id, "initials": "AL", "email_domain": "example.com"}
    assert client.get(f"/users/{row.id}").json()["name"] == "Ada Lovelace"
