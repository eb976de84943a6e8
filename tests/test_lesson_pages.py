"""Each lesson page links up with its lesson: check anchors, the quiz marker, every example included."""

import re

import pytest
from test_docs_build import ROOT

from grader.lessons import all_lessons

LESSONS = all_lessons()


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_page_has_every_anchor_example_and_the_quiz_marker(lesson, root):
    page_path = root / "docs" / "lessons" / f"{lesson.slug}.md"
    if not page_path.is_file():
        pytest.skip(f"no page yet for {lesson.slug}")
    page = page_path.read_text()
    anchors = set(re.findall(r"\{ #([a-z0-9-]+) \}", page))
    missing = {c.docs for c in lesson.checks if c.docs} - anchors
    assert not missing, f"checks link to anchors the page lacks: {sorted(missing)}"
    assert re.search(r"^<!-- quiz -->$", page, re.M), "no quiz marker line"
    included = set(re.findall(rf'--8<-- "lessons/{lesson.slug}/examples/([\w.]+\.py)"', page))
    examples = {p.name for p in (lesson.folder / "examples").glob("*.py")}
    assert examples == included, (
        f"not on the page: {sorted(examples - included)}; not in the folder: {sorted(included - examples)}"
    )


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_page_title_is_numbered_like_the_nav(lesson, root):
    page_path = root / "docs" / "lessons" / f"{lesson.slug}.md"
    if not page_path.is_file():
        pytest.skip(f"no page yet for {lesson.slug}")
    first_line = page_path.read_text().splitlines()[0]
    assert first_line == f"# {lesson.number:02d} · {lesson.title}"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_page_says_how_to_open_and_grade_its_notebook_the_one_way(lesson, root):
    page_path = root / "docs" / "lessons" / f"{lesson.slug}.md"
    if not page_path.is_file():
        pytest.skip(f"no page yet for {lesson.slug}")
    page = page_path.read_text()
    assert "`make lab`" in page
    assert f"grader check exercises/{lesson.slug}.ipynb" in page


def learner_texts(root):
    """Every text a learner reads commands in: the site, the README, what the notebooks are built from."""
    paths = [*sorted((root / "docs").rglob("*.md")), root / "README.md"]
    for folder in sorted((root / "lessons").glob("[0-9][0-9]-*")):
        paths += [folder / "exercise.md", folder / "lesson.toml"]
    return [path for path in paths if path.is_file()]


def test_commands_name_files_that_exist_from_the_course_folder(root):
    """`grader check 02-response-model.ipynb` fails from the course folder; `exercises/...` works.
    JupyterLab is opened one way everywhere: `make lab` (it sets the folder, the address and root)."""
    wrong = []
    for path in learner_texts(root):
        text = path.read_text()
        where = path.relative_to(root)
        wrong += [
            f"{where}: {m[0]}"
            for m in re.finditer(r"grader (?:check|watch) ([^\s`]+\.ipynb)", text)
            if not (root / m[1]).is_file()
        ]
        wrong += [f"{where}: {m[0]}" for m in re.finditer(r"jupyter lab\b[^`\n]*", text)]
    assert wrong == []


LIST_ITEM = re.compile(r"^(?:(?P<bullet>[-*+])|(?P<number>\d+)[.)])\s")


def lists_that_run_together(text: str) -> list[str]:
    """Pairs of top-level lists with only blank lines between them and different markers.

    Python-Markdown does not start a new list when the marker changes: `- a` then
    `1. b` becomes one list, and the steps render as bullets (or, after a code
    block, vanish into its annotations)."""
    found, previous, fenced = [], None, False
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            fenced = not fenced
            previous = None
            continue
        if fenced or not line.strip() or line[0] == " ":
            continue
        item = LIST_ITEM.match(line)
        kind = None if item is None else ("bullet" if item["bullet"] else "number")
        if kind and previous and previous[0] != kind:
            found.append(f"line {previous[1]} ({previous[0]}) runs into line {number} ({kind})")
        previous = (kind, number) if kind else None
    return found


def test_list_check_finds_a_bullet_list_running_into_steps():
    assert lists_that_run_together("- a rule\n- another\n\n1. a step\n") == [
        "line 2 (bullet) runs into line 4 (number)"
    ]
    assert lists_that_run_together("- a rule\n\nThen:\n\n1. a step\n") == []
    assert lists_that_run_together("1. one\n    more\n\n2. two\n") == []


@pytest.mark.parametrize("page", sorted((ROOT / "docs").rglob("*.md")), ids=lambda p: p.name)
def test_lists_on_pages_do_not_run_into_each_other(page):
    assert lists_that_run_together(page.read_text()) == []


def with_included_examples(root, path) -> str:
    """A page's text with the examples it includes (`--8<--`), as a reader sees it."""
    text = path.read_text()
    for included in re.findall(r'--8<-- "([^"]+)"', text):
        if (root / included).is_file():  # the authoring guide names a placeholder
            text += "\n" + (root / included).read_text()
    return text


def test_only_one_spelling_imports_status(root):
    """`fastapi.status` is no module in FastAPI 0.16x: only `from fastapi import status` works."""
    wrong = re.compile(r"fastapi\.status\b")
    offenders = []
    for path in learner_texts(root):
        for paragraph in re.split(r"\n\s*\n", with_included_examples(root, path)):
            if wrong.search(paragraph) and "ModuleNotFoundError" not in paragraph:  # a warning may name them
                offenders.append(f"{path.relative_to(root)}: {paragraph.strip()[:200]}")
    assert not offenders, "a spelling of the status import that fails:\n" + "\n".join(offenders)


def test_every_page_showing_the_course_hash_says_it_is_for_teaching_only(root):
    """A fast single-salt SHA-256 shown as a password hash needs the word on what real code uses."""
    shows_hash = re.compile(r"def hash_password|sha256\(.*(password|capstone:|course-salt)")
    missing = []
    for path in learner_texts(root):
        text = with_included_examples(root, path)
        if shows_hash.search(text):
            said = "teaching only" in text and "argon2" in text and "bcrypt" in text and "pwdlib" in text
            if not said:
                missing.append(str(path.relative_to(root)))
    assert not missing, f"shows the course's hash without saying it is for teaching only: {missing}"
