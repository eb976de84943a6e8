"""The dashboard over a PostgreSQL gradebook (skips without a server; `.ci/run` starts one, or set
GRADER_TEST_PG_URL): the same class graded by `grader batch`, every page served, the same figures."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from classroom import dashboard_class as dc
from classroom.test_gradebook_postgres import pg_url  # noqa: F401 - the fixture: a server on loopback, empty tables
from grader.classroom import quiz_stats
from grader.classroom.dashboard.app import create_app
from grader.classroom.dashboard.pages import Site
from grader.classroom.gradebook import Gradebook

FIGURE = re.compile(r'<td class="num" data-figure="([\w-]+)">([^<]*)</td>')


def test_every_page_and_figure_on_postgresql(pg_url, tmp_path):  # noqa: F811 - the imported fixture
    dc.build(tmp_path, pg_url)
    with Gradebook(pg_url) as book:
        assert book.engine.dialect.name == "postgresql"
        site = Site(book)
        client = TestClient(create_app(site), base_url="http://127.0.0.1")
        for name in site.page_names():
            assert client.get(f"/{name}").status_code == 200, name
        overview = client.get("/index.html").text
        for lesson, expected in dc.overview_figures(book).items():
            row = overview.split(f'id="summary-{lesson}"', 1)[1].split("</tr>", 1)[0]
            assert dict(FIGURE.findall(row)) == expected
        assert "&lt;img src=x onerror=alert(1)&gt;" in client.get("/look.html").text
        facility = dc.quiz_facility(book, dc.FIRST)
        items = {s.number: s for s in quiz_stats.item_stats(book, [dc.FIRST.id])}
        assert {n: s.facility for n, s in items.items()} == facility


def test_an_older_postgresql_gradebook_gets_the_look_column(pg_url):  # noqa: F811 - the imported fixture
    from sqlalchemy import inspect, text

    from grader.classroom.gradebook import GRADED, Outcome

    with Gradebook(pg_url) as book:
        with book.engine.begin() as connection:
            connection.execute(text("DELETE FROM grader_results"))  # the module's other test left its class
        book.record(Outcome("ann", "/c/ann.py", "d" * 64, GRADED, dc.FIRST.id, look=["x"]))
        with book.engine.begin() as connection:
            connection.execute(text("ALTER TABLE grader_results DROP COLUMN look"))  # as an older grader made it
    with Gradebook(pg_url) as book:
        assert "look" in {c["name"] for c in inspect(book.engine).get_columns("grader_results")}
        assert [(r.student, r.look_reasons) for r in book.results()] == [("ann", None)]
