"""Quiz answers are read from source text without running it, and scored with explanations."""

from grader.lessons import all_lessons
from grader.quiz import normalise_answer, read_answers, score_quiz


def test_reads_dict_then_item_and_update_statements_in_order():
    code = 'QUIZ_ANSWERS = {1: None, 2: "a"}\nQUIZ_ANSWERS[1] = "B"\nQUIZ_ANSWERS.update({3: "c)"})\nQUIZ_ANSWERS[2] = "d"\n'
    answers, notes = read_answers(code)
    assert answers == {1: "B", 2: "d", 3: "c)"}
    assert notes == []


def test_non_literal_answers_are_noted_not_run():
    answers, notes = read_answers('import os\nQUIZ_ANSWERS = {1: os.getenv("X")}\n')
    assert answers == {}
    assert "Line 2" in notes[0]


def test_broken_code_gives_no_answers():
    assert read_answers("QUIZ_ANSWERS = {1: 'a'")[0] == {}


def test_normalise_accepts_common_spellings_only():
    assert [normalise_answer(v) for v in ("b", " B ", "b)", "b.", "bb", "", None, 2)] == ["b", "b", "b", "b", None, None, None, None]


def test_scores_and_explains_wrong_and_missing_answers():
    quiz = all_lessons()[0].quiz
    first = quiz.questions[0]
    wrong = next(c for c in first.choices if not c.correct)
    result = score_quiz(quiz, {1: wrong.key, "2": quiz.questions[1].answer, 3: "z"})
    by_number = {q.number: q for q in result.questions}
    assert by_number[1].correct is False and by_number[1].explanation == wrong.why
    assert by_number[2].correct is True
    assert "no choice" in by_number[3].explanation
    assert by_number[4].explanation == "No answer yet."
    assert result.score == 1 and result.max_score == len(quiz.questions)
