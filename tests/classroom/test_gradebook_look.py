"""The gradebook keeps why a submission needs a look, and a gradebook made before that still opens."""

from __future__ import annotations

import sqlite3

from grader.classroom.gradebook import GRADED, Gradebook, Outcome

OLD_SCHEMA = """CREATE TABLE grader_results (
    id INTEGER NOT NULL PRIMARY KEY, student VARCHAR(200) NOT NULL, source VARCHAR(1000) NOT NULL,
    digest VARCHAR(64) NOT NULL, lesson_id VARCHAR(100), status VARCHAR(20) NOT NULL, reason TEXT NOT NULL,
    exercise_score INTEGER NOT NULL, exercise_max INTEGER NOT NULL, quiz_score INTEGER NOT NULL,
    quiz_max INTEGER NOT NULL, seed INTEGER, report TEXT, graded_at DATETIME NOT NULL,
    CONSTRAINT uq_grader_results_student_source UNIQUE (student, source))"""


def outcome(student: str, look: list[str]) -> Outcome:
    return Outcome(student, f"/c/{student}.py", "d" * 64, GRADED, "status-codes", look=look)


def test_an_older_gradebook_gets_the_column_and_keeps_its_rows(tmp_path):
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as connection:
        connection.execute(OLD_SCHEMA)
        connection.execute(
            "INSERT INTO grader_results VALUES (1, 'ann', '/c/ann.py', '', 'status-codes', 'graded', '', 3, 5, 1, 8,"
            " 1, NULL, '2026-01-01 00:00:00')"
        )
    with Gradebook(str(db)) as gradebook:
        old = gradebook.results()
        assert [(r.student, r.score, r.look_reasons) for r in old] == [("ann", 4, None)]
        gradebook.record(outcome("bob", ["looks untouched: no route defined, no quiz answer right", "<b>x</b>\x00"]))
    with Gradebook(str(db)) as again:  # opening twice adds nothing twice
        rows = {r.student: r for r in again.results()}
    assert rows["bob"].look_reasons == ["looks untouched: no route defined, no quiz answer right", "<b>x</b>\\x00"]
    assert rows["ann"].look_reasons is None


def test_an_empty_look_is_kept_as_empty(tmp_path):
    with Gradebook(str(tmp_path / "new.db")) as gradebook:
        gradebook.record(outcome("cy", []))
        assert gradebook.results()[0].look_reasons == []
