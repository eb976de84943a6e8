"""Exports from a gradebook of really graded submissions, each checked against its published format."""

from __future__ import annotations

import csv
import io
import json
import re

import jsonschema
import pytest
from typer.testing import CliRunner

from classroom import formats, variants
from grader.classroom import exports
from grader.classroom.batch import Job, grade_one
from grader.classroom.gradebook import Gradebook
from grader.cli import app
from grader.lessons import all_lessons

LESSONS = all_lessons()
FIRST = LESSONS[0]


def lesson_max(lesson) -> int:
    return lesson.exercise_points + lesson.quiz.max_score


ALL_MAX = sum(lesson_max(lesson) for lesson in LESSONS)


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    release = variants.read(variants.exercise_path(FIRST))
    solution = variants.read(variants.solution_path(FIRST))
    jobs = [Job("ann", variants.solution_path(lesson)) for lesson in LESSONS]
    jobs.append(Job("ben", variants.write(release, folder / f"ben-{FIRST.slug}.ipynb")))
    jobs.append(Job("cat", variants.write(variants.wrong(release, solution, FIRST), folder / f"cat-{FIRST.slug}.ipynb")))
    (folder / "dan.ipynb").write_text("not json")
    jobs.append(Job("dan", folder / "dan.ipynb"))
    (folder / f"eve-{FIRST.slug}.py").write_text("import os\nos._exit(1)\n")
    jobs.append(Job("eve", folder / f"eve-{FIRST.slug}.py"))
    (folder / f"fay-{FIRST.slug}.py").write_bytes(b"\xff\xfe")
    jobs.append(Job("fay", folder / f"fay-{FIRST.slug}.py"))
    book = Gradebook(str(folder / "gradebook.db"))
    for job in jobs:
        book.record(grade_one(job))
    yield book
    book.close()


@pytest.fixture(scope="module")
def learners(gradebook):
    return {learner.student: learner for learner in exports.learners(gradebook)}


@pytest.fixture(scope="module")
def csv_rows(learners):
    text = exports.to_csv(list(learners.values()), LESSONS)
    return list(csv.reader(io.StringIO(text)))


# -- CSV -----------------------------------------------------------------------------------------


def test_csv_has_a_column_pair_per_lesson_and_a_total(csv_rows):
    header = csv_rows[0]
    expected = ["student"]
    for lesson in LESSONS:
        expected += [f"{lesson.slug} exercise", f"{lesson.slug} quiz"]
    assert header == expected + ["total"]
    assert all(len(row) == len(header) for row in csv_rows)


def test_csv_first_row_gives_each_columns_maximum(csv_rows):
    """Canvas's own convention: a `Points Possible` row under the header (its import skips it)."""
    expected = ["Points Possible"]
    for lesson in LESSONS:
        expected += [str(lesson.exercise_points), str(lesson.quiz.max_score)]
    assert csv_rows[1] == expected + [str(ALL_MAX)]
    learners = csv_rows[2:]
    for column in range(1, len(expected) + 1):
        assert all(int(row[column]) <= int(csv_rows[1][column]) for row in learners if row[column] != "")


def test_csv_has_one_row_per_learner_and_totals_add_up(csv_rows):
    rows = {row[0]: row for row in csv_rows[2:]}
    assert sorted(rows) == ["ann", "ben", "cat", "dan", "eve", "fay"] and len(csv_rows) == 8
    for row in rows.values():
        points = [int(cell) for cell in row[1:-1] if cell != ""]
        assert int(row[-1]) == sum(points)


def test_csv_values(csv_rows, gradebook):
    rows = {row[0]: row for row in csv_rows[2:]}
    ann = rows["ann"]
    for i, lesson in enumerate(LESSONS):
        assert ann[1 + 2 * i : 3 + 2 * i] == [str(lesson.exercise_points), str(lesson.quiz.max_score)]
    assert ann[-1] == str(ALL_MAX)
    blank_rest = ["", ""] * (len(LESSONS) - 1)
    assert rows["ben"][1:] == ["0", "0", *blank_rest, "0"]
    cat = next(r for r in gradebook.results() if r.student == "cat")
    assert rows["cat"][1:] == [str(cat.exercise_score), str(cat.quiz_score), *blank_rest, str(cat.score)]
    assert 0 < cat.score < lesson_max(FIRST)
    assert rows["dan"][1:] == ["", ""] * len(LESSONS) + ["0"]  # lesson unknown: nothing to place
    assert rows["eve"][1:3] == ["0", "0"]  # crashed while loading: graded, nothing earned
    assert rows["fay"][1:3] == ["0", "0"]  # unreadable, but its name says which lesson


# -- Gradescope ---------------------------------------------------------------------------------


def test_gradescope_results_follow_the_spec(learners, csv_rows):
    totals = {row[0]: int(row[-1]) for row in csv_rows[2:]}
    for student, learner in learners.items():
        result = json.loads(json.dumps(exports.gradescope_results(learner)))
        jsonschema.validate(result, formats.GRADESCOPE)
        assert result["score"] == sum(t["score"] for t in result["tests"]) == totals[student]
        assert sum(t["max_score"] for t in result["tests"]) == ALL_MAX
        for test in result["tests"]:
            assert 0 <= test["score"] <= test["max_score"]
            assert (test["status"] == "passed") == (test["score"] == test["max_score"] > 0)


def test_gradescope_tests_follow_the_lessons_and_checks_in_order(learners):
    names = [t["name"] for t in exports.gradescope_results(learners["ann"])["tests"]]
    expected = []
    for lesson in LESSONS:
        expected += [f"{lesson.slug}: {check.title}" for check in lesson.checks]
        expected += [f"{lesson.slug}: quiz question {q.number}" for q in lesson.quiz.questions]
    assert names == expected
    numbers = [t["number"] for t in exports.gradescope_results(learners["ann"])["tests"]]
    assert len(set(numbers)) == len(numbers)


def test_gradescope_output_explains_failures(learners):
    cat = exports.gradescope_results(learners["cat"])
    failed = [t for t in cat["tests"] if t["status"] == "failed" and t["name"].startswith(FIRST.slug)]
    assert failed and all(t["output"] for t in failed)
    dan = exports.gradescope_results(learners["dan"])
    assert "dan.ipynb" in dan["output"] and "invalid JSON" in dan["output"]


# -- Exercism v3 / GitHub Classroom ----------------------------------------------------------------


def test_exercism_results_follow_the_v3_spec_and_github_classroom(learners, csv_rows):
    totals = {row[0]: int(row[-1]) for row in csv_rows[2:]}
    for student, learner in learners.items():
        result = json.loads(json.dumps(exports.exercism_results(learner)))
        jsonschema.validate(result, formats.EXERCISM_V3)
        jsonschema.validate(result, formats.GITHUB_CLASSROOM)
        assert result["max_score"] == ALL_MAX
        assert sum(t["score"] for t in result["tests"]) == totals[student]
        statuses = {t["status"] for t in result["tests"]}
        assert (result["status"] == "pass") == (statuses == {"pass"})
        assert {t["task_id"] for t in result["tests"]} <= {lesson.number for lesson in LESSONS}


def test_exercism_statuses(learners, gradebook):
    assert exports.exercism_results(learners["ann"])["status"] == "pass"
    assert exports.exercism_results(learners["ann"])["message"] is None
    assert exports.exercism_results(learners["ben"])["status"] == "fail"
    eve = exports.exercism_results(learners["eve"])
    first = [t for t in eve["tests"] if t["task_id"] == FIRST.number]
    checks = first[: len(FIRST.checks)]
    assert {t["status"] for t in checks} == {"error"}  # no check could run: the code crashed while loading
    assert all("could not be loaded" in t["message"] for t in checks)

    # One lesson, unusable: no test ran at all, so the whole result is an error with a message.
    fay = {learner.student: learner for learner in exports.learners(gradebook, [FIRST.id])}["fay"]
    result = exports.exercism_results(fay)
    jsonschema.validate(result, formats.EXERCISM_V3)
    assert result["status"] == "error" and "not UTF-8" in result["message"]


def test_known_bad_documents_fail_the_schemas():
    """The schemas catch what they exist for (so a passing validation means something)."""
    bad_gradescope = [
        {"tests": [{"score": "2", "max_score": 2}]},
        {"score": 1, "visibility": "sometimes"},
        {"score": 1, "tests": [{"score": 1, "status": "pass"}]},
        {"score": 1, "scores": []},
    ]
    for doc in bad_gradescope:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(doc, formats.GRADESCOPE)
    bad_exercism = [
        {"version": 2, "status": "pass", "tests": []},
        {"version": 3, "status": "passed", "tests": []},
        {"version": 3, "status": "error", "tests": []},
        {"version": 3, "status": "fail", "message": "x", "tests": []},
        {"version": 3, "status": "fail", "tests": [{"name": "t", "status": "failed"}]},
        {"version": 3, "status": "fail", "tests": [{"name": "t", "status": "fail", "task_id": "1"}]},
        {"version": 3, "status": "fail", "tests": [{"name": "t", "status": "fail", "output": "x" * 501}]},
    ]
    for doc in bad_exercism:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(doc, formats.EXERCISM_V3)


# -- the command ------------------------------------------------------------------------------------


def test_export_command_writes_each_format(gradebook, tmp_path):
    db = gradebook.url
    runner = CliRunner()
    done = runner.invoke(app, ["export", "csv", "--db", db, "--out", str(tmp_path / "grades.csv")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "grades.csv").read_text() == exports.to_csv(exports.learners(gradebook), LESSONS)

    for fmt, schema in (("gradescope", formats.GRADESCOPE), ("exercism", formats.EXERCISM_V3)):
        done = runner.invoke(app, ["export", fmt, "--db", db, "--out", str(tmp_path / fmt)])
        assert done.exit_code == 0, done.output
        files = sorted((tmp_path / fmt).glob("*/results.json"))
        assert [f.parent.name for f in files] == ["ann", "ben", "cat", "dan", "eve", "fay"]
        for file in files:
            jsonschema.validate(json.loads(file.read_text()), schema)

    done = runner.invoke(app, ["export", "exercism", "--db", db, "--student", "ann", "--lesson", FIRST.slug])
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert result["status"] == "pass" and result["max_score"] == lesson_max(FIRST)

    done = runner.invoke(app, ["export", "--db", db, "gradescope"])
    assert done.exit_code == 2 and "--out" in done.output
    done = runner.invoke(app, ["export", "xml", "--db", db])
    assert done.exit_code == 2
    done = runner.invoke(app, ["export", "csv", "--db", str(tmp_path / "missing.db")])
    assert done.exit_code == 2 and "grader batch" in done.output


def test_feedback_links_point_at_the_docs_url_set_at_export_time(gradebook, tmp_path, monkeypatch):
    """Graded with the default (127.0.0.1) site; exported for learners, who open the published one."""
    cat = next(r for r in gradebook.results() if r.student == "cat")
    stored = [c["docs_url"] for c in cat.report_json["exercise"]["checks"] if not c["passed"]]
    assert stored and all(url.startswith("http://127.0.0.1:8000/lessons/") for url in stored)
    runner = CliRunner()

    def links(*args: str, env: dict | None = None) -> tuple[list[str], str]:
        done = runner.invoke(app, ["export", "gradescope", "--db", gradebook.url, "--student", "cat", *args], env=env)
        assert done.exit_code == 0, done.output
        outputs = " ".join(t["output"] for t in json.loads(done.stdout)["tests"])
        return re.findall(r"Read: (\S+)", outputs), "".join(line for line in done.stderr.splitlines(True) if "warning" in line)

    found, warning = links("--docs-url", "https://course.example.org/fastapi")
    assert found and not warning
    anchors = [url.split("#")[1] for url in stored if "#" in url]
    assert all(url.startswith(f"https://course.example.org/fastapi/lessons/{FIRST.slug}/") for url in found)
    assert sorted(url.split("#")[1] for url in found if "#" in url) == sorted(anchors)

    found, warning = links(env={"GRADER_DOCS_URL": "https://env.example.org/"})
    assert found and all(url.startswith("https://env.example.org/lessons/") for url in found) and not warning

    monkeypatch.delenv("GRADER_DOCS_URL", raising=False)
    found, warning = links()
    assert all(url.startswith("http://127.0.0.1:8000/") for url in found)
    assert "learners cannot open" in warning and "--docs-url" in warning


def test_student_ids_cannot_escape_the_export_folder():
    assert exports.safe_name("../../etc").startswith("_.._etc-")
    assert exports.safe_name("..").startswith("_-")
    assert "/" not in exports.safe_name("a/b")
    assert exports.safe_name("ann") == "ann"  # an id that is already a good name is kept as it is


def test_export_folders_are_unique_per_student():
    students = ["a/b", "a_b", "a:b", "Ann", "ann", "..", "_"]
    folders = exports.folder_names(students)
    assert len({name.casefold() for name in folders.values()}) == len(students)
    assert folders["a_b"] == "a_b" and folders["_"] == "_"
