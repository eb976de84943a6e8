"""Each lesson page links up with its lesson: check anchors, the quiz marker, every example included."""

import re

import pytest

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
    assert examples == included, f"not on the page: {sorted(examples - included)}; not in the folder: {sorted(included - examples)}"
