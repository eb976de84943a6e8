"""The docs site: `mkdocs build --strict` passes, every lesson has its page with
its quiz, every anchor a check links to exists, and the hooks fail the build on
a broken lesson page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from grader.lessons import all_lessons

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LESSONS = all_lessons()
LESSONS_WITH_PAGES = [lesson for lesson in LESSONS if (DOCS / "lessons" / f"{lesson.slug}.md").is_file()]
no_lesson_pages = pytest.mark.skipif(not LESSONS_WITH_PAGES, reason="no lesson page (docs/lessons/NN-id.md) in this checkout yet")


def build_site(dest: Path, project: Path = ROOT, site_url: str | None = None) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of `project` into `dest`, for serving at `site_url` if given."""
    # Material prints an end-of-life notice on every build; it is not a warning about this site.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        env["GRADER_DOCS_URL"] = site_url  # mkdocs.yml reads its site_url from it
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(dest)],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )


def build_problems(result: subprocess.CompletedProcess) -> str:
    lines = (result.stdout + result.stderr).splitlines()
    return "\n".join(line for line in lines if line.startswith(("WARNING", "ERROR")) or "Aborted" in line)


class Elements(HTMLParser):
    """Every start tag of a page, in order, as (tag, attributes)."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    @property
    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if "id" in attrs}

    def with_class(self, name: str) -> list[dict]:
        return [attrs for _, attrs in self.tags if name in attrs.get("class", "").split()]


def rendered_quiz(page: Elements) -> dict[int, list[tuple[str, bool]]]:
    """{question number: [(choice key, correct?), ...]} as the page renders it."""
    questions: dict[int, list[tuple[str, bool]]] = {}
    current = None
    for _, attrs in page.tags:
        classes = attrs.get("class", "").split()
        if "course-quiz__question" in classes:
            current = int(attrs["data-number"])
            questions[current] = []
        elif "course-quiz__choice" in classes:
            questions[current].append((attrs["data-key"], attrs["data-correct"] == "true"))
    return questions


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    dest = tmp_path_factory.mktemp("site")
    return dest, build_site(dest)


@pytest.fixture(scope="module")
def site(build) -> Path:
    dest, result = build
    assert result.returncode == 0, build_problems(result) or result.stderr
    return dest


def lesson_html(site: Path, lesson) -> str:
    return (site / "lessons" / lesson.slug / "index.html").read_text()


def test_site_builds_strictly_without_warnings(build):
    _, result = build
    assert build_problems(result) == ""
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_every_lesson_has_a_page(lesson):
    page = DOCS / "lessons" / f"{lesson.slug}.md"
    assert page.is_file(), f"lesson {lesson.slug} has no docs page {page.relative_to(ROOT)}"


@no_lesson_pages
@pytest.mark.parametrize("lesson", LESSONS_WITH_PAGES, ids=[lesson.slug for lesson in LESSONS_WITH_PAGES])
def test_lesson_page_renders_its_quiz_from_quiz_toml(site, lesson):
    html = lesson_html(site, lesson)
    assert "<!-- quiz -->" not in html
    page = Elements(html)
    [quiz] = page.with_class("course-quiz")
    assert quiz["data-quiz-id"] == lesson.id
    expected = {q.number: [(c.key, c.correct) for c in q.choices] for q in lesson.practice.questions}
    assert rendered_quiz(page) == expected
    assert len(page.with_class("course-quiz__why")) == sum(len(q.choices) for q in lesson.practice.questions)
    scripts = {attrs.get("src", "") for tag, attrs in page.tags if tag == "script"}
    assert any(src.endswith("assets/quiz.js") for src in scripts)


def site_text(site: Path) -> str:
    """Every word the built site holds (pages and the search index), as `plain_words`."""
    import html as html_lib
    import json

    parts = [path.read_text(errors="replace") for path in site.rglob("*.html")]
    for index in site.rglob("search_index.json"):
        parts += [doc.get("text", "") + " " + doc.get("title", "") for doc in json.loads(index.read_text())["docs"]]
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", "\n".join(parts)))
    return plain_words(text)


def plain_words(text: str) -> str:
    """Letters and digits only: markup, code spans and line breaks cannot hide a match."""
    return re.sub(r"[\W_]+", "", text).lower()


@pytest.fixture(scope="module")
def all_site_text(site) -> str:
    return site_text(site)


@no_lesson_pages
@pytest.mark.parametrize("lesson", LESSONS_WITH_PAGES, ids=[lesson.slug for lesson in LESSONS_WITH_PAGES])
def test_no_graded_question_is_on_the_site(all_site_text, lesson):
    """The graded pool is the notebooks' quiz; the site shows only the practice pool."""
    for question in lesson.practice.questions:  # the same matching finds what is there
        assert plain_words(question.prompt) in all_site_text, question.prompt
    for question in lesson.quiz.questions:
        assert plain_words(question.prompt) not in all_site_text, f"graded question {question.number} is on the site"
        right = question.choice(question.answer)
        assert plain_words(right.why) not in all_site_text, f"graded question {question.number}'s explanation is on the site"


@no_lesson_pages
@pytest.mark.parametrize("lesson", LESSONS_WITH_PAGES, ids=[lesson.slug for lesson in LESSONS_WITH_PAGES])
def test_every_check_docs_anchor_exists_on_its_lesson_page(site, lesson):
    ids = Elements(lesson_html(site, lesson)).ids
    missing = sorted({check.docs for check in lesson.checks if check.docs} - ids)
    assert not missing, f"{lesson.slug}: checks link to #{', #'.join(missing)}, which the page does not have"


@no_lesson_pages
@pytest.mark.parametrize("lesson", LESSONS_WITH_PAGES, ids=[lesson.slug for lesson in LESSONS_WITH_PAGES])
def test_lesson_page_includes_every_example_rather_than_pasting(lesson):
    source = (DOCS / "lessons" / f"{lesson.slug}.md").read_text()
    included = set(re.findall(r'^\s*--8<--\s+"([^"]+)"', source, re.MULTILINE))
    examples = {f"lessons/{lesson.slug}/examples/{path.name}" for path in (lesson.folder / "examples").glob("*.py")}
    assert examples - included == set(), "examples not shown on the page"
    # Every example is a small app; a page that defines one inline has pasted code.
    assert not re.search(r"^app = FastAPI\(", source, re.MULTILINE)


def test_nav_lists_the_lesson_pages_in_order(site):
    home = (site / "index.html").read_text()
    nav_links = [attrs["href"] for attrs in Elements(home).with_class("md-nav__link") if "href" in attrs]
    nav = [href for href in nav_links if re.fullmatch(r"lessons/\d\d-[a-z0-9-]+/", href)]
    expected = [f"lessons/{lesson.slug}/" for lesson in LESSONS_WITH_PAGES]
    assert list(dict.fromkeys(nav)) == expected


def test_grader_reference_lists_every_command_and_option(site):
    import typer

    from grader.cli import app

    ids = Elements((site / "reference" / "grader" / "index.html").read_text()).ids
    text = (site / "reference" / "grader" / "index.html").read_text()
    group = typer.main.get_command(app)
    root = group.context_class(group, info_name="grader")
    for name in group.list_commands(root):
        command = group.get_command(root, name)
        assert f"grader-{name}" in ids
        ctx = command.context_class(command, info_name=name, parent=root)
        for param in command.get_params(ctx):
            for flag in param.opts:
                if flag.startswith("-"):
                    assert flag in text, f"grader {name}: {flag} is not on the reference page"


# The hooks themselves, on a copy of the site with a made-up lesson page.


def test_quiz_text_is_markdown_with_prose_escaped():
    sys.path.insert(0, str(DOCS / "hooks"))
    try:
        import quiz as quiz_hook
    finally:
        sys.path.remove(str(DOCS / "hooks"))
    from grader.quiz import Choice, Question, Quiz

    question = Question(1, "Which route sends <h1>?", (
        Choice("a", "`HTMLResponse` with `<h1>{title}</h1>`", "Right: **HTML** & a title.", True),
        Choice("b", "A <script>alert(1)</script> tag", "No.", False),
    ))
    rendered = quiz_hook.render_quiz(Quiz((question,)), "demo", "v1")
    assert "Which route sends &lt;h1&gt;?" in rendered
    assert "<code>HTMLResponse</code> with <code>&lt;h1&gt;{title}&lt;/h1&gt;</code>" in rendered
    assert "<strong>HTML</strong> &amp; a title." in rendered
    assert "<script>" not in rendered


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of mkdocs.yml and docs/ without the lesson pages."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(DOCS, tmp_path / "docs", ignore=shutil.ignore_patterns("__pycache__", "[0-9][0-9]-*.md"))
    (tmp_path / "docs" / "lessons").mkdir(exist_ok=True)
    # Snippets resolve against the config's folder: give the copy the real lesson folders.
    (tmp_path / "lessons").symlink_to(ROOT / "lessons")
    return tmp_path


LESSON = LESSONS[0]
# The sections its checks (and the reference pages) link to, then the quiz.
SECTIONS = "".join(f"## {anchor} {{ #{anchor} }}\n\n" for anchor in dict.fromkeys(c.docs for c in LESSON.checks if c.docs))
GOOD_PAGE = f"# {LESSON.title}\n\n## Section {{ #section }}\n\n{SECTIONS}## Quiz {{ #quiz }}\n\n<!-- quiz -->\n"


def test_a_made_up_lesson_page_gets_its_quiz_and_a_nav_entry(project, tmp_path):
    (project / "docs" / "lessons" / f"{LESSON.slug}.md").write_text(GOOD_PAGE)
    result = build_site(tmp_path / "out", project)
    assert result.returncode == 0, build_problems(result)
    page = Elements((tmp_path / "out" / "lessons" / LESSON.slug / "index.html").read_text())
    assert len(rendered_quiz(page)) == len(LESSON.practice.questions)
    home = (tmp_path / "out" / "index.html").read_text()
    assert f'href="lessons/{LESSON.slug}/"' in home


@pytest.mark.parametrize(
    "name, text, complaint",
    [
        (f"{LESSON.slug}.md", GOOD_PAGE.replace("<!-- quiz -->\n", ""), "needs exactly one `<!-- quiz -->` line"),
        (f"{LESSON.slug}.md", GOOD_PAGE + "\n<!-- quiz -->\n", "needs exactly one `<!-- quiz -->` line"),
        ("99-no-such-lesson.md", GOOD_PAGE, "no lesson folder lessons/99-no-such-lesson/"),
        (f"{LESSON.slug}.md", GOOD_PAGE + f'\n```python\n--8<-- "lessons/{LESSON.slug}/examples/no_such_example.py"\n```\n', "no_such_example.py"),
    ],
    ids=["no-marker", "two-markers", "no-lesson-folder", "missing-example"],
)
def test_a_broken_lesson_page_fails_the_strict_build(project, tmp_path, name, text, complaint):
    (project / "docs" / "lessons" / name).write_text(text)
    result = build_site(tmp_path / "out", project)
    assert result.returncode != 0
    assert complaint in result.stdout + result.stderr


def test_links_to_a_lesson_page_not_yet_here_become_text(project, tmp_path):
    (project / "docs" / "lessons" / f"{LESSON.slug}.md").write_text(GOOD_PAGE + "\nSee [the next lesson](98-later.md#x).\n")
    (project / "docs" / "extra.md").write_text(
        f"# Extra\n\n[here](lessons/{LESSON.slug}.md#section) and [gone](lessons/99-gone.md#x)\n"
    )
    with (project / "mkdocs.yml").open("a") as config:
        config.write("\nnot_in_nav: |\n  /extra.md\n")
    result = build_site(tmp_path / "out", project)
    assert result.returncode == 0, build_problems(result)
    extra = (tmp_path / "out" / "extra" / "index.html").read_text()
    assert f'href="../lessons/{LESSON.slug}/#section"' in extra
    assert "gone" in extra and "99-gone" not in extra
    lesson = (tmp_path / "out" / "lessons" / LESSON.slug / "index.html").read_text()
    assert "See the next lesson." in lesson and "98-later" not in lesson
