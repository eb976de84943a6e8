"""MkDocs hook: the site lists the lesson pages this checkout has.

Lesson pages (`docs/lessons/NN-id.md`) are written alongside their lesson
folders, so the nav cannot name them up front: `mkdocs.yml` holds an empty
`Lessons` section and this hook fills it, in lesson order, titled from each
lesson's `lesson.toml`. Links from other pages to a lesson page that is not
here yet become plain text instead of a broken link; `tests/test_docs_build.py`
is what insists every lesson folder has its page.
"""

from __future__ import annotations

import logging
import posixpath
import re
from pathlib import Path

from grader.lessons import all_lessons

log = logging.getLogger("mkdocs.hooks.lesson_pages")

LESSONS_SECTION = "Lessons"
PAGE_NAME = re.compile(r"^(\d\d)-([a-z0-9-]+)\.md$")
# A Markdown inline link that may target a lesson page: [text](../lessons/01-x.md#anchor), [text](04-errors.md)
LESSON_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[\w./-]*\d\d-[a-z0-9-]+\.md)(?:#[\w-]+)?\)")
LESSON_PAGE = re.compile(r"^lessons/\d\d-[a-z0-9-]+\.md$")


def lesson_page_paths(docs_dir: Path) -> list[str]:
    """`lessons/NN-id.md` for every lesson page present, in lesson order."""
    folder = docs_dir / "lessons"
    names = sorted(p.name for p in folder.glob("*.md") if PAGE_NAME.match(p.name)) if folder.is_dir() else []
    return [f"lessons/{name}" for name in names]


def nav_title(page_path: str, titles: dict[str, str]) -> str:
    slug = Path(page_path).stem
    return titles.get(slug, slug)


def on_config(config):
    titles = {lesson.slug: f"{lesson.number:02d} · {lesson.title}" for lesson in all_lessons()}
    pages = [{nav_title(path, titles): path} for path in lesson_page_paths(Path(config["docs_dir"]))]
    nav = config["nav"] or []
    for index, entry in enumerate(nav):
        if isinstance(entry, dict) and LESSONS_SECTION in entry:
            if pages:
                nav[index] = {LESSONS_SECTION: pages}
            else:
                del nav[index]
            break
    return config


def on_page_markdown(markdown, page, config, files):
    here = posixpath.dirname(page.file.src_uri)
    missing: set[str] = set()

    def unlink_missing(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(here, match["target"]))
        if not LESSON_PAGE.match(target) or files.get_file_from_path(target) is not None:
            return match[0]
        missing.add(target)
        return match["text"]

    markdown = LESSON_LINK.sub(unlink_missing, markdown)
    if missing:
        log.info("%s: links to %s shown as plain text (not in this checkout yet)", page.file.src_uri, ", ".join(sorted(missing)))
    return markdown
