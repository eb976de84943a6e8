"""The bank's size: enough wrong and right apps per lesson.

Grading the bank is test_every_seed.py's job: every app under five seeds,
each wrong app losing exactly the checks its header names, with feedback that
says so, and each right app (in another style) keeping full marks.
"""

from collections import Counter

from banks import BANKS, bank_apps
from grader.lessons import all_lessons

APPS = bank_apps()


def test_every_lesson_bank_is_big_enough():
    wrong = Counter(a.lesson_slug for a in APPS if a.fails)
    right = Counter(a.lesson_slug for a in APPS if not a.fails)
    for lesson in all_lessons():
        if not (BANKS / lesson.slug).is_dir():
            continue
        assert wrong[lesson.slug] >= 10, f"{lesson.slug}: only {wrong[lesson.slug]} wrong apps"
        assert right[lesson.slug] >= 3, f"{lesson.slug}: only {right[lesson.slug]} right apps"


def test_every_wrong_app_is_also_graded_in_router_style():
    """Each bug reaches both styles: a wrong app's router version is in the bank unless it says why not."""
    versions = {a.id for a in APPS if a.router_variant}
    for app in APPS:
        restyled = {"router", "mount"} & set(app.style.split(","))  # already in another style
        if app.fails and not app.router_variant and not app.no_router and not restyled:
            assert f"{app.id}@router" in versions, app.id
            assert "app.include_router(router)" in next(a for a in APPS if a.id == f"{app.id}@router").source()


def test_every_lesson_has_right_apps_in_each_style():
    """The style matrix: a right app (or, for a mount where the contract reads /openapi.json, a wrong one) per style."""
    for lesson in all_lessons():
        if not (BANKS / lesson.slug).is_dir():
            continue
        styles = {style for a in APPS if a.lesson_slug == lesson.slug for style in a.style.split(",") if style}
        assert {"router", "mount", "async", "deps"} <= styles, f"{lesson.slug}: styles {sorted(styles)}"
        mounted = [a for a in APPS if a.lesson_slug == lesson.slug and "mount" in a.style]
        openapi = {c.name for c in lesson.checks if c.docs == "openapi"}
        # Mounted at /, the app serves the contract but the parent's /openapi.json lists none of it.
        assert all(a.fails == openapi for a in mounted), (lesson.slug, [(a.id, sorted(a.fails)) for a in mounted])
