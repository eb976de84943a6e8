"""The built docs site in a real browser: Debian's Chromium, driven by Playwright.

The test builds the site, serves it from a thread on 127.0.0.1 (a free port)
and visits every page: no console errors, no broken internal links or images,
no request leaving 127.0.0.1, copy buttons on code, working quizzes that
survive a reload and instant navigation, search, a layout that fits a
phone, and code that is not cut off on a desktop. It never downloads a
browser; without /usr/bin/chromium it skips.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag

import chromium
import pytest
from test_docs_build import DOCS, Elements, build_problems, build_site

from grader.lessons import all_lessons

if not chromium.CHROMIUM.exists():
    pytest.skip(chromium.MISSING, allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
LOCAL_HOST = chromium.LOCAL_HOST
COPY_BUTTON = "button[data-md-type=copy]"  # mkdocs-material 9.7+: inside the block's `nav.md-code__nav`


def page_paths() -> list[str]:
    """The site path of every page, from the Markdown sources: `index.md` -> ``, `guide/learner.md` -> `guide/learner/`."""
    paths = []
    for source in sorted(DOCS.rglob("*.md")):
        relative = source.relative_to(DOCS).as_posix()
        if relative.startswith("hooks/"):
            continue
        paths.append("" if relative == "index.md" else relative.removesuffix(".md").removesuffix("index") + "/")
    return [path.replace("//", "/") for path in paths]


PAGES = page_paths()
# Material's page for a missing URL: not built from a source, but a page a reader sees.
VISITED = PAGES + ["404.html"]
LESSONS_WITH_PAGES = [lesson for lesson in all_lessons() if f"lessons/{lesson.slug}/" in PAGES]
FIELD_FILTERS = next((lesson for lesson in LESSONS_WITH_PAGES if lesson.id == "field-filters"), None)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """(folder, base URL): the port is taken first, so the site is built for the address it is served at
    (mkdocs-material's instant navigation only follows links that match its site_url)."""
    folder = tmp_path_factory.mktemp("site")
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(QuietHandler, directory=str(folder)))
    base_url = f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    result = build_site(folder, site_url=base_url)
    assert result.returncode == 0, build_problems(result) or result.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, base_url
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def site(served_site) -> Path:
    return served_site[0]


@pytest.fixture(scope="module")
def base_url(served_site) -> str:
    return served_site[1]


@pytest.fixture(scope="module")
def browser():
    with chromium.launched() as browser:
        yield browser


class Watch:
    """What a page did that it must not: console errors, uncaught exceptions, outside or failed requests."""

    def __init__(self, context):
        self.errors: list[str] = []
        self.outside = chromium.keep_local(context)
        context.on("requestfailed", lambda request: self.errors.append(f"request failed: {request.url} ({request.failure})"))

    def page(self, context):
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("console", lambda message: message.type == "error" and self.errors.append(f"console: {message.text}"))
        page.on("response", lambda response: response.status >= 400 and self.errors.append(f"HTTP {response.status}: {response.url}"))
        return page

    def assert_clean(self):
        assert self.outside == [], "requests left 127.0.0.1"
        assert self.errors == []


@pytest.fixture
def watch(browser):
    context = browser.new_context(viewport=DESKTOP)
    watch = Watch(context)
    watch.context = context
    yield watch
    context.close()


@pytest.fixture
def page(watch):
    return watch.page(watch.context)


class LinkChecker:
    """Fetches each internal URL once; knows the ids on each page for #fragment links."""

    def __init__(self):
        self.ids: dict[str, set[str] | None] = {}

    def problem(self, url: str) -> str | None:
        address, fragment = urldefrag(url)
        if address not in self.ids:
            try:
                with urllib.request.urlopen(address) as response:
                    body = response.read()
                    html = response.headers.get_content_type() == "text/html"
                self.ids[address] = Elements(body.decode()).ids if html else set()
            except urllib.error.HTTPError as error:
                self.ids[address] = None
                return f"{url}: HTTP {error.code}"
        if self.ids[address] is None:
            return f"{url}: not found"
        if fragment and fragment not in self.ids[address]:
            return f"{url}: no element with id {fragment!r}"
        return None


@pytest.fixture(scope="module")
def links():
    return LinkChecker()


def test_every_page_has_a_source(site):
    built = sorted(
        "" if path.parent == site else path.parent.relative_to(site).as_posix() + "/"
        for path in site.rglob("index.html")
        if not path.relative_to(site).as_posix().startswith(("assets/", "search/"))
    )
    assert built == sorted(PAGES)


@pytest.mark.parametrize("path", VISITED, ids=lambda path: path or "home")
def test_page_loads_cleanly_with_working_links_images_and_copy_buttons(watch, page, base_url, links, path):
    page.goto(base_url + path, wait_until="load")
    page.wait_for_selector(".md-content")
    assert watch.outside == [], "requests left 127.0.0.1"

    # Material's code annotation markers link to `#__code_N_annotation_M`, handled by its own script.
    hrefs = page.eval_on_selector_all("a[href]:not(.md-annotation__index)", "anchors => anchors.map(a => a.href)")
    internal = {href for href in hrefs if href.startswith(base_url)}
    broken = [problem for problem in map(links.problem, sorted(internal)) if problem]
    assert broken == []

    images = page.eval_on_selector_all("img", "images => images.map(i => [i.currentSrc || i.src, i.complete && i.naturalWidth > 0])")
    assert [src for src, shown in images if not shown] == []
    assert [src for src, _ in images if not src.startswith(base_url)] == []

    # Material adds a copy button to every code block once the page's scripts have run.
    blocks = page.locator(".md-content pre > code").count()
    if blocks:
        page.wait_for_function(f"document.querySelectorAll('.md-content pre {COPY_BUTTON}').length === {blocks}")
    watch.assert_clean()


# Shows every code block a reader can open (each content tab, each collapsed `???` block) and hides annotation tooltips.
SHOW_HIDDEN_CODE = """() => {
    document.querySelectorAll('details').forEach(details => { details.open = true; });
    const style = document.createElement('style');
    // An annotation's tooltip is not code: once material's script places it, it may overflow the block.
    style.textContent = '.tabbed-set > .tabbed-content > .tabbed-block { display: block !important; }'
        + ' .md-content pre .md-tooltip, .md-content pre .md-annotation__content { display: none !important; }';
    document.head.append(style);
}"""
# A block is cut off when its text is wider than the box: the reader has to scroll sideways to see it.
CUT_OFF_CODE = """elements => elements
    .filter(element => element.scrollWidth > element.clientWidth)
    .map(element => {
        const lines = element.textContent.split('\\n');
        const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), '');
        return `${element.scrollWidth} > ${element.clientWidth} px: ${longest.trim()}`;
    })"""


@pytest.mark.parametrize("path", VISITED, ids=lambda path: path or "home")
def test_code_is_not_cut_off_on_a_desktop(page, base_url, path):
    page.goto(base_url + path, wait_until="load")
    blocks = page.locator(".md-content pre > code").count()
    if blocks:  # the copy buttons say material's scripts (annotations included) have run
        page.wait_for_function(f"document.querySelectorAll('.md-content pre {COPY_BUTTON}').length === {blocks}")
    page.evaluate(SHOW_HIDDEN_CODE)
    cut_off = page.eval_on_selector_all(".md-content pre, .md-content pre > code", CUT_OFF_CODE)
    assert cut_off == [], f"code cut off on the right at {DESKTOP['width']} px"


def test_copy_button_copies_the_code(browser, base_url):
    context = browser.new_context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    watch = Watch(context)
    page = watch.page(context)
    try:
        page.goto(base_url, wait_until="load")
        block = page.locator(".md-content pre").filter(has_text="make lab").first
        block.hover()
        block.locator(COPY_BUTTON).click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert "make docs" in copied and copied.splitlines()[0].startswith("make lab")
        watch.assert_clean()
    finally:
        context.close()


@pytest.mark.parametrize("path", VISITED, ids=lambda path: path or "home")
def test_layout_fits_a_phone(browser, base_url, path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    watch = Watch(context)
    page = watch.page(context)
    try:
        page.goto(base_url + path, wait_until="load")
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"the page scrolls sideways at {PHONE['width']} px: {widths[0]} px wide"
        watch.assert_clean()
    finally:
        context.close()


def quiz_question(page, number: int):
    return page.locator(f'.course-quiz__question[data-number="{number}"]')


def pick(page, number: int, key: str) -> None:
    quiz_question(page, number).locator(f'.course-quiz__choice[data-key="{key}"] label').click()


def plain(markdown_text: str) -> str:
    """What a quiz text looks like on the page: the backticks of `code` are gone."""
    return re.sub(r"`([^`]*)`", r"\1", markdown_text)


@pytest.mark.skipif(not LESSONS_WITH_PAGES, reason="no lesson page (docs/lessons/NN-id.md) in this checkout yet")
@pytest.mark.parametrize("lesson", LESSONS_WITH_PAGES, ids=[lesson.slug for lesson in LESSONS_WITH_PAGES])
def test_quiz_gives_feedback_and_survives_a_reload(watch, page, base_url, lesson):
    questions = lesson.practice.questions
    first = questions[0]
    wrong = next(choice for choice in first.choices if not choice.correct)
    right = first.choice(first.answer)
    page.goto(f"{base_url}lessons/{lesson.slug}/", wait_until="load")

    pick(page, 1, wrong.key)
    box = quiz_question(page, 1)
    assert box.get_attribute("data-state") == "wrong"
    feedback = box.locator(".course-quiz__feedback")
    assert feedback.is_visible()
    assert "Not quite" in feedback.inner_text() and plain(wrong.why) in feedback.inner_text()

    pick(page, 1, right.key)
    assert box.get_attribute("data-state") == "right"
    assert plain(right.why) in feedback.inner_text() and "Not quite" not in feedback.inner_text()
    for question in questions[1:]:
        pick(page, question.number, question.answer)
    score = page.locator(".course-quiz__score")
    assert score.inner_text() == f"{len(questions)} of {len(questions)} right ({len(questions)} answered)."

    page.reload(wait_until="load")
    box = quiz_question(page, 1)
    assert box.locator(f'input[value="{right.key}"]').is_checked()
    assert box.get_attribute("data-state") == "right"
    assert plain(right.why) in box.locator(".course-quiz__feedback").inner_text()
    assert page.locator('.course-quiz__question[data-state="right"]').count() == len(questions)

    page.locator(".course-quiz__reset").click()
    page.reload(wait_until="load")
    assert page.locator(".course-quiz input:checked").count() == 0
    assert page.locator(".course-quiz__question[data-state]").count() == 0
    watch.assert_clean()


@pytest.mark.skipif(not LESSONS_WITH_PAGES, reason="no lesson page (docs/lessons/NN-id.md) in this checkout yet")
def test_quiz_works_after_instant_navigation(watch, page, base_url):
    lesson = LESSONS_WITH_PAGES[0]
    page.goto(base_url, wait_until="load")
    page.evaluate("window.__sameDocument = true")
    # Instant navigation rewrites hrefs to absolute URLs.
    page.locator(f'.md-sidebar--primary a.md-nav__link[href$="/lessons/{lesson.slug}/"]').click()
    page.wait_for_url(f"{base_url}lessons/{lesson.slug}/")
    page.wait_for_selector(".course-quiz[data-ready]")
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded: instant navigation did not run"
    question = lesson.practice.questions[0]
    pick(page, 1, question.answer)
    assert quiz_question(page, 1).get_attribute("data-state") == "right"
    watch.assert_clean()


def test_search_finds_a_lesson_term(watch, page, base_url):
    # response_model_exclude_unset is taught on lesson 03's page; until that page
    # is here, search for QUIZ_ANSWERS, which the learner guide explains.
    if FIELD_FILTERS is not None:
        term, expected = "response_model_exclude_unset", f"lessons/{FIELD_FILTERS.slug}/"
    else:
        term, expected = "QUIZ_ANSWERS", "guide/learner/"
    page.goto(base_url, wait_until="load")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(term)  # material searches on key events, which fill() does not send
    # A result on the expected page with the term highlighted in it.
    page.locator(f'.md-search-result__item a[href*="{expected}"] mark', has_text=term).first.wait_for()
    watch.assert_clean()


def test_palette_toggle_switches_light_and_dark(watch, page, base_url):
    page.goto(base_url, wait_until="load")
    seen = set()
    for _ in range(3):
        page.locator("form[data-md-component=palette] label:visible").first.click()
        seen.add(page.evaluate("document.body.getAttribute('data-md-color-scheme')"))
    assert {"default", "slate"} <= seen
    watch.assert_clean()
