"""Item statistics (`grader quiz-stats`) on synthetic classes stored in a real gradebook.

Each learner has an ability; a question is answered right when the ability is
above the question's threshold, so the figures that tell a good question from a
broken one hold on every seed: a trivial question (everyone right), a question
keyed wrong (the stronger learners pick the real answer and are marked wrong),
and ordinary ones. Answers are scored by the grader's own `score_quiz` through
the course quiz, a shuffled class release's key, or private questions, and
stored with `Gradebook.record`, as `grader batch` stores them.
"""

from __future__ import annotations

import json
import random
import statistics
from collections import Counter
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from grader.classroom import quiz_stats
from grader.classroom.gradebook import GRADED, Gradebook, Outcome
from grader.classroom.private_questions import Override, graded_quiz
from grader.classroom.release_key import make_key
from grader.cli import app
from grader.lessons import all_lessons
from grader.quiz import Question, Quiz, parse_questions, score_quiz

LESSON = all_lessons()[0]
SEEDS = [random.randrange(2**32) for _ in range(3)]
# Ids by position: under pytest-xdist each worker draws its own seeds, and every worker must collect the same ids.
SEED_IDS = [f"seed{i}" for i in range(len(SEEDS))]
LEARNERS = 40
TRIVIAL, WRONG_KEY = 2, 5  # question numbers (1-based) made trivial and keyed wrong


def rekeyed(question: Question, letter: str) -> Question:
    """The question with `letter` marked right instead of its real answer: a wrong key."""
    return replace(question, choices=tuple(replace(c, correct=c.key == letter) for c in question.choices))


def intended(question: Question, ability: float, threshold: float, learner: int) -> str:
    """The course letter a learner picks: the real answer above the threshold, else a distractor (in turn, so each is picked)."""
    if ability > threshold:
        return question.answer
    wrong = [c.key for c in question.choices if not c.correct]
    return wrong[learner % len(wrong)]


def store(gradebook: Gradebook, student: str, quiz: Quiz, answers: dict, exercise: int, exercise_max: int) -> dict:
    result = score_quiz(quiz, answers)
    report = {"lesson": LESSON.id, "exercise": {"checks": []}, "quiz": result.to_json()}
    gradebook.record(
        Outcome(
            student=student,
            source=f"/class/{student}/{LESSON.slug}.ipynb",
            digest="d" * 64,
            status=GRADED,
            lesson_id=LESSON.id,
            exercise_score=exercise,
            exercise_max=exercise_max,
            quiz_score=result.score,
            quiz_max=result.max_score,
            report=report,
        )
    )
    return report


def synthetic_class(gradebook: Gradebook, seed: int, course: Quiz, release=None) -> dict:
    """Stores a class; returns what the test needs to compute the figures itself.

    `release`: a shuffled release key of `course`; every other learner answers on it (in its letters).
    """
    rng = random.Random(seed)
    true_course = course
    wrong_letter = next(c.key for c in course.questions[WRONG_KEY - 1].choices if not c.correct)
    keyed = Quiz(
        tuple(rekeyed(q, wrong_letter) if q.number == WRONG_KEY else q for q in course.questions)
    )  # the key the grader (wrongly) holds
    released = None
    if release is not None:
        released = release.quizzes[LESSON.id]
        released = Quiz(
            tuple(
                rekeyed(q, next(c.key for c in q.choices if (c.origin or c.key) == wrong_letter))
                if q.number == WRONG_KEY
                else q
                for q in released.questions
            )
        )
    thresholds = {q.number: rng.uniform(0.3, 0.7) for q in course.questions}
    thresholds[TRIVIAL] = -1.0
    picks: dict[int, Counter] = {q.number: Counter() for q in course.questions}
    table = []
    for learner in range(LEARNERS):
        ability = (learner + rng.random()) / LEARNERS
        course_letters = {q.number: intended(q, ability, thresholds[q.number], learner) for q in true_course.questions}
        for number, letter in course_letters.items():
            picks[number][letter] += 1
        on_release = released is not None and learner % 2 == 1
        if on_release:
            answers = {
                q.number: next(c.key for c in q.choices if (c.origin or c.key) == course_letters[q.number])
                for q in released.questions
            }
            quiz = released
        else:
            answers, quiz = course_letters, keyed
        exercise_max = 20
        exercise = round(ability * exercise_max)
        report = store(gradebook, f"learner{learner:02d}", quiz, answers, exercise, exercise_max)
        right = {q["number"]: q["correct"] for q in report["quiz"]["questions"]}
        table.append((exercise + sum(right.values()), right))
    return {"picks": picks, "table": table, "wrong_letter": wrong_letter}


def by_number(stats: list[quiz_stats.ItemStats]) -> dict[int, quiz_stats.ItemStats]:
    return {s.number: s for s in stats}


def expected_figures(table, number: int) -> tuple[float, float]:
    """Facility and point-biserial against the rest of the score, computed here with the standard library."""
    xs = [float(right[number]) for _, right in table]
    rest = [total - right[number] for total, right in table]
    varies = len(set(xs)) > 1
    return sum(xs) / len(xs), statistics.correlation(xs, rest) if varies else None


@pytest.mark.parametrize("seed", SEEDS, ids=SEED_IDS)
def test_a_trivial_question_and_a_wrong_key_are_flagged(tmp_path, seed):
    with Gradebook(str(tmp_path / "gradebook.db")) as gradebook:
        made = synthetic_class(gradebook, seed, LESSON.quiz)
        stats = by_number(quiz_stats.item_stats(gradebook, [LESSON.id]))
    assert sorted(stats) == [q.number for q in LESSON.quiz.questions]
    assert quiz_stats.FLAG_EASY in stats[TRIVIAL].flags
    assert quiz_stats.FLAG_UNUSED in stats[TRIVIAL].flags  # everyone picks the key: no distractor is picked
    assert quiz_stats.FLAG_NEGATIVE in stats[WRONG_KEY].flags, stats[WRONG_KEY]
    assert stats[WRONG_KEY].key == made["wrong_letter"]
    for number, item in stats.items():
        facility, r = expected_figures(made["table"], number)
        assert item.answered == LEARNERS
        assert item.facility == pytest.approx(facility)
        if number != TRIVIAL:
            assert item.discrimination == pytest.approx(r)
        else:
            assert item.discrimination is None  # everyone right: no correlation to compute
        assert {c.letter: c.picked for c in item.choices} == {
            c.key: made["picks"][number][c.key] for c in LESSON.quiz.questions[number - 1].choices
        }
        if number not in (TRIVIAL, WRONG_KEY):
            assert item.flags == [], item  # an ordinary question raises nothing
            assert item.discrimination > 0 and item.upper_lower > 0


@pytest.mark.parametrize("seed", SEEDS, ids=SEED_IDS)
def test_a_shuffled_release_is_counted_by_the_course_letters(tmp_path, seed):
    release = make_key({LESSON.id: LESSON.quiz}, seed=seed)
    shuffled = [q for q in release.quizzes[LESSON.id].questions if any(c.key != c.origin for c in q.choices)]
    assert shuffled  # the release did move choices, so counting release letters would differ
    with Gradebook(str(tmp_path / "gradebook.db")) as gradebook:
        made = synthetic_class(gradebook, seed, LESSON.quiz, release=release)
        stats = by_number(quiz_stats.item_stats(gradebook, [LESSON.id]))
    for number, item in stats.items():
        assert {c.letter: c.picked for c in item.choices} == {
            c.key: made["picks"][number][c.key] for c in LESSON.quiz.questions[number - 1].choices
        }
        assert item.key == (made["wrong_letter"] if number == WRONG_KEY else LESSON.quiz.questions[number - 1].answer)
    assert quiz_stats.FLAG_NEGATIVE in stats[WRONG_KEY].flags
    assert quiz_stats.FLAG_EASY in stats[TRIVIAL].flags


PRIVATE = parse_questions(
    [
        {
            "prompt": "Private: which status code does a created resource get?",
            "choice": [
                {"text": "200 OK", "why": "no"},
                {"text": "201 Created", "why": "yes", "correct": True},
                {"text": "204 No Content", "why": "no"},
            ],
        }
    ],
    "private",
)


@pytest.mark.parametrize("seed", SEEDS, ids=SEED_IDS)
def test_private_questions_on_a_release_are_their_own_items(tmp_path, seed):
    overrides = {LESSON.id: Override(LESSON.id, False, PRIVATE, "private.toml")}
    course = graded_quiz(LESSON, overrides)
    release = make_key({LESSON.id: course}, seed=seed)
    private_number = len(LESSON.quiz.questions) + 1
    with Gradebook(str(tmp_path / "gradebook.db")) as gradebook:
        made = synthetic_class(gradebook, seed, course, release=release)
        stats = by_number(quiz_stats.item_stats(gradebook, [LESSON.id], overrides))
        blind = by_number(quiz_stats.item_stats(gradebook, [LESSON.id]))  # without the private file
    item = stats[private_number]
    assert item.prompt == PRIVATE[0].prompt
    assert [(c.letter, c.text, c.picked) for c in item.choices] == [
        (c.key, c.text, made["picks"][private_number][c.key]) for c in course.questions[-1].choices
    ]
    # Without the file the letters picked are still counted; texts and unpicked letters are unknown, so no
    # distractor is called unused.
    assert {c.letter: c.picked for c in blind[private_number].choices} == {
        k: v for k, v in made["picks"][private_number].items() if v
    }
    assert quiz_stats.FLAG_UNUSED not in blind[private_number].flags


def test_rows_graded_before_course_letters_were_stored_still_count_right_and_wrong(tmp_path):
    with Gradebook(str(tmp_path / "gradebook.db")) as gradebook:
        made = synthetic_class(gradebook, 1, LESSON.quiz)
        rows = gradebook.results()
        for row in rows[:10]:  # as the grader stored them before: no "choice" and no "key"
            report = row.report_json
            for q in report["quiz"]["questions"]:
                del q["choice"], q["key"]
            gradebook.record(
                Outcome(
                    row.student,
                    row.source,
                    row.digest,
                    GRADED,
                    LESSON.id,
                    "",
                    row.exercise_score,
                    row.exercise_max,
                    row.quiz_score,
                    row.quiz_max,
                    None,
                    report,
                )
            )
        stats = by_number(quiz_stats.item_stats(gradebook, [LESSON.id]))
    for number, item in stats.items():
        assert item.facility == pytest.approx(expected_figures(made["table"], number)[0])
        assert item.unmapped == 10
        assert sum(c.picked for c in item.choices) == LEARNERS - 10
        assert quiz_stats.FLAG_UNUSED not in item.flags


def test_an_unattempted_quiz_is_not_counted_and_a_small_class_is_not_flagged(tmp_path):
    with Gradebook(str(tmp_path / "gradebook.db")) as gradebook:
        store(gradebook, "blank", LESSON.quiz, {}, 0, 20)
        assert quiz_stats.item_stats(gradebook) == []
        for n in range(quiz_stats.MIN_LEARNERS - 1):
            store(gradebook, f"a{n}", LESSON.quiz, {q.number: q.answer for q in LESSON.quiz.questions}, n, 20)
        stats = quiz_stats.item_stats(gradebook)
    assert {s.answered for s in stats} == {quiz_stats.MIN_LEARNERS - 1}
    assert all(s.facility == 1 and s.flags == [] for s in stats)


def test_cli_prints_the_figures_and_json(tmp_path):
    db = tmp_path / "gradebook.db"
    with Gradebook(str(db)) as gradebook:
        synthetic_class(gradebook, 7, LESSON.quiz)
        expected = [s.to_json() for s in quiz_stats.item_stats(gradebook)]
    done = CliRunner().invoke(app, ["quiz-stats", "--db", str(db), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == expected
    done = CliRunner().invoke(app, ["quiz-stats", "--db", str(db), "--lesson", LESSON.slug], env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    assert f"Q{WRONG_KEY} negative discrimination" in done.output
    assert f"Q{TRIVIAL} almost everyone right" in done.output
    missing = CliRunner().invoke(app, ["quiz-stats", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2


def test_pearson_and_upper_lower_on_known_values():
    assert quiz_stats.pearson([1, 0, 1, 0], [4, 1, 3, 2]) == pytest.approx(
        statistics.correlation([1, 0, 1, 0], [4, 1, 3, 2])
    )
    assert quiz_stats.pearson([1, 1, 1], [1, 2, 3]) is None
    # 10 learners: groups of round(2.7) = 3; the top three right, the bottom three wrong.
    pairs = [(score, score >= 7) for score in range(10)]
    assert quiz_stats.upper_lower(pairs) == 1.0
    assert quiz_stats.upper_lower([(s, not c) for s, c in pairs]) == -1.0
