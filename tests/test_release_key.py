"""Class releases' keys (shuffled choices mapped back through the release's own
order) and instructors' private questions."""

from __future__ import annotations

import json
import stat

import pytest

from grader.lessons import all_lessons, get_lesson
from grader.classroom.private_questions import graded_quiz, load_overrides
from grader.quiz import QuizFormatError, score_quiz
from grader.quiz_source import QuizSource
from grader.classroom.release_key import ReleaseKeyError, load_key, make_key

from test_quiz_pools import letter_problems

LESSONS = all_lessons()
LESSON = LESSONS[0]

PRIVATE = """\
lesson = "status-codes"
[[question]]
prompt = "Private: which status says a queued import was taken in?"
[[question.choice]]
text = "202 Accepted"
why = "Right: accepted, not done yet."
correct = true
[[question.choice]]
text = "200 OK"
why = "Says nothing about pending work."
[[question.choice]]
text = "201 Created"
why = "Nothing exists yet."
"""


def test_letters_map_back_through_the_release_order():
    shuffled_somewhere = False
    for seed in range(20):
        key = make_key({lesson.id: lesson.quiz for lesson in LESSONS}, seed)
        for lesson in LESSONS:
            original, released = lesson.quiz, key.quizzes[lesson.id]
            assert letter_problems(released) == []  # balanced in every release too
            by_origin = {}
            for before, after in zip(original.questions, released.questions):
                assert after.prompt == before.prompt
                assert {c.text for c in after.choices} == {c.text for c in before.choices}
                for choice in after.choices:
                    source = before.choice(choice.origin)
                    assert (source.text, source.why, source.correct) == (choice.text, choice.why, choice.correct)
                by_origin[after.number] = {c.origin: c.key for c in after.choices}
            # The learner answers with the release's letters; through the key they are the right choices.
            mapped = {q.number: by_origin[q.number][q.answer] for q in original.questions}
            assert score_quiz(released, mapped).score == original.max_score
            unmapped = score_quiz(released, {q.number: q.answer for q in original.questions}).score
            shuffled_somewhere |= unmapped < original.max_score
    assert shuffled_somewhere, "the choice order never changed"


def test_the_same_seed_gives_the_same_order_and_a_new_release_id():
    first, second = make_key({LESSON.id: LESSON.quiz}, 7), make_key({LESSON.id: LESSON.quiz}, 7)
    assert first.quizzes == second.quizzes
    assert first.release != second.release


def test_key_round_trip_and_damage(tmp_path):
    key = make_key({lesson.id: lesson.quiz for lesson in LESSONS}, 1)
    path = tmp_path / "key.json"
    key.write(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key(path) == key
    data = json.loads(path.read_text())
    data["lessons"][LESSON.id][0]["choices"][0]["correct"] = True
    data["lessons"][LESSON.id][0]["choices"][1]["correct"] = True
    path.write_text(json.dumps(data))
    with pytest.raises(ReleaseKeyError, match="exactly one right choice"):
        load_key(path)
    for garbage in ("", "[]", '{"format": 1}', "\xff"):
        path.write_text(garbage, encoding="latin-1")
        with pytest.raises(ReleaseKeyError):
            load_key(path)


def test_private_questions_add_or_replace(tmp_path):
    file = tmp_path / "mine.toml"
    file.write_text(PRIVATE)
    added = graded_quiz(LESSON, load_overrides(file))
    assert [q.number for q in added.questions] == list(range(1, LESSON.quiz.max_score + 2))
    assert added.questions[-1].prompt.startswith("Private:") and added.questions[-1].answer == "a"
    file.write_text("replace = true\n" + PRIVATE)
    replaced = graded_quiz(LESSON, load_overrides(file))
    assert [q.prompt[:8] for q in replaced.questions] == ["Private:"]
    assert graded_quiz(get_lesson("errors"), load_overrides(file)) == get_lesson("errors").quiz
    # A folder, with the lesson taken from the file name.
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / f"{LESSON.slug}.toml").write_text(PRIVATE.replace('lesson = "status-codes"\n', ""))
    assert graded_quiz(LESSON, load_overrides(folder)).max_score == LESSON.quiz.max_score + 1


@pytest.mark.parametrize(
    "text, message",
    [
        (PRIVATE.replace("status-codes", "no-such-lesson"), "unknown lesson"),
        ('lesson = "status-codes"\n', "no \\[\\[question\\]\\]"),
        (PRIVATE.replace("correct = true\n", ""), "exactly one correct"),
        (PRIVATE + "[[question]]\nprompt = 1\n", "needs a prompt and choices"),
        ("replace = 'yes'\n" + PRIVATE, "replace must be true or false"),
        ("lesson = [", "mine.toml"),
    ],
)
def test_a_bad_private_file_is_a_clear_error(tmp_path, text, message):
    file = tmp_path / "mine.toml"
    file.write_text(text)
    with pytest.raises(QuizFormatError, match=message):
        load_overrides(file)


def test_a_class_notebook_is_scored_only_through_the_key(tmp_path):
    key = make_key({LESSON.id: LESSON.quiz}, 3)
    quiz, notes = QuizSource(key=key).quiz_for(LESSON, key.release)
    assert quiz is key.quizzes[LESSON.id] and notes == []
    # Edited metadata (another release, or none) cannot change which key scores; it only warns.
    for claimed in ("0000000000000000", None):
        quiz, notes = QuizSource(key=key).quiz_for(LESSON, claimed)
        assert quiz is key.quizzes[LESSON.id] and "may mean other choices" in notes[0]
    # Without the key, a class notebook's letters mean nothing the grader knows: recorded, not scored.
    quiz, notes = QuizSource().quiz_for(LESSON, key.release)
    assert quiz is None and "recorded, not scored" in notes[0]
    assert QuizSource().quiz_for(LESSON, None) == (LESSON.quiz, [])


def test_grader_nbgrader_puts_the_venv_on_path_and_the_key_of_its_course(tmp_path, monkeypatch):
    import os
    import sys
    from pathlib import Path

    from grader.classroom.nbgrader_course import nbgrader_env
    from grader.classroom.release_key import ENV, KEY_NAME

    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    env = nbgrader_env(tmp_path)
    assert env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)  # alembic and the kernel come from the venv
    assert ENV not in env  # no key in this folder
    (tmp_path / KEY_NAME).write_text("{}")
    assert nbgrader_env(tmp_path)[ENV] == str((tmp_path / KEY_NAME).resolve())
    monkeypatch.setenv(ENV, "/elsewhere/key.json")  # one the instructor chose wins
    assert nbgrader_env(tmp_path)[ENV] == "/elsewhere/key.json"
