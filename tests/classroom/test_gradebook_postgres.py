"""The gradebook on a real PostgreSQL server (loopback only).

The server comes from GRADER_TEST_PG_URL (`.ci/run` starts Debian's postgresql
and sets it), else the role and database `.ci/run` creates, on 127.0.0.1:5432.
Without a reachable server the test is skipped and says why.
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from classroom import odd_text, variants
from grader.classroom import exports
from grader.classroom.gradebook import GRADED, UNUSABLE, Gradebook, database_url
from grader.lessons import all_lessons

LESSONS = all_lessons()
FIRST = LESSONS[0]
GRADER = Path(sys.executable).parent / "grader"
DEFAULT_URL = "postgresql+psycopg://grader_test:grader_test@127.0.0.1:5432/grader_test"


def _loopback(host: str | None) -> bool:
    if host in (None, "", "localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(scope="module")
def pg_url(request) -> str:
    """The server's URL with a schema of the requesting module's own first on the search path: modules
    that run at once (under pytest-xdist) each start from empty tables and never see each other's."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[classroom]')")
    url = database_url(os.environ.get("GRADER_TEST_PG_URL") or DEFAULT_URL)
    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("postgresql"):
        pytest.fail(f"GRADER_TEST_PG_URL is not a PostgreSQL URL: {parsed.render_as_string(hide_password=True)}")
    if not _loopback(parsed.host):
        pytest.skip(f"GRADER_TEST_PG_URL points at {parsed.host}; this test only talks to a server on loopback")
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect means: no server here
        reason = str(exc).splitlines()[0]
        pytest.skip(
            f"no PostgreSQL server at {parsed.render_as_string(hide_password=True)} ({reason}); "
            "`.ci/run` starts one, or set GRADER_TEST_PG_URL"
        )
    schema = request.module.__name__.rpartition(".")[2]
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    yield parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def test_batch_and_export_on_postgresql(pg_url, tmp_path):
    folder = tmp_path / "class"
    release = variants.read(variants.exercise_path(FIRST))
    solution = variants.read(variants.solution_path(FIRST))
    variants.write(variants.solved(release, solution), folder / "ann" / f"{FIRST.slug}.ipynb")
    variants.write(variants.wrong(release, solution, FIRST), folder / "bob" / f"{FIRST.slug}.ipynb")
    (folder / "cy" / f"{FIRST.slug}.ipynb").parent.mkdir(parents=True)
    (folder / "cy" / f"{FIRST.slug}.ipynb").write_text("{")

    done = subprocess.run([str(GRADER), "batch", str(folder), "--db", pg_url, "--json"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["counts"] == {GRADED: 2, UNUSABLE: 1}

    engine = create_engine(pg_url)
    assert engine.dialect.name == "postgresql"
    assert "grader_results" in inspect(engine).get_table_names()
    with engine.connect() as connection:
        stored = {row.student: row for row in connection.execute(text("SELECT student, status, reason, exercise_score, quiz_score, report FROM grader_results"))}
    engine.dispose()
    assert stored["ann"].exercise_score + stored["ann"].quiz_score == FIRST.exercise_points + FIRST.quiz.max_score
    assert json.loads(stored["ann"].report)["lesson"] == FIRST.id
    assert stored["cy"].status == UNUSABLE and "invalid JSON" in stored["cy"].reason

    again = subprocess.run([str(GRADER), "batch", str(folder), "--db", pg_url, "--json"], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["skipped"] == 3

    with Gradebook(pg_url) as book:
        rows = {learner.student: learner for learner in exports.learners(book)}
        assert len(book.results()) == 3
    assert rows["ann"].score == FIRST.exercise_points + FIRST.quiz.max_score
    assert 0 < rows["bob"].score < rows["ann"].score

    csv_out = subprocess.run([str(GRADER), "export", "csv", "--db", pg_url], capture_output=True, text=True, timeout=120)
    assert csv_out.returncode == 0, csv_out.stderr
    lines = csv_out.stdout.splitlines()
    assert len(lines) == 5 and lines[1].startswith("Points Possible,")
    assert lines[2].startswith("ann,") and lines[2].endswith(f",{rows['ann'].score}")


def test_odd_text_is_stored_and_read_back(pg_url):
    """Surrogates and NULs (PostgreSQL refuses NUL in text) from learner output, and ids longer than their columns."""
    with Gradebook(pg_url) as book:
        with book.engine.begin() as connection:
            connection.execute(text("DELETE FROM grader_results"))
    odd_text.round_trip(Gradebook(pg_url))
