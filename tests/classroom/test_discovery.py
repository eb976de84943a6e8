"""Discovery a class folder cannot fool: odd entries become jobs with a problem, never opened.

No grading here (fast); tests/hostile/test_untrusted.py grades such a folder
end to end. Each case builds the entry the issue names and checks the rule
that exists for it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from grader.classroom.batch import LessonConflict, choose_lesson, grade_one, pending
from grader.classroom.credentials import CredentialError, gradebook_location
from grader.classroom.discovery import Job, discover, lesson_names
from grader.classroom.gradebook import UNUSABLE, Gradebook, Outcome
from grader.lessons import all_lessons
from grader.source import MAX_INPUT_BYTES, InputError, file_digest, load_submission

FIRST, SECOND = all_lessons()[:2]
ROOT = Path(__file__).resolve().parents[2]


def touch(path: Path, text: str = "x = 1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def by_student(jobs: list[Job]) -> dict[str, list[Job]]:
    found: dict[str, list[Job]] = {}
    for job in jobs:
        found.setdefault(job.student, []).append(job)
    return found


def test_fifo_socket_device_and_loop_are_named_and_skipped_without_opening(tmp_path):
    import socket

    os.mkfifo(touch(tmp_path / "ann" / "x").parent / f"{FIRST.slug}.ipynb")
    (tmp_path / "ben").mkdir()
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "ben" / f"{FIRST.slug}.py"))
    (tmp_path / "cy").mkdir()
    (tmp_path / "cy" / f"{FIRST.slug}.ipynb").symlink_to("/dev/zero")
    (tmp_path / "dee").mkdir()
    (tmp_path / "dee" / f"{FIRST.slug}.ipynb").symlink_to(tmp_path / "dee" / f"{FIRST.slug}.ipynb")
    (tmp_path / "eli").mkdir()
    (tmp_path / "eli" / f"{FIRST.slug}.ipynb").symlink_to(tmp_path / "eli" / "gone.ipynb")
    jobs = by_student(discover([tmp_path])[0])
    server.close()
    problems = {student: jobs[student][0].problem for student in ("ann", "ben", "cy", "dee", "eli")}
    assert "FIFO" in problems["ann"]
    assert "socket" in problems["ben"]
    assert "symlink to a file outside cy's folder" in problems["cy"]  # /dev/zero is never reached
    assert "loop" in problems["dee"]
    assert "to nothing" in problems["eli"]


@pytest.mark.timeout(60)
def test_a_fifo_costs_nothing_to_grade_or_to_check_for_changes(tmp_path):
    """The old batch blocked forever reading a FIFO to hash it; now nothing waits on it."""
    fifo = tmp_path / "ann" / f"{FIRST.slug}.ipynb"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    assert file_digest(fifo) == ""
    with pytest.raises(InputError, match="not a file"):
        load_submission(fifo)
    outcome = grade_one(Job("ann", fifo))  # a job without a discovery problem still refuses it
    assert outcome.status == UNUSABLE and "not a file" in outcome.reason
    with Gradebook(str(tmp_path / "book.db")) as book:
        jobs, _ = discover([tmp_path])
        assert pending(jobs, book) == jobs
        book.record(grade_one(jobs[0]))
        assert pending(jobs, book) == []  # a rerun skips it, still without opening it


def test_size_cap_is_checked_before_reading(tmp_path):
    big = tmp_path / "ann" / f"{FIRST.slug}.ipynb"
    big.parent.mkdir()
    with big.open("wb") as fh:
        fh.truncate(MAX_INPUT_BYTES + 1)  # sparse: no disk, and it would be 100 MB of memory if read
    (job,) = discover([tmp_path])[0]
    assert "104,857,601 bytes is more than the 100 MB" in job.problem
    with pytest.raises(InputError, match="bytes is more than the 100 MB"):
        load_submission(big)


def test_symlink_inside_own_folder_is_followed(tmp_path):
    real = touch(tmp_path / "ann" / "work" / "mine.ipynb")
    (tmp_path / "ann" / f"{FIRST.slug}.ipynb").symlink_to(real)
    jobs = discover([tmp_path])[0]
    assert [(job.student, job.path, job.problem) for job in jobs] == [("ann", real.resolve(), "")]


def test_symlink_to_a_classmate_is_flagged_and_both_keep_their_rows(tmp_path):
    ann = touch(tmp_path / "ann" / f"{FIRST.slug}.ipynb")
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / f"{FIRST.slug}.ipynb").symlink_to(ann)
    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / f"{FIRST.slug}.ipynb").symlink_to("../ann/" + f"{FIRST.slug}.ipynb")
    jobs = by_student(discover([tmp_path])[0])
    assert sorted(jobs) == ["ann", "bob", "cat"]  # no row dropped
    assert jobs["ann"][0].problem == ""
    for student in ("bob", "cat"):
        job = jobs[student][0]
        assert job.problem.startswith(f"a symlink to a file outside {student}'s folder")
        assert "ann" not in job.problem and "ann" not in job.source  # nothing of the classmate's
        outcome = grade_one(job)
        assert outcome.status == UNUSABLE and outcome.score == 0


def test_symlinked_student_folder_is_flagged_not_merged(tmp_path):
    touch(tmp_path / "ann" / f"{FIRST.slug}.ipynb")
    (tmp_path / "bob").symlink_to(tmp_path / "ann")
    jobs = by_student(discover([tmp_path])[0])
    assert jobs["ann"][0].problem == ""
    assert jobs["bob"][0].problem == "a symlinked folder: not followed"


def test_glob_over_a_symlinked_folder_does_not_lend_the_target_name(tmp_path):
    touch(tmp_path / "subs" / "ann" / f"{FIRST.slug}.ipynb")
    (tmp_path / "subs" / "bob").symlink_to(tmp_path / "subs" / "ann")
    jobs = by_student(discover([str(tmp_path / "subs" / "*" / "*.ipynb")])[0])
    assert sorted(jobs) == ["ann", "bob"]  # bob's row is bob's, not a second "ann"
    assert jobs["ann"][0].problem == ""


def test_symlink_in_a_flat_folder_is_not_followed(tmp_path):
    touch(tmp_path / f"ann-{FIRST.slug}.ipynb")
    (tmp_path / f"bob-{FIRST.slug}.ipynb").symlink_to(tmp_path / f"ann-{FIRST.slug}.ipynb")
    jobs = by_student(discover([tmp_path])[0])
    assert jobs["ann"][0].problem == ""
    assert "not followed" in jobs["bob"][0].problem


def test_a_file_named_on_the_command_line_is_followed(tmp_path):
    real = touch(tmp_path / "real.py")
    link = tmp_path / f"ann-{FIRST.slug}.py"
    link.symlink_to(real)
    (job,) = discover([link])[0]
    assert (job.student, job.path, job.problem) == ("ann", real.resolve(), "")


def test_names_that_are_not_utf8_stay_distinct_and_printable(tmp_path):
    for raw in (b"gus\xff", b"gus\xfe"):
        folder = os.path.join(os.fsencode(tmp_path), raw)
        os.mkdir(folder)
        Path(os.fsdecode(os.path.join(folder, f"{FIRST.slug}.ipynb".encode()))).write_text("{}")
    jobs = discover([tmp_path])[0]
    assert sorted(job.student for job in jobs) == ["gus\\xfe", "gus\\xff"]
    for job in jobs:
        job.source.encode("utf-8")  # storable and printable: no surrogate left
        assert "\\x" in job.source


def test_two_students_are_never_merged_by_a_shared_file(tmp_path):
    shared = touch(tmp_path / "shared.py")
    a, b = tmp_path / f"ann-{FIRST.slug}.py", tmp_path / f"bob-{FIRST.slug}.py"
    a.symlink_to(shared)
    b.symlink_to(shared)
    jobs = discover([a, b])[0]  # named by the instructor: followed, one job each
    assert sorted(job.student for job in jobs) == ["ann", "bob"]


def test_name_and_metadata_that_disagree_are_refused_unless_forced():
    names = lesson_names()
    named_second = Job("ann", Path(f"/class/ann/{SECOND.slug}.ipynb"))
    with pytest.raises(LessonConflict, match=f"file name says lesson {SECOND.slug}.*metadata says {FIRST.slug}"):
        choose_lesson(named_second, FIRST.id, names)
    assert choose_lesson(named_second, SECOND.id, names) == (SECOND, [])
    assert choose_lesson(Job("ann", Path("/class/ann/work.ipynb")), FIRST.id, names) == (FIRST, [])
    forced = Job("ann", Path(f"/class/ann/{SECOND.slug}.ipynb"), lesson_id=SECOND.id)
    lesson, look = choose_lesson(forced, FIRST.id, names)
    assert lesson == SECOND and "metadata says lesson" in look[0]


def test_a_conflicting_file_is_unusable_with_no_lesson(tmp_path):
    """It must not take the place of either lesson's grade in the gradebook."""
    notebook = json.loads((ROOT / "solutions" / f"{FIRST.slug}.ipynb").read_text())
    path = tmp_path / "ann" / f"{SECOND.slug}.ipynb"
    path.parent.mkdir()
    path.write_text(json.dumps(notebook))
    (job,) = discover([tmp_path])[0]
    outcome = grade_one(job)
    assert outcome.status == UNUSABLE and outcome.lesson_id is None
    assert "metadata" in outcome.reason and outcome.digest  # a rerun skips it until it changes


# -- the gradebook URL ------------------------------------------------------------------


def test_gradebook_url_from_option_file_or_environment(tmp_path):
    secret = tmp_path / "url"
    secret.write_text("postgresql://u:pw@127.0.0.1/class\n")
    env = {"GRADER_DB_URL": "sqlite:///env.db", "GRADER_DB_URL_FILE": str(secret)}
    assert gradebook_location("cli.db", None, env) == "cli.db"
    assert gradebook_location(None, secret, env) == "postgresql://u:pw@127.0.0.1/class"
    assert gradebook_location(None, None, env) == "sqlite:///env.db"
    assert gradebook_location(None, None, {"GRADER_DB_URL_FILE": str(secret)}) == "postgresql://u:pw@127.0.0.1/class"
    assert gradebook_location(None, None, {}) is None
    with pytest.raises(CredentialError, match="cannot read"):
        gradebook_location(None, tmp_path / "missing", {})
    (tmp_path / "empty").write_text("\n")
    with pytest.raises(CredentialError, match="one line"):
        gradebook_location(None, tmp_path / "empty", {})


def test_the_sandbox_environment_never_holds_the_gradebook_url(monkeypatch, tmp_path):
    """The worker (spawned or forked by the pool) and the pool's zygote get an environment built from scratch."""
    import subprocess

    from grader.sandbox import pool
    from grader.sandbox.runner import Sandbox
    from grader.source import Submission

    monkeypatch.setenv("GRADER_DB_URL", "postgresql://u:CANARY@127.0.0.1/class")
    monkeypatch.setenv("GRADER_DB_URL_FILE", "/run/CANARY")
    envs = []

    class Zygote:
        def spawn(self, channel, output_fd, workdir, env, preload=None):
            envs.append(env)
            raise pool.PoolUnavailable

    def popen(args, **kwargs):
        envs.append(kwargs["env"])
        raise OSError("not started in this test")

    monkeypatch.setattr(pool, "shared", lambda: Zygote())
    monkeypatch.setattr(subprocess, "Popen", popen)
    sandbox = Sandbox(Submission(tmp_path / "x.py", "module", []))
    with pytest.raises(OSError):
        sandbox.start()
    sandbox._tmp.cleanup()
    with pytest.raises(OSError):
        pool.Zygote()
    assert len(envs) == 3
    for env in envs:
        assert env and not any("CANARY" in value or "GRADER_DB" in key for key, value in env.items())


def test_an_outcome_for_a_problem_job_never_opens_the_file(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("opened")

    monkeypatch.setattr("grader.classroom.batch.load_submission", refuse)
    outcome = grade_one(Job("ann", tmp_path / "pipe.ipynb", problem="a FIFO, not a file: skipped"))
    assert outcome == Outcome("ann", str(tmp_path / "pipe.ipynb"), "", UNUSABLE, reason="a FIFO, not a file: skipped")
