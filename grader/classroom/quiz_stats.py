"""Item statistics for the graded quizzes, from the gradebook: which questions work.

Moodle's quiz statistics report is the model an instructor knows:

- facility index: the share of learners who got the question right;
- discrimination index: the point-biserial correlation between the question
  (right 1, wrong 0) and the rest of the learner's score for that lesson
  (exercise and the other questions), as Moodle correlates a question with the
  rest of the quiz; also the classic upper-minus-lower 27 % index;
- how often each choice was picked.

Counts use each learner's latest graded submission per lesson, and only those
where at least one question was answered (a quiz left blank was not attempted).
Choices are counted by the course's own letters: each stored answer carries the
letter its choice has in quiz.toml (or the private questions file), undoing a
class release's shuffle. Questions are told apart by lesson and prompt, so a
private question never merges with a course question of the same number.
Submissions graded before the course letter was stored still count for facility
and discrimination, but their picks (whose letters may be shuffled) are not counted.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from grader.classroom.gradebook import GRADED, NOT_LOADED, Gradebook, latest_of
from grader.classroom.private_questions import Override, graded_quiz
from grader.lessons import Lesson, all_lessons, get_lesson
from grader.quiz import Question

EASY, HARD = 0.9, 0.2  # facility above / below: almost everyone right / wrong
GROUP = 0.27  # the upper and lower groups of the classic discrimination index
MIN_LEARNERS = 5  # fewer answers than this: figures are shown, but nothing is flagged

FLAG_EASY = "almost everyone right"
FLAG_HARD = "almost everyone wrong"
FLAG_NEGATIVE = "negative discrimination: stronger learners get it wrong more often (check the key)"
FLAG_UNUSED = "a distractor nobody picks"


@dataclass
class ChoiceStat:
    letter: str
    text: str  # "" when the question is not in the course (or private file) given
    correct: bool
    picked: int


@dataclass
class ItemStats:
    lesson_id: str
    number: int  # its number in the graded pool as graded (the most common, should runs differ)
    prompt: str
    key: str  # the course letter of the right choice
    answered: int  # learners counted (attempted the quiz)
    right: int
    facility: float
    discrimination: float | None  # point-biserial vs the rest of the lesson score; None when undefined
    upper_lower: float | None  # share right in the top 27 % minus in the bottom 27 %
    choices: list[ChoiceStat]
    blank: int = 0  # counted learners who left this question unanswered
    unmapped: int = 0  # picks graded before course letters were stored: not in `choices`
    flags: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class _Answer:
    correct: bool
    choice: str | None  # course letter; None: no answer, or not known (old row)
    mapped: bool  # False: an old row whose letters may be a release's
    answered: bool
    rest: float  # the submission's score without this question


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r (the point-biserial when xs are 0/1); None when either side does not vary."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def upper_lower(pairs: list[tuple[float, bool]]) -> float | None:
    """p(upper 27 %) - p(lower 27 %), learners ranked by total score (ties in stored order)."""
    if len(pairs) < 2:
        return None
    size = max(1, round(GROUP * len(pairs)))
    ranked = sorted(pairs, key=lambda pair: pair[0])
    lower, upper = ranked[:size], ranked[-size:]
    return sum(c for _, c in upper) / size - sum(c for _, c in lower) / size


def _quiz_answers(report: dict) -> list[dict]:
    questions = report.get("quiz", {}).get("questions", [])
    return [q for q in questions if isinstance(q, dict) and isinstance(q.get("prompt"), str)]


def _course_question(lesson: Lesson, prompt: str, overrides: dict[str, Override]) -> Question | None:
    return next((q for q in graded_quiz(lesson, overrides).questions if q.prompt == prompt), None)


def item_stats(
    gradebook: Gradebook, lesson_ids: list[str] | None = None, overrides: dict[str, Override] | None = None
) -> list[ItemStats]:
    """Every graded question of the chosen lessons (default: all) that someone answered, in lesson and number order."""
    overrides = overrides or {}
    lessons = [get_lesson(i) for i in lesson_ids] if lesson_ids else all_lessons()
    wanted = {lesson.id: lesson for lesson in lessons}
    answers: dict[tuple[str, str], list[_Answer]] = defaultdict(list)
    numbers: dict[tuple[str, str], Counter] = defaultdict(Counter)
    keys: dict[tuple[str, str], Counter] = defaultdict(Counter)
    current = [
        row
        for by_lesson in latest_of(gradebook.summaries()).values()
        for lesson_id, row in by_lesson.items()
        if lesson_id in wanted and row.status in (GRADED, NOT_LOADED) and row.quiz_max
    ]
    reports = gradebook.reports([row.id for row in current])
    for row in current:
        lesson_id = str(row.lesson_id)  # a wanted lesson's id, never None
        questions = _quiz_answers(reports[row.id])
        if not any(q.get("given") for q in questions):
            continue  # the quiz was not attempted
        for q in questions:
            ident = (lesson_id, q["prompt"])
            correct = q.get("correct") is True
            mapped = "choice" in q  # stored since course letters are recorded
            numbers[ident][q.get("number")] += 1
            if mapped and q.get("key"):
                keys[ident][q["key"]] += 1
            answers[ident].append(
                _Answer(
                    correct=correct,
                    choice=q.get("choice") if mapped else None,
                    mapped=mapped,
                    answered=bool(q.get("given")),
                    rest=row.score - int(correct),
                )
            )
    out = []
    for (lesson_id, prompt), found in answers.items():
        lesson = wanted[lesson_id]
        course = _course_question(lesson, prompt, overrides)
        number = numbers[(lesson_id, prompt)].most_common(1)[0][0]
        key = keys[(lesson_id, prompt)].most_common(1)[0][0] if keys[(lesson_id, prompt)] else ""
        if not key and course is not None:
            key = course.answer
        picked = Counter(a.choice for a in found if a.mapped and a.choice)
        letters = [c.key for c in course.choices] if course is not None else []
        letters += sorted(set(picked) - set(letters))
        texts = {c.key: c.text for c in course.choices} if course is not None else {}
        choices = [ChoiceStat(letter, texts.get(letter, ""), letter == key, picked[letter]) for letter in letters]
        right = sum(a.correct for a in found)
        xs = [float(a.correct) for a in found]
        stats = ItemStats(
            lesson_id=lesson_id,
            number=number if isinstance(number, int) else 0,
            prompt=prompt,
            key=key,
            answered=len(found),
            right=right,
            facility=right / len(found),
            discrimination=pearson(xs, [a.rest for a in found]),
            upper_lower=upper_lower([(a.rest + a.correct, a.correct) for a in found]),
            choices=choices,
            blank=sum(not a.answered for a in found),
            unmapped=sum(not a.mapped and a.answered for a in found),
        )
        stats.flags = flags(stats, known_choices=course is not None)
        out.append(stats)
    order = {lesson.id: i for i, lesson in enumerate(lessons)}
    return sorted(out, key=lambda s: (order[s.lesson_id], s.number, s.prompt))


def flags(stats: ItemStats, known_choices: bool = True) -> list[str]:
    """What an instructor should look at; nothing below MIN_LEARNERS answers (too few to tell)."""
    if stats.answered < MIN_LEARNERS:
        return []
    found = []
    if stats.facility > EASY:
        found.append(FLAG_EASY)
    elif stats.facility < HARD:
        found.append(FLAG_HARD)
    if stats.discrimination is not None and stats.discrimination < 0:
        found.append(FLAG_NEGATIVE)
    # Only when every pick was mapped to a course letter: an unmapped pick could be the one.
    if known_choices and not stats.unmapped and any(not c.correct and c.picked == 0 for c in stats.choices):
        found.append(FLAG_UNUSED)
    return found
