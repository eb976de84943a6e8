"""No practice question on the site gives a graded answer away.

The practice pool is public (the lesson pages) and explains every choice; the
graded pool is scored. Practice may teach a graded question's concept, but
through another case. Two rules find a practice question that states a graded
fact anyway:

- **Its words**: a phrase of three content words from the graded right answer
  or its explanation that the graded question's prompt and wrong choices do
  not have (so it is what makes the answer right), and that is not the
  course's common vocabulary (in no other graded question),
  appears in what a practice question states: its prompt, its right choice or
  any explanation (a wrong choice's text is a claim the page marks false).
- **Its case**: the practice question asks about the same case and resolves
  it: the words of its prompt, right choice and explanation overlap with the
  graded question's by a Jaccard index of 0.35 or more.

Checked against every practice question of the course, not only the lesson's.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from grader.lessons import all_lessons
from grader.quiz import Choice, Question

LESSONS = all_lessons()
GRADED = [(lesson.slug, q) for lesson in LESSONS for q in lesson.quiz.questions]
PRACTICE = [(lesson.slug, q) for lesson in LESSONS for q in lesson.practice.questions]

WORD = re.compile(r"[a-z0-9_]+")
STOPWORDS = frozenset(
    "a an the and or of to in on at for by with from is are be it its this that as what which does do not no "
    "into than then there their was were will would can right you your s own any other like when if so but "
    "all every each also just".split()
)
PHRASE = 3
SAME_CASE = 0.35


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if w not in STOPWORDS]


def phrases(text: str) -> set[tuple[str, ...]]:
    """Runs of three content words, never across the end of a sentence or of a choice."""
    found = set()
    for part in re.split(r"[.;:!?]\s|\n", text):
        ws = words(part)
        found |= {tuple(ws[i : i + PHRASE]) for i in range(len(ws) - PHRASE + 1)}
    return found


def choice_text(choice: Choice) -> str:
    return f"{choice.text}\n{choice.why}"


def whole(question: Question) -> str:
    return "\n".join([question.prompt, *(choice_text(c) for c in question.choices)])


def stated(question: Question) -> str:
    """What a practice question asserts: its prompt, its right choice and every explanation.

    A wrong choice's text is a claim the page marks false, so it states nothing (its
    explanation does)."""
    return "\n".join([question.prompt, question.choice(question.answer).text, *(c.why for c in question.choices)])


def resolved_case(question: Question) -> set[str]:
    return set(words(f"{question.prompt} {choice_text(question.choice(question.answer))}"))


def answer_phrases(question: Question, graded: list[Question]) -> set[tuple[str, ...]]:
    """The phrases that make the right answer right, without the course's common vocabulary."""
    seen_elsewhere = Counter(p for other in graded if other is not question for p in phrases(whole(other)))
    found = phrases(choice_text(question.choice(question.answer)))
    found -= phrases(question.prompt)
    for choice in question.choices:
        if not choice.correct:
            found -= phrases(choice_text(choice))
    return {p for p in found if not seen_elsewhere[p]}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def give_aways(
    graded: list[tuple[str, Question]], practice: list[tuple[str, Question]], course: list[Question] | None = None
) -> list[str]:
    """What `practice` gives away of `graded`; `course` (all graded questions) sets the common vocabulary."""
    found = []
    questions = course if course is not None else [q for _, q in graded]
    for slug, question in graded:
        key = answer_phrases(question, questions)
        case = resolved_case(question)
        for where, item in practice:
            shared = key & phrases(stated(item))
            if shared:
                said = ", ".join(sorted(" ".join(p) for p in shared))
                found.append(f"{slug} graded {question.number} <- {where} practice {item.number}: says {said!r}")
            overlap = jaccard(case, resolved_case(item))
            if overlap >= SAME_CASE:
                found.append(
                    f"{slug} graded {question.number} <- {where} practice {item.number}: same case ({overlap:.2f})"
                )
    return found


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_no_practice_question_gives_a_graded_answer_away(lesson):
    """The lesson's graded questions against every practice question of the course."""
    graded = [(slug, q) for slug, q in GRADED if slug == lesson.slug]
    assert give_aways(graded, PRACTICE, [q for _, q in GRADED]) == []


# -- the rules catch the give-aways issue 20 found in the old quizzes (texts as they were) ----------------


def q(number: int, prompt: str, choices: list[tuple[str, str]], right: int) -> Question:
    return Question(number, prompt, tuple(Choice("abcd"[i], t, w, i == right) for i, (t, w) in enumerate(choices)))


OLD_GRADED = [
    (
        "01",
        q(
            2,
            'A route is declared with `status_code=204` and its function returns `{"deleted": True}`. What does the client receive?',
            [
                (
                    '204 with the JSON body `{"deleted": true}`',
                    "FastAPI knows a 204 cannot carry a body and drops what the function returned.",
                ),
                (
                    "204 with an empty body: FastAPI drops the returned value",
                    "Right: for a 204 status FastAPI sends no body, so returning a dict there is dead code that misleads readers.",
                ),
                ("500, because a 204 cannot have a body", "Nothing fails: the value is silently dropped."),
                (
                    "200, because a body was returned",
                    "The status comes from the decorator (or the Response), never from what the function returns.",
                ),
            ],
            1,
        ),
    ),
    (
        "02",
        q(
            1,
            "A route declares `response_model=UserOut` (id, username, email) and returns a dict that also holds `hashed_password`. What does the client receive?",
            [
                (
                    "The whole dict, `hashed_password` included: `response_model` only documents the route",
                    "`response_model` is enforced at run time, not just written into the docs.",
                ),
                (
                    "A 500 error, because the dict has a key UserOut does not know",
                    "Extra keys are not an error: Pydantic ignores them when it validates against UserOut.",
                ),
                (
                    "`{id, username, email}`: FastAPI validates the value against UserOut and serialises only UserOut's fields",
                    "Right: `response_model` both validates and strips; the extra key never leaves the server.",
                ),
                (
                    "`{id, username, email, hashed_password: null}`",
                    "Fields that UserOut does not declare are dropped, not nulled.",
                ),
            ],
            2,
        ),
    ),
    (
        "02",
        q(
            6,
            "Which way of writing the list route keeps hashes out of `GET /users`?",
            [
                (
                    "`response_model=UserOut`: FastAPI applies it to each item of a list automatically",
                    "A list is not a UserOut: validation fails with a 500. Say `list[UserOut]`.",
                ),
                (
                    "`response_model=list[UserOut]` (or the annotation `-> list[UserOut]`)",
                    "Right: the filter applies to every item of the list.",
                ),
                (
                    "Nothing: the item route already has `response_model=UserOut`",
                    "Each route has its own response model; a list route without one sends the raw records.",
                ),
                ("`-> list` as the return annotation", "A bare `list` has no item model, so nothing is filtered."),
            ],
            1,
        ),
    ),
    (
        "03",
        q(
            1,
            'A client sends `{"username": "ada", "email": "a@x.io"}` to a route with body `profile: Profile`. In Pydantic 2, which fields of `profile` are *set* (in `profile.model_fields_set`)?',
            [
                (
                    "All five: every field has a value after validation",
                    "Having a value is not the same as being set: `bio`, `theme` and `newsletter` only hold their defaults.",
                ),
                (
                    "`username`, `email` and `bio`, because `bio` defaults to `None`",
                    "A default of `None` is still a default; `bio` was not given, so it is unset.",
                ),
                (
                    "None of them: only `model_copy` marks fields as set",
                    "Validation records exactly which fields were given.",
                ),
                (
                    "`username` and `email`: a field is set only when it was given",
                    "Right: fields filled from their defaults are unset.",
                ),
            ],
            3,
        ),
    ),
]
OLD_PRACTICE = [
    (
        "01",
        q(
            5,
            "A delete route has `status_code=204`. What should its function return?",
            [
                ("`None` (or nothing at all)", "Right: the 204 status says it all, and the code says what is sent."),
                (
                    '`{"deleted": True}`, so the client knows it worked',
                    "For a 204 FastAPI drops the returned value, so this dict is dead code that misleads readers.",
                ),
                ('`"deleted"`', "Dropped too: a 204 has no body; the status itself says it worked."),
                (
                    "`Response(status_code=200)`",
                    "A returned `Response` is sent as it is: that answers 200, whatever the decorator says.",
                ),
            ],
            0,
        ),
    ),
    (
        "02",
        q(
            1,
            "A route declares `response_model=UserOut` (id, username, email) and returns a Pydantic `UserInDB` *instance* that also holds `hashed_password`. What does the client get?",
            [
                (
                    "Every field of the `UserInDB` instance: it is already a model, so FastAPI sends it as it is",
                    "FastAPI converts what you return to the response model, model instances included; that is the point of `response_model`.",
                ),
                (
                    "Only `id`, `username` and `email`: the value is converted to `UserOut`",
                    "Right: the returned model is turned into the response model, which keeps only its own fields.",
                ),
                (
                    "A 500, because a `UserInDB` is not a `UserOut`",
                    "FastAPI reads the instance's fields and builds a `UserOut` from them; extra fields are simply left out.",
                ),
                (
                    "Everything except `hashed_password`, because FastAPI hides fields named like secrets",
                    "FastAPI knows nothing about secrets; it keeps exactly the fields of the response model.",
                ),
            ],
            1,
        ),
    ),
    (
        "02",
        q(
            2,
            "`GET /users` declares `response_model=list[UserOut]` and returns a list of stored dicts that hold hashes. What happens?",
            [
                (
                    "Every item is validated and filtered to `UserOut`'s fields",
                    "Right: `list[UserOut]` applies the model to each element.",
                ),
                (
                    "Only the outer list is checked; the items go out as they are",
                    "The item type is part of the model: each item is converted to `UserOut`.",
                ),
                ("Only the first item is filtered", "Every item is; a list model is applied element by element."),
                (
                    "FastAPI refuses to start: a response model must be a class",
                    "Any type Pydantic understands works, `list[UserOut]` included.",
                ),
            ],
            0,
        ),
    ),
    (
        "03",
        q(
            1,
            'What does `Profile(username="ada", email="a@x.io").model_dump(exclude_unset=True)` return?',
            [
                (
                    "All six fields, with the defaults filled in",
                    "That is `model_dump()` without options; `exclude_unset` leaves out the fields nobody gave.",
                ),
                ("`{}`, because no field was changed after creation", "Fields given to the constructor are set."),
                (
                    "An error: `exclude_unset` needs a model built from JSON",
                    "Set fields are tracked however the model was built.",
                ),
                (
                    '`{"username": "ada", "email": "a@x.io"}`',
                    "Right: only the fields given explicitly are set; the defaults are not.",
                ),
            ],
            3,
        ),
    ),
]


@pytest.mark.parametrize(
    ("graded", "practice"),
    [
        ("01 graded 2", "01 practice 5"),
        ("02 graded 1", "02 practice 1"),
        ("02 graded 6", "02 practice 2"),
        ("03 graded 1", "03 practice 1"),
    ],
)
def test_the_rules_catch_the_old_give_aways(graded, practice):
    found = give_aways(OLD_GRADED, OLD_PRACTICE)
    assert any(f.startswith(f"{graded} <- {practice}:") for f in found), found


def test_another_case_of_the_same_concept_passes():
    """02 graded 6 is about a list route; a practice question on a dict of users teaches the same idea."""
    other_case = q(
        9,
        "`GET /teams` returns `{team: [stored records]}` and is annotated `-> dict[str, list[UserOut]]`. Are the hashes sent?",
        [
            (
                "No: the value type is validated, so every record in every team is filtered",
                "The annotation reaches inside the dict and each list.",
            ),
            ("Yes: a `dict` return type is never validated", "Only a bare `dict` checks nothing inside."),
            ("Only the first team is filtered", "Every value of the dict is checked."),
            ("FastAPI refuses the annotation at startup", "Any type Pydantic understands works."),
        ],
        0,
    )
    assert give_aways(OLD_GRADED, [("02", other_case)]) == []
