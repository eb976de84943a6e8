"""A class release's key: the graded questions exactly as one release shows them.

`grader release` shuffles each question's choices for its class and writes the
key, a JSON file the instructor keeps (never handed out). It holds every
released question with its choices in the release's order, each marked with
the letter it had where it was written (`origin`), and which one is right.
The grader scores a class notebook's letters through this key alone: the
notebook's own metadata names its release, but a learner can edit that, so it
only decides whether to warn, never what a letter means.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import string
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from grader.quiz import Choice, Question, Quiz

KEY_NAME = "grader-release-key.json"
ENV = "GRADER_RELEASE_KEY"
FORMAT = 1


class ReleaseKeyError(ValueError):
    pass


@dataclass(frozen=True)
class ReleaseKey:
    release: str  # a random id, also written into each released notebook's metadata
    quizzes: dict[str, Quiz]  # lesson id -> the questions as released

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "release": self.release,
            "lessons": {
                lesson_id: [
                    {
                        "prompt": q.prompt,
                        "choices": [
                            {"key": c.key, "origin": c.origin, "text": c.text, "why": c.why, "correct": c.correct}
                            for c in q.choices
                        ],
                    }
                    for q in quiz.questions
                ]
                for lesson_id, quiz in self.quizzes.items()
            },
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n")
        os.chmod(path, 0o600)  # the answers: the instructor's eyes only


def shuffle_quiz(quiz: Quiz, rng: random.Random) -> Quiz:
    """Each question's choices in a new order, right answers spread evenly over the letters."""
    used: Counter = Counter()
    questions = []
    for question in quiz.questions:
        letters = string.ascii_lowercase[: len(question.choices)]
        fewest = min(used[letter] for letter in letters)
        target = rng.choice([letter for letter in letters if used[letter] == fewest])
        used[target] += 1
        right = next(c for c in question.choices if c.correct)
        others = [c for c in question.choices if not c.correct]
        rng.shuffle(others)
        others.insert(letters.index(target), right)
        choices = tuple(
            Choice(key=letters[i], text=c.text, why=c.why, correct=c.correct, origin=c.origin or c.key)
            for i, c in enumerate(others)
        )
        questions.append(Question(question.number, question.prompt, choices))
    return Quiz(tuple(questions))


def make_key(quizzes: dict[str, Quiz], seed: int | None = None) -> ReleaseKey:
    """A new release of these quizzes; `seed` makes the order reproducible (the id stays random)."""
    rng = random.Random(seed if seed is not None else secrets.randbits(64))
    return ReleaseKey(
        release=secrets.token_hex(8),
        quizzes={lesson_id: shuffle_quiz(quiz, rng) for lesson_id, quiz in quizzes.items()},
    )


def load_key(path: Path | str) -> ReleaseKey:
    """Read a key, checking its shape: a damaged key is a clear error, never a wrong grade."""
    path = Path(path).expanduser()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or not isinstance(data.get("release"), str):
            raise ValueError("not a grader release key")
        quizzes = {}
        for lesson_id, raw_questions in data["lessons"].items():
            questions = []
            for number, raw in enumerate(raw_questions, start=1):
                choices = tuple(
                    Choice(
                        key=str(c["key"]),
                        text=str(c["text"]),
                        why=str(c["why"]),
                        correct=c["correct"] is True,
                        origin=str(c.get("origin", "")),
                    )
                    for c in raw["choices"]
                )
                if sum(c.correct for c in choices) != 1:
                    raise ValueError(f"{lesson_id} question {number} needs exactly one right choice")
                questions.append(Question(number, str(raw["prompt"]), choices))
            quizzes[str(lesson_id)] = Quiz(tuple(questions))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ReleaseKeyError(f"{path}: cannot read the release key ({exc})") from None
    return ReleaseKey(data["release"], quizzes)


COURSE_MARK = "nbgrader_config.py"  # an nbgrader course's root: the search for a key stops there


def course_key(path: Path) -> Path | None:
    """The release key of the course `path` is in: the first folder from `path` up that holds one,
    stopping at an nbgrader course's root. `grader batch .`, `grader batch submitted/` and
    `grader batch submitted/alice/01-status-codes/` find the same key."""
    here = Path(path).expanduser().absolute()
    for folder in (here, *here.parents) if here.is_dir() else here.parents:
        if (folder / KEY_NAME).is_file():
            return folder / KEY_NAME
        if (folder / COURSE_MARK).is_file():
            return None
    return None


def key_from(option: Path | None, *paths: Path) -> ReleaseKey | None:
    """The key from the option (or its environment variable), else the one of the course the paths are in.

    Paths in courses with different keys are refused: one batch is graded with one key."""
    if option is not None:
        return load_key(option)
    found = {key.resolve() for key in map(course_key, paths) if key is not None}
    if len(found) > 1:
        raise ReleaseKeyError(
            f"the paths are in courses with different release keys ({', '.join(sorted(map(str, found)))}): "
            "grade each course in its own batch, or pass --release-key"
        )
    return load_key(found.pop()) if found else None
