"""Which questions grade a submission's quiz: the course's, the instructor's private
ones, or a class release's key.

A class notebook (its metadata names a release) is scored only through the
instructor's key: without it its letters mean nothing the grader knows (the
choices were shuffled), so its answers are recorded, not scored. The metadata is
learner-editable, so it never chooses the key; it only makes the grader warn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.classroom.private_questions import Override, graded_quiz
from grader.classroom.release_key import ReleaseKey
from grader.lessons import Lesson
from grader.quiz import Quiz

# How a report says its quiz was only recorded (a class release, scored with the instructor's key).
RECORDED_NOTE = "Quiz answers recorded, not scored"
# How a report says the key scored a notebook that does not say it is from the key's release.
FOREIGN_NOTE = "Quiz scored with the key of release"


@dataclass(frozen=True)
class QuizSource:
    overrides: dict[str, Override] = field(default_factory=dict)
    key: ReleaseKey | None = None

    def quiz_for(self, lesson: Lesson, claimed_release: str | None) -> tuple[Quiz | None, list[str]]:
        """The quiz to score with (None: record only) and notes for the report."""
        if self.key is not None and lesson.id in self.key.quizzes:
            notes = []
            if claimed_release != self.key.release:
                where = f"release {claimed_release}" if claimed_release else "no class release"
                notes.append(
                    f"{FOREIGN_NOTE} {self.key.release}, but this notebook says it is from {where}: "
                    "its letters may mean other choices. Check which notebook this learner was given."
                )
            return self.key.quizzes[lesson.id], notes
        if claimed_release:
            return None, [
                f"{RECORDED_NOTE}: this notebook is from class release {claimed_release}, "
                "whose key the instructor keeps (grader check --release-key FILE)."
            ]
        return graded_quiz(lesson, self.overrides), []
