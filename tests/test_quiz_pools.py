"""Every lesson's quiz file: two pools, balanced letters, no repeats.

A quiz whose right answers pile up on one letter can be scored by guessing
that letter; a question asked twice in the course is a point counted twice.
"""

from __future__ import annotations

import re
import string
from collections import Counter

import pytest

from grader.lessons import all_lessons
from grader.quiz import Choice, Question, Quiz

LESSONS = all_lessons()
MIN_QUESTIONS = 8


def letter_problems(quiz: Quiz) -> list[str]:
    """Letters that are right in more than a quarter of the questions plus one."""
    counts = Counter(question.answer for question in quiz.questions)
    limit = len(quiz.questions) / 4 + 1
    return [f"{letter} is right in {n} of {len(quiz.questions)}" for letter, n in sorted(counts.items()) if n > limit]


def normal(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_both_pools_have_enough_questions(lesson):
    assert len(lesson.quiz.questions) >= MIN_QUESTIONS
    assert len(lesson.practice.questions) >= MIN_QUESTIONS


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_right_answers_are_spread_over_the_letters(lesson):
    whole_file = Quiz(lesson.quiz.questions + lesson.practice.questions)
    assert letter_problems(lesson.quiz) == []
    assert letter_problems(lesson.practice) == []
    assert letter_problems(whole_file) == []


def test_the_balance_rule_catches_an_answer_piled_on_b():
    """The issue's lesson 04: b right in 7 of 8."""

    def question(number: int, right: str) -> Question:
        return Question(number, f"q{number}", tuple(Choice(k, k, "why", k == right) for k in "abcd"))

    piled = Quiz(tuple(question(n, "b" if n < 8 else "a") for n in range(1, 9)))
    assert letter_problems(piled) == ["b is right in 7 of 8"]
    spread = Quiz(tuple(question(n, "abcd"[n % 4]) for n in range(1, 9)))
    assert letter_problems(spread) == []


def test_no_question_is_asked_twice_in_the_course():
    prompts = Counter()
    right_answers = Counter()
    for lesson in LESSONS:
        for pool in (lesson.quiz, lesson.practice):
            for q in pool.questions:
                prompts[normal(q.prompt)] += 1
                right_answers[normal(q.choice(q.answer).text)] += 1
    assert [p for p, n in prompts.items() if n > 1] == []
    # The same right answer twice is the same question in other words (the 422 constant was asked three times).
    assert [a for a, n in right_answers.items() if n > 1] == []


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_every_choice_explains_itself(lesson):
    for pool in (lesson.quiz, lesson.practice):
        for q in pool.questions:
            assert len(q.choices) == 4 and [c.key for c in q.choices] == list(string.ascii_lowercase[:4])
            assert all(c.text.strip() and c.why.strip() for c in q.choices), q.prompt
