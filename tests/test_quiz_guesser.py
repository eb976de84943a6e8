"""A test-wise guesser that never reads the course must not pass a graded quiz.

Each strategy answers every graded question from surface cues only: the
length of a choice, how hedged it is, how many words it shares with the
prompt, how much it stands out from the other choices, and combinations of
these. Writers give right answers away by form (the right one carries the
justification and the "except when ..."; distractors are bare), so every cue
is tried both ways round: a quiz that overcorrects (the right answer always
the shortest) is just as guessable. A strategy whose top score is shared by
several choices gets the matching fraction of a point, as a guesser picking
among them at random would on average.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Callable

import pytest

from grader.lessons import all_lessons
from grader.quiz import Choice, Question, Quiz

LESSONS = all_lessons()

WORD = re.compile(r"[a-z0-9_]+")
STOPWORDS = frozenset(
    "a an the and or of to in on at for by with from is are be it its this that as what which does do "
    "not no into than then there their was were will would can".split()
)
# Words that hedge or justify: distractors a writer leaves bare lack them.
QUALIFIERS = frozenset(
    "only unless except because when whenever if but so since while although though even still never "
    "always just also both either neither instead rather until once whether".split()
)

Cue = Callable[[Question, Choice], float]


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def content(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOPWORDS}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def length(question: Question, choice: Choice) -> float:
    return len(choice.text)


def qualified(question: Question, choice: Choice) -> float:
    text = choice.text
    hedges = sum(w in QUALIFIERS for w in words(text))
    return hedges + text.count(",") + text.count("(") + text.count("`") / 2 + text.count(":") + text.count(";")


def prompt_overlap(question: Question, choice: Choice) -> float:
    return len(content(choice.text) & content(question.prompt))


def odd_by_words(question: Question, choice: Choice) -> float:
    """How unlike the other choices it is: 1 - mean token Jaccard with them."""
    others = [c for c in question.choices if c is not choice]
    return 1 - statistics.mean(jaccard(content(choice.text), content(c.text)) for c in others)


def odd_by_length(question: Question, choice: Choice) -> float:
    """The absolute z-score of its length among the choices."""
    lengths = [len(c.text) for c in question.choices]
    spread = statistics.pstdev(lengths) or 1.0
    return abs(len(choice.text) - statistics.mean(lengths)) / spread


CUES: dict[str, Cue] = {
    "longest": length,
    "most qualified": qualified,
    "most prompt words": prompt_overlap,
    "odd one out (words)": odd_by_words,
    "odd one out (length)": odd_by_length,
}


def inverted(cue: Cue) -> Cue:
    return lambda question, choice: -cue(question, choice)


# The same cues the other way round: a quiz must not be guessable by its overcorrection either.
ALL_CUES: dict[str, Cue] = {
    **CUES,
    "shortest": inverted(length),
    "least qualified": inverted(qualified),
    "fewest prompt words": inverted(prompt_overlap),
    "most typical (words)": inverted(odd_by_words),
}


def picks(question: Question, cue: Cue) -> list[str]:
    """The choices a cue ranks first (several when tied)."""
    scores = {c.key: cue(question, c) for c in question.choices}
    best = max(scores.values())
    return [key for key, score in scores.items() if math.isclose(score, best)]


def vote(cues: dict[str, Cue]) -> Cue:
    """Each cue gives a point to its first choice(s); the most points win."""

    def cue(question: Question, choice: Choice) -> float:
        return sum(choice.key in picks(question, c) for c in cues.values())

    return cue


def rank_sum(cues: dict[str, Cue]) -> Cue:
    """The sum of a choice's ranks under every cue (higher rank, higher score)."""

    def cue(question: Question, choice: Choice) -> float:
        total = 0.0
        for c in cues.values():
            scores = sorted(c(question, other) for other in question.choices)
            total += statistics.mean(i for i, s in enumerate(scores) if math.isclose(s, c(question, choice)))
        return total

    return cue


STRATEGIES: dict[str, Cue] = {**ALL_CUES, "vote of the cues": vote(CUES), "rank sum of the cues": rank_sum(CUES)}


def score(quiz: Quiz, cue: Cue) -> float:
    total = 0.0
    for question in quiz.questions:
        chosen = picks(question, cue)
        total += (question.answer in chosen) / len(chosen)
    return total


def scores(quiz: Quiz) -> dict[str, float]:
    """Every strategy's score, and the strongest adversary: the best of them in hindsight."""
    result = {name: score(quiz, cue) for name, cue in STRATEGIES.items()}
    result["best in hindsight"] = max(result.values())
    return result


def bound(quiz: Quiz) -> int:
    """3 of 8, scaled: chance is a quarter, so one lucky point over chance per 8 questions at most."""
    return math.floor(3 / 8 * len(quiz.questions))


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_a_cue_only_guesser_scores_near_chance(lesson):
    quiz = lesson.quiz
    over = {name: round(s, 2) for name, s in scores(quiz).items() if s > bound(quiz)}
    assert over == {}, f"out of {len(quiz.questions)} (at most {bound(quiz)} allowed)"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_the_practice_pool_cannot_be_guessed_either(lesson):
    """The site's questions teach by their explanations; a learner who can pick the right one by its form
    skips the reading, and learns to look for the same form in the graded pool."""
    quiz = lesson.practice
    over = {name: round(s, 2) for name, s in scores(quiz).items() if s > bound(quiz)}
    assert over == {}, f"out of {len(quiz.questions)} (at most {bound(quiz)} allowed)"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_no_letter_is_a_safe_bet(lesson):
    counts = Counter(q.answer for q in lesson.quiz.questions)
    limit = len(lesson.quiz.questions) / 4 + 1
    assert [letter for letter, n in counts.items() if n > limit] == []


def letter_counts(quiz: Quiz) -> tuple[int, ...]:
    counts = Counter(q.answer for q in quiz.questions)
    return tuple(counts[key] for key in "abcd")


def test_the_letters_are_not_a_fixed_count_in_every_pool():
    """ "Exactly two each" everywhere lets a learner sure of six deduce the other two."""
    pools = [pool for lesson in LESSONS for pool in (lesson.quiz, lesson.practice)]
    patterns = [letter_counts(pool) for pool in pools]
    even = [p for p in patterns if len(set(p)) == 1]
    assert len(set(patterns)) > 1
    assert len(even) <= len(pools) / 4, f"{len(even)} of {len(pools)} pools have the same count for every letter"


# -- the guesser itself: each strategy finds the cue it is named after --------------------------------------


def question(number: int, right: int, texts: list[str], prompt: str = "Which one?") -> Question:
    return Question(
        number,
        prompt,
        tuple(Choice(k, t, "why", i == right) for i, (k, t) in enumerate(zip("abcd", texts, strict=True))),
    )


def test_each_cue_finds_a_give_away_of_its_own_kind():
    plain = ["200 OK", "202 Accepted", "204 No Content", "409 Conflict"]
    cases = {
        "longest": ("201 Created with a Location header that points at the new resource", plain),
        "shortest": ("201", ["200 OK always", "202 Accepted later", "204 No Content now", "409 Conflict here"]),
        "most qualified": (
            "201, but only when (and because) `it` created",
            ["200 OK then", "202 Accepted now", "204 No Content", "409 Conflict"],
        ),
        "most prompt words": ("the route creates a book", ["200 OK", "202 Accepted", "204 No Content", "409 Conflict"]),
        "odd one out (words)": ("a Location header", ["a 200 status", "a 202 status", "a 204 status", "a 409 status"]),
    }
    for name, (right, wrong) in cases.items():
        quiz = Quiz(tuple(question(n, n % 4, wrong[: n % 4] + [right] + wrong[n % 4 : 3]) for n in range(8)))
        quiz = Quiz(
            tuple(Question(q.number, "Which answer when the route creates a book?", q.choices) for q in quiz.questions)
        )
        assert score(quiz, STRATEGIES[name]) == 8, name
        assert scores(quiz)["best in hindsight"] > bound(quiz)


def test_a_tie_is_worth_a_fraction_of_a_point():
    same = question(1, 2, ["aaaa", "bbbb", "cccc", "dddd"])
    assert score(Quiz((same,)), STRATEGIES["longest"]) == 0.25
