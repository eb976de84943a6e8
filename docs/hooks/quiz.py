"""MkDocs hook: an interactive practice quiz on every lesson page, from `lessons/NN-id/quiz.toml`.

A lesson page marks where its quiz goes with a line `<!-- quiz -->`. The page
shows the lesson's *practice* pool, read with `grader.quiz.load_quiz` (the same
file the notebook and the grader read); the graded pool never reaches the
site. It is rendered as plain HTML; `docs/assets/quiz.js` makes it
interactive and keeps the answers in the browser. A lesson page without the
marker, or with no lesson folder behind it, is a build warning, so
`mkdocs build --strict` fails.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re

import markdown as md

from grader.lessons import Lesson, all_lessons
from grader.quiz import Quiz

log = logging.getLogger("mkdocs.hooks.quiz")

MARKER = "<!-- quiz -->"
MARKER_LINE = re.compile(r"^<!-- quiz -->[ \t]*$", re.MULTILINE)
LESSON_PAGE = re.compile(r"^lessons/(\d\d-[a-z0-9-]+)\.md$")


def lesson_for_page(src_uri: str) -> tuple[str, Lesson | None] | None:
    """(slug, lesson) for a lesson page, None for any other page."""
    match = LESSON_PAGE.match(src_uri)
    if not match:
        return None
    slug = match[1]
    return slug, next((lesson for lesson in all_lessons() if lesson.slug == slug), None)


CODE_SPAN = re.compile(r"(`[^`]*`)")


def inline(text: str) -> str:
    """Quiz texts are one-line Markdown (mostly `code`): render them without the <p>.

    Text outside code spans is escaped first: a quiz about `HTMLResponse` may
    well mention <h1> in its prose, and that must show, not become markup."""
    safe = "".join(part if CODE_SPAN.fullmatch(part) else html.escape(part, quote=False) for part in CODE_SPAN.split(text))
    rendered = md.markdown(safe).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>"):
        rendered = rendered[3:-4]
    return rendered


def quiz_version(lesson: Lesson) -> str:
    """Changes when the quiz changes, so answers saved for an older quiz are not shown against a new one."""
    return hashlib.sha256((lesson.folder / "quiz.toml").read_bytes()).hexdigest()[:12]


def render_quiz(quiz: Quiz, quiz_id: str, version: str) -> str:
    attr = html.escape
    parts = [
        f'<div class="course-quiz" data-quiz-id="{attr(quiz_id)}" data-quiz-version="{attr(version)}">',
        '<p class="course-quiz__lead">Practice questions: pick an answer to see why it is right or wrong. '
        "Your answers stay in this browser. The graded quiz, on the same ideas with other questions, "
        "is in the lesson's exercise notebook.</p>",
    ]
    for question in quiz.questions:
        parts.append(f'<fieldset class="course-quiz__question" data-number="{question.number}">')
        parts.append(
            f'<legend><span class="course-quiz__number">{question.number}.</span> {inline(question.prompt)}</legend>'
        )
        parts.append('<ul class="course-quiz__choices">')
        for choice in question.choices:
            parts.append(
                f'<li class="course-quiz__choice" data-key="{choice.key}" data-correct="{str(choice.correct).lower()}">'
                f'<label><input type="radio" name="quiz-{attr(quiz_id)}-{question.number}" value="{choice.key}">'
                f'<span class="course-quiz__key">{choice.key})</span> <span class="course-quiz__text">{inline(choice.text)}</span></label>'
                f'<div class="course-quiz__why" hidden data-search-exclude>{inline(choice.why)}</div></li>'
            )
        parts.append("</ul>")
        parts.append('<div class="course-quiz__feedback" role="status" aria-live="polite" hidden></div>')
        parts.append("</fieldset>")
    parts.append('<p class="course-quiz__score" role="status" aria-live="polite"></p>')
    parts.append('<button type="button" class="md-button course-quiz__reset">Clear my answers</button>')
    parts.append("</div>")
    return "\n".join(parts)


def on_page_markdown(markdown, page, config, files):
    found = lesson_for_page(page.file.src_uri)
    if found is None:
        return markdown
    slug, lesson = found
    if lesson is None:
        log.warning("%s: no lesson folder lessons/%s/ holds its quiz", page.file.src_uri, slug)
    markers = len(MARKER_LINE.findall(markdown))
    if markers != 1:
        log.warning("%s: needs exactly one `%s` line where the quiz goes (found %d)", page.file.src_uri, MARKER, markers)
    return markdown


def on_page_content(content, page, config, files):
    found = lesson_for_page(page.file.src_uri)
    if found is None or found[1] is None:
        return content
    lesson = found[1]
    # Python-Markdown keeps an HTML comment that stands alone as raw HTML, so it is still here.
    return content.replace(MARKER, render_quiz(lesson.practice, lesson.id, quiz_version(lesson)), 1)
