"""`grader dashboard` on a class graded for real, in Debian's Chromium (Playwright, no browser download).

The class (tests/classroom/dashboard_class.py) is graded once per module by
`grader batch` in two runs; the dashboard is the real command, served by uvicorn
on 127.0.0.1. Every page is visited at 1280 and 390 px (screenshots in
test-artifacts/dashboard/), with no console error, no dialog, no request leaving
127.0.0.1; the figures on the pages are recomputed here from the gradebook's rows.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import chromium
import pytest
from fastapi.testclient import TestClient

from classroom import dashboard_class as dc
from grader.classroom import exports
from grader.classroom.dashboard import charts
from grader.classroom.dashboard.app import COOKIE, create_app
from grader.classroom.dashboard.data import BINS, RUN_GAP, runs
from grader.classroom.dashboard.pages import Site
from grader.classroom.gradebook import GRADED, NOT_LOADED, Gradebook

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("GRADER_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "dashboard"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LOCAL_HOST = chromium.LOCAL_HOST


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("dashboard-class")
    path = str(root / "gradebook.db")
    dc.build(root, path)
    return path


@pytest.fixture(scope="module")
def book(db):
    with Gradebook(db) as gradebook:
        yield gradebook


@pytest.fixture(scope="module")
def site(book) -> Site:
    return Site(book)


@pytest.fixture(scope="module")
def served(db):
    """The base URL of `grader dashboard --db DB`, the real command."""
    process = subprocess.Popen(
        [str(dc.GRADER), "dashboard", "--db", db], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("Dashboard: http://127.0.0.1:"), line + process.stderr.read()
        yield line.split(": ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    with chromium.launched() as launched:
        yield launched


class Watch:
    """What a page must never do: log an error, open a dialog (an injected alert), fetch from elsewhere."""

    def __init__(self, browser, viewport=WIDTHS["desktop"]):
        self.context = browser.new_context(viewport=viewport, accept_downloads=True)
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.outside = chromium.keep_local(self.context)

    def page(self):
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(f"console: {m.text}"))
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))
        return page

    def assert_clean(self):
        assert self.dialogs == [], "learner text ran as script"
        assert self.outside == [], "requests left 127.0.0.1"
        assert self.errors == []
        self.context.close()


def figures(page, selector: str) -> dict[str, str]:
    return page.eval_on_selector_all(
        f"{selector} [data-figure]",
        "cells => Object.fromEntries(cells.map(c => [c.dataset.figure, c.textContent.trim()]))",
    )


# -- every page, in Chromium ------------------------------------------------------------------------


def test_every_page_renders_at_both_widths_and_runs_nothing_a_learner_wrote(served, site, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    names = site.page_names()
    assert f"learner-{exports.folder_names(site.snapshot().data.students)[dc.HOSTILE_ID]}.html" in names
    for label, viewport in WIDTHS.items():
        watch = Watch(browser, viewport)
        page = watch.page()
        for name in names:
            response = page.goto(served + name)
            assert response.status == 200, name
            assert response.headers["content-security-policy"].startswith("default-src 'self'")
            assert page.locator("h1").is_visible()
            # Markup from learner text would have made elements: none exists, the text is shown as text.
            assert page.locator("img").count() == 0, name
            assert page.eval_on_selector_all("script", "s => s.map(x => x.getAttribute('src'))") == ["static/sort.js"]
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} is {overflow}px wider than a {label} screen"
            shot = re.sub(r"[^\w.-]", "_", name)
            page.screenshot(path=str(ARTIFACTS / f"{label}-{shot}.png"), full_page=True)
        watch.assert_clean()


def test_learner_text_is_shown_literally(served, site, browser):
    watch = Watch(browser)
    page = watch.page()
    names = exports.folder_names(site.snapshot().data.students)
    page.goto(served + f"learner-{names[dc.HOSTILE_ID]}.html")
    assert dc.HOSTILE_ID in page.locator("h1").inner_text()
    assert dc.HOSTILE_TEXT in page.locator("pre.output").inner_text()  # what its code printed
    page.goto(served + f"learner-{names[dc.FEEDBACK_ID]}.html")
    assert dc.HOSTILE_TEXT in page.locator("pre.feedback").first.inner_text()
    assert dc.HOSTILE_TEXT in page.locator(".look").inner_text()
    page.goto(served + "look.html")
    assert dc.HOSTILE_ID in page.locator("#look").inner_text()
    assert dc.FEEDBACK_ID in page.locator("#look").inner_text()
    page.goto(served + f"lesson-{dc.FIRST.id}.html")
    assert dc.HOSTILE_TEXT in page.locator("#lines").inner_text()  # the most common feedback line
    watch.assert_clean()


# -- the figures -------------------------------------------------------------------------------------


def test_overview_figures_equal_the_gradebook(served, book, browser):
    expected = dc.overview_figures(book)
    assert (
        expected[dc.FIRST.id]["untouched"] == "1" and expected[dc.SECOND.id]["submitted"] == "1"
    )  # the class is mixed
    watch = Watch(browser)
    page = watch.page()
    page.goto(served + "index.html")
    latest = dc.latest(book)
    given = exports.class_lessons(book)[0]
    assert [lesson.id for lesson in given] == [dc.FIRST.id, dc.SECOND.id]  # what the class handed in
    assert page.locator(f"#summary-{dc.LESSONS[-1].id}").count() == 0  # never a lesson nobody got
    for lesson in given:
        assert figures(page, f"#summary-{lesson.id}") == expected[lesson.id]
        counts = [0] * BINS
        for by in latest.values():
            row = by.get(lesson.id)
            if row is not None and row.status in (GRADED, NOT_LOADED):
                counts[min(BINS - 1, row.score * BINS // row.max_score)] += 1  # full marks in the last bin
        shown = page.get_attribute(f"#histogram-{lesson.id}", "data-counts")
        assert [int(n) for n in shown.split(",")] == counts
        assert page.locator(f"#histogram-{lesson.id} rect").count() == (BINS if sum(counts) else 0)
    # Two runs a day apart: the progress chart has a point for each.
    assert page.locator("svg.line circle").count() == 2
    watch.assert_clean()


def test_needs_a_look_lists_every_current_problem_from_every_run(served, book, browser):
    watch = Watch(browser)
    page = watch.page()
    page.goto(served + "look.html")
    listed = page.eval_on_selector_all("#look tbody tr td:first-child", "cells => cells.map(c => c.textContent.trim())")
    # cy is untouched, dan's file is not a notebook, the hostile code did not load, the feedback row was stored
    # with a reason; bob's wrong notebook of the first run was replaced by his fixed one.
    assert sorted(listed) == sorted(["cy", "dan", dc.HOSTILE_ID, dc.FEEDBACK_ID])
    row = page.locator("#look tbody tr", has_text="cy")
    assert "looks untouched" in row.inner_text()
    watch.assert_clean()


def test_contract_lines_are_hardest_first_with_the_shares_and_links(served, book, site, browser):
    shares = dc.check_shares(book, dc.FIRST)
    watch = Watch(browser)
    page = watch.page()
    page.goto(served + f"lesson-{dc.FIRST.id}.html")
    ids = page.eval_on_selector_all("#lines tbody tr", "rows => rows.map(r => r.id.replace('check-', ''))")
    assert sorted(ids) == sorted(check.name for check in dc.FIRST.checks)
    in_order = [shares[name][0] / shares[name][1] for name in ids]
    assert in_order == sorted(in_order)  # hardest first
    for name in ids:
        passed, counted = shares[name]
        assert figures(page, f"#check-{name}")["share"] == f"{passed / counted:.0%} ({passed}/{counted})"
    # bob's and cat's wrong notebook misses the last route: a check bob passes now but cat fails names cat.
    hardest = page.locator("#lines tbody tr").first
    docs = hardest.locator("td:nth-child(2) a").get_attribute("href")
    assert docs.startswith(dc.FIRST.page_url())
    hardest.locator("summary").click()
    learner_link = hardest.locator("ul.failing a").first
    student = learner_link.inner_text()
    learner_link.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == f"Learner {student}"
    assert page.locator(f"#lesson-{dc.FIRST.id} li.fail").count() >= 1
    watch.assert_clean()


def test_learners_sort_by_any_column(served, book, browser):
    totals = {learner.student: learner.score for learner in exports.learners(book)}
    watch = Watch(browser)
    page = watch.page()
    page.goto(served + "learners.html")

    def column(index: int) -> list[str]:
        return page.eval_on_selector_all(
            f"#learners tbody tr td:nth-child({index})", "cells => cells.map(c => c.textContent.trim())"
        )

    total_column = len(exports.class_lessons(book)[0]) + 2
    shown = dict(zip(column(1), column(total_column), strict=True))
    assert {s: int(v.split("/")[0]) for s, v in shown.items()} == totals
    page.locator("#learners thead th", has_text="Total").locator("button").click()
    ascending = [int(v.split("/")[0]) for v in column(total_column)]
    assert ascending == sorted(totals.values())
    page.locator("#learners thead th", has_text="Total").locator("button").click()
    assert [int(v.split("/")[0]) for v in column(total_column)] == sorted(totals.values(), reverse=True)
    # Numbers sort as numbers (9 < 10 < 100), not as text: three more rows, as a bigger class would have.
    page.evaluate(
        """() => { const body = document.querySelector('#learners tbody');
        for (const n of [100, 9, 10]) { const row = body.rows[0].cloneNode(true);
          row.cells[row.cells.length - 2].dataset.sort = String(n); body.append(row); } }"""
    )
    page.locator("#learners thead th", has_text="Total").locator("button").click()
    keys = page.eval_on_selector_all(
        f"#learners tbody tr td:nth-child({total_column})", "cells => cells.map(c => Number(c.dataset.sort))"
    )
    assert keys == sorted(keys)
    page.reload()
    page.locator("#learners thead th", has_text="Learner").locator("button").click()
    assert column(1) == page.evaluate("names => names.slice().sort((a, b) => a.localeCompare(b))", list(totals))
    watch.assert_clean()


def test_quiz_items_show_each_questions_facility(served, book, browser):
    watch = Watch(browser)
    page = watch.page()
    page.goto(served + "quiz.html")
    for lesson in (dc.FIRST, dc.SECOND):
        for number, facility in dc.quiz_facility(book, lesson).items():
            shown = page.get_attribute(f"#item-{lesson.id}-{number}", "data-facility")
            assert float(shown) == pytest.approx(facility, abs=1e-4)
    # cat's wrong answer to question 1 of lesson 1: one pick of a distractor, drawn as a bar.
    item = page.locator(f"#item-{dc.FIRST.id}-1")
    assert item.locator("svg.rows .key rect").count() == 1
    watch.assert_clean()


def test_every_link_resolves_and_the_csv_downloads(served, site, book, browser):
    watch = Watch(browser)
    page = watch.page()
    seen: set[str] = set()
    for name in site.page_names():
        page.goto(served + name)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            if urlsplit(href).hostname == LOCAL_HOST and urlsplit(href).port == urlsplit(served).port:
                seen.add(href.split("#")[0])
    for href in sorted(seen):
        assert page.request.get(href).status == 200, href
    page.goto(served + "index.html")
    with page.expect_download() as download:
        page.locator(".downloads a", has_text="grades.csv").click()
    text = Path(download.value.path()).read_text()
    assert text == exports.to_csv(exports.learners(book), exports.class_lessons(book)[0])
    assert list(csv.reader(io.StringIO(text)))[0][0] == "student"
    zipped = page.request.get(served + "export/exercism.zip").body()
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        assert len(archive.namelist()) == len(exports.learners(book))
    watch.assert_clean()


# -- static export -------------------------------------------------------------------------------


def test_static_export_writes_the_same_pages_that_work_offline(db, site, browser, tmp_path):
    out = tmp_path / "site"
    done = subprocess.run(
        [str(dc.GRADER), "dashboard", "--db", db, "--html", str(out)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.glob("*.html")) == sorted(site.page_names())
    assert (out / "export" / "grades.csv").read_text() == site.download("grades.csv").decode()
    assert (out / "index.html").read_text() == site.page("index.html")
    watch = Watch(browser)
    page = watch.page()
    page.goto((out / "index.html").as_uri())
    page.locator("nav a", has_text="Learners").click()
    page.wait_for_load_state()
    assert page.url.endswith("/learners.html")
    page.locator("#learners thead th", has_text="Total").locator("button").click()  # sort.js runs under the CSP
    assert page.get_attribute("#learners thead th:nth-last-child(2)", "aria-sort") == "ascending"
    watch.assert_clean()


# -- serving: token, host, read-only -----------------------------------------------------------------


def test_beyond_loopback_every_request_needs_the_token(site):
    client = TestClient(create_app(site, token="s3cret", loopback=False))
    assert client.get("/index.html").status_code == 401
    assert client.get("/export/grades.csv").status_code == 401
    assert client.get("/static/sort.js").status_code == 401
    assert client.get("/index.html?token=wrong").status_code == 401
    first = client.get("/index.html?token=s3cret")
    assert first.status_code == 200 and first.cookies.get(COOKIE) == "s3cret"
    assert client.get("/learners.html").status_code == 200  # the cookie carries it
    assert (
        TestClient(create_app(site, token="s3cret", loopback=False)).post("/index.html?token=s3cret").status_code == 405
    )


def test_on_loopback_a_foreign_host_name_is_refused(site):
    assert TestClient(create_app(site), base_url="http://127.0.0.1").get("/index.html").status_code == 200
    assert TestClient(create_app(site), base_url="http://rebound.example").get("/index.html").status_code == 400
    assert TestClient(create_app(site), base_url="http://127.0.0.1").get("/learner-nobody.html").status_code == 404


# -- chart geometry ---------------------------------------------------------------------------------------


def test_columns_scale_to_the_tallest_and_keep_their_labels():
    chart = charts.columns([0, 2, 4], ["a", "b", "<c>"], "t", width=300, height=140)
    heights = [bar.height for bar in chart.bars]
    assert heights[0] == 0 and heights[2] == pytest.approx(2 * heights[1]) and heights[2] == 140 - 14 - 18
    assert all(bar.y + bar.height == pytest.approx(140 - 18) for bar in chart.bars)  # one baseline
    assert [bar.label for bar in chart.bars] == ["a", "b", "<c>"]
    assert charts.columns([0, 0], ["a", "b"], "t").bars[0].height == 0  # no division by zero


def test_rows_use_the_scale_given_and_lines_stay_in_the_box():
    chart = charts.rows([0.5, 1.0], ["x", "y"], "t", scale=2.0, width=320)
    full = 320 - 34 - 44
    assert [bar.width for bar in chart.bars] == [pytest.approx(full / 4), pytest.approx(full / 2)]
    line = charts.line([0.0, 1.0, 0.5], ["a", "b", "c"], "t", width=480, height=160)
    ys = [y for _, y, _ in line.dots]
    assert ys == [160 - 20, 10, 10 + (160 - 10 - 20) / 2]  # 0 % on the baseline, 100 % at the top
    assert line.line.split() == [f"{x:.1f},{y:.1f}" for x, y, _ in line.dots]


def test_runs_split_where_results_are_further_apart_than_the_gap():
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    batch = [start + timedelta(seconds=30 * i) for i in range(50)]  # one long batch: 25 minutes, no gap
    later = [batch[-1] + RUN_GAP + timedelta(seconds=1), batch[-1] + RUN_GAP + timedelta(seconds=5)]
    assert runs(later + batch) == [batch[-1], later[-1]]
    assert runs([]) == []
