"""`grader batch`: finding submissions, one commit per result, reruns that skip what is done."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from classroom import variants
from grader.classroom.batch import Job, discover, run_batch, split_stem
from grader.classroom.gradebook import ERROR, GRADED, Gradebook, Outcome
from grader.lessons import all_lessons

LESSONS = all_lessons()
FIRST = LESSONS[0]


def touch(path: Path, text: str = "x = 1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# -- finding submissions -------------------------------------------------------------------


def test_folder_students_come_from_subfolders_or_file_names(tmp_path):
    touch(tmp_path / "alice.ipynb")
    touch(tmp_path / f"bob-{FIRST.slug}.py")
    touch(tmp_path / f"{FIRST.id}_carol.py")
    touch(tmp_path / "dave" / f"{FIRST.slug}.ipynb")
    touch(tmp_path / "dave" / "extra" / "notes.py")
    touch(tmp_path / "dave" / ".ipynb_checkpoints" / f"{FIRST.slug}-checkpoint.ipynb")
    touch(tmp_path / "readme.md")
    jobs, unmatched = discover([tmp_path])
    assert unmatched == []
    found = {job.path.relative_to(tmp_path).as_posix(): job.student for job in jobs}
    assert found == {
        "alice.ipynb": "alice",
        f"bob-{FIRST.slug}.py": "bob",
        f"{FIRST.id}_carol.py": "carol",
        f"dave/{FIRST.slug}.ipynb": "dave",
        "dave/extra/notes.py": "dave",
    }
    assert all(job.lesson_id is None for job in jobs)


def test_globs_and_files_name_the_student_by_file_or_folder(tmp_path):
    touch(tmp_path / "subs" / "erin" / f"{FIRST.slug}.ipynb")
    touch(tmp_path / "subs" / "fred" / f"{FIRST.slug}.ipynb")
    touch(tmp_path / "subs" / "fred" / "scratch.txt")
    single = touch(tmp_path / f"gina-{FIRST.slug}.py")
    jobs, unmatched = discover([str(tmp_path / "subs" / "*" / "*"), single, tmp_path / "nothing-*.py"])
    assert sorted(job.student for job in jobs) == ["erin", "fred", "gina"]
    assert unmatched == [str(tmp_path / "nothing-*.py")]


def test_the_same_file_twice_is_one_job(tmp_path):
    path = touch(tmp_path / "alice.py")
    jobs, _ = discover([path, tmp_path, str(tmp_path / "*.py")])
    assert len(jobs) == 1


@pytest.mark.parametrize("given", ["course", "submitted"])
def test_nbgrader_tree_gives_student_ids_and_the_assignment_lesson(tmp_path, given):
    course = tmp_path / "course"
    touch(course / "nbgrader_config.py", "c = get_config()\n")
    for student in ("s001", "s002"):
        touch(course / "submitted" / student / FIRST.slug / f"{FIRST.slug}.ipynb")
        touch(course / "submitted" / student / FIRST.slug / "timestamp.txt", "2026-01-01 00:00:00")
    touch(course / "submitted" / "s002" / "unknown-assignment" / "whatever.ipynb")
    touch(course / "source" / FIRST.slug / f"{FIRST.slug}.ipynb")  # the instructor's copy: not a submission
    jobs, _ = discover([course if given == "course" else course / "submitted"])
    assert sorted((job.student, job.lesson_id or "", job.path.name) for job in jobs) == [
        ("s001", FIRST.id, f"{FIRST.slug}.ipynb"),
        ("s002", "", "whatever.ipynb"),
        ("s002", FIRST.id, f"{FIRST.slug}.ipynb"),
    ]


def test_forced_lesson_applies_to_every_job(tmp_path):
    touch(tmp_path / "alice.py")
    jobs, _ = discover([tmp_path], lesson_id=FIRST.id)
    assert [job.lesson_id for job in jobs] == [FIRST.id]


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_lesson_names_are_split_from_student_names(lesson):
    names = {}
    for item in LESSONS:
        names[item.slug] = names[item.id] = item
    assert split_stem(f"ann-{lesson.slug}", names) == ("ann", lesson)
    assert split_stem(f"{lesson.id}.ann", names) == ("ann", lesson)
    assert split_stem("ann", names) == ("ann", None)
    assert split_stem(lesson.slug, names) == ("", lesson)


# -- the loop: commits, reruns, failures -------------------------------------------------------


def fake_outcome(job: Job, status: str = GRADED, score: int = 1) -> Outcome:
    from grader.classroom.batch import file_digest

    return Outcome(job.student, job.source, file_digest(job.path), status, lesson_id=FIRST.id, exercise_score=score, exercise_max=2)


def test_each_result_is_committed_before_the_next_is_graded(tmp_path):
    for name in ("a", "b", "c"):
        touch(tmp_path / "subs" / f"{name}.py", f"# {name}\n")
    jobs, _ = discover([tmp_path / "subs"])
    db = tmp_path / "gb.db"
    seen_in_db = []

    def grade(job, limits, seed):
        # A separate connection sees what earlier results committed.
        with Gradebook(str(db)) as reader:
            seen_in_db.append(len(reader.results()))
        return fake_outcome(job)

    with Gradebook(str(db)) as book:
        summary = run_batch(jobs, book, workers=1, grade=grade)
    assert seen_in_db == [0, 1, 2]
    assert summary.counts[GRADED] == 3


def test_rerun_skips_done_regrades_changed_and_regrade_forces(tmp_path):
    paths = [touch(tmp_path / "subs" / f"{name}.py", f"# {name}\n") for name in ("a", "b", "c")]
    calls = []

    def grade(job, limits, seed):
        calls.append(job.student)
        return fake_outcome(job)

    with Gradebook(str(tmp_path / "gb.db")) as book:
        jobs, _ = discover([tmp_path / "subs"])
        assert run_batch(jobs, book, grade=grade).skipped == 0
        assert sorted(calls) == ["a", "b", "c"]

        calls.clear()
        summary = run_batch(jobs, book, grade=grade)
        assert (summary.skipped, calls) == (3, [])

        paths[1].write_text("# b, second try\n")
        summary = run_batch(jobs, book, grade=grade)
        assert (summary.skipped, calls) == (2, ["b"])

        calls.clear()
        summary = run_batch(jobs, book, regrade=True, grade=grade)
        assert (summary.skipped, sorted(calls)) == (0, ["a", "b", "c"])
        assert len(book.results()) == 3  # replaced, not duplicated


def test_a_grader_that_raises_is_recorded_and_the_batch_goes_on(tmp_path):
    for name in ("a", "b", "c"):
        touch(tmp_path / "subs" / f"{name}.py")
    jobs, _ = discover([tmp_path / "subs"])

    def grade(job, limits, seed):
        if job.student == "b":
            raise RuntimeError("boom")
        return fake_outcome(job)

    with Gradebook(str(tmp_path / "gb.db")) as book:
        summary = run_batch(jobs, book, workers=2, grade=grade)
        rows = {row.student: row for row in book.results()}
    assert summary.counts == {GRADED: 2, ERROR: 1}
    assert rows["b"].status == ERROR and "boom" in rows["b"].reason


def test_jobs_run_in_parallel_up_to_the_limit(tmp_path):
    for name in "abcdef":
        touch(tmp_path / "subs" / f"{name}.py", f"# {name}\n")
    jobs, _ = discover([tmp_path / "subs"])
    lock = threading.Lock()
    state = {"now": 0, "most": 0}
    both_running = threading.Barrier(2, timeout=60)

    def grade(job, limits, seed):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        both_running.wait()  # proves two run at once; would break (timeout) if they never overlapped
        with lock:
            state["now"] -= 1
        return fake_outcome(job)

    with Gradebook(str(tmp_path / "gb.db")) as book:
        summary = run_batch(jobs, book, workers=2, grade=grade)
    assert state["most"] == 2
    assert summary.counts[GRADED] == 6


def test_real_grading_of_each_lesson_solution_in_process(tmp_path):
    for lesson in LESSONS:
        target = tmp_path / "subs" / "ann" / f"{lesson.slug}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(variants.solution_path(lesson).read_bytes())
    jobs, _ = discover([tmp_path / "subs"])
    with Gradebook(str(tmp_path / "gb.db")) as book:
        summary = run_batch(jobs, book, workers=2)
        rows = {row.lesson_id: row for row in book.results()}
    assert summary.counts == {GRADED: len(LESSONS)}
    for lesson in LESSONS:
        row = rows[lesson.id]
        assert row.score == row.max_score == lesson.exercise_points + lesson.quiz.max_score
        assert row.report_json["lesson"] == lesson.id


def test_gradebook_urls(tmp_path, monkeypatch):
    from grader.classroom.gradebook import database_url

    monkeypatch.chdir(tmp_path)
    assert database_url(None) == f"sqlite:///{tmp_path / 'gradebook.db'}"
    assert database_url("class.db") == f"sqlite:///{tmp_path / 'class.db'}"
    assert database_url("postgresql://u:p@127.0.0.1/c") == "postgresql+psycopg://u:p@127.0.0.1/c"
    assert database_url("postgres://u:p@127.0.0.1/c") == "postgresql+psycopg://u:p@127.0.0.1/c"
    assert database_url("postgresql+psycopg://u@127.0.0.1/c") == "postgresql+psycopg://u@127.0.0.1/c"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_batch_command_summary_lists_bad_submissions_with_reasons(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from grader.cli import app

    monkeypatch.chdir(tmp_path)
    touch(tmp_path / "subs" / "ann.ipynb", "{ not json")
    (tmp_path / "subs" / f"bob-{FIRST.slug}.py").write_bytes(b"\xff\xfe")
    runner = CliRunner()
    done = runner.invoke(app, ["batch", "subs", "--jobs", "2"])
    assert done.exit_code == 0, done.output
    assert "Submissions that need a look" in done.output
    assert "invalid JSON" in done.output and "not UTF-8" in done.output
    assert (tmp_path / "gradebook.db").exists()  # the default gradebook, in the working folder

    again = runner.invoke(app, ["batch", "subs"])
    assert again.exit_code == 0 and "Skipping 2 already in the gradebook" in again.output

    assert runner.invoke(app, ["batch", "nothing-here"]).exit_code == 2
    assert runner.invoke(app, ["batch", "subs", "--lesson", "no-such-lesson"]).exit_code == 2


def test_a_gradebook_created_by_two_graders_at_once_opens_for_both(tmp_path):
    """The race, set up every time: the other grader's CREATE TABLE lands between this one's look and its own."""
    from sqlalchemy import create_engine, event

    from grader.classroom.gradebook import Base, Result

    db = tmp_path / "gradebook.db"
    results = Result.__table__

    fired = []

    def other_grader_creates_it_first(target, connection, **kw):
        if fired:  # the other grader's own create_all, and this one's second look
            return
        fired.append(True)
        other = create_engine(f"sqlite:///{db}")
        Base.metadata.create_all(other)
        other.dispose()

    event.listen(results, "before_create", other_grader_creates_it_first)
    try:
        with Gradebook(str(db)) as book:
            book.record(Outcome(student="ann", source="ann.ipynb", digest="", status=ERROR, reason="x"))
            assert [r.student for r in book.results()] == ["ann"]
        assert fired
    finally:
        event.remove(results, "before_create", other_grader_creates_it_first)
