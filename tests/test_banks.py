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
