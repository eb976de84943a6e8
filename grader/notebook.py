"""The old name of `grader.kernel_checks`: notebooks built before the rename import from here."""

from grader.kernel_checks import exercise_points, quiz_points

__all__ = ["exercise_points", "quiz_points"]
