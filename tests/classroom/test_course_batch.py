"""A class graded from any folder of its course: the release key is found, foreign and untouched
notebooks are flagged, and what needs a look survives a rerun; the release keeps the answers out of git.

One class release (plain, lessons 01 and the capstone), laid out as an nbgrader course
(`nbgrader_config.py`, `submitted/<student>/<assignment>/`) without running nbgrader: alice hands in
lesson 01 solved, carl a notebook that is not from the release (the course's own solution: its letters
are the course's, not the release's), bob both lessons untouched.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_release_key import PRIVATE

from classroom import variants
from grader.build_notebooks import build_solution
from grader.classroom.release import build_release
from grader.classroom.release_key import KEY_NAME
from grader.lessons import get_lesson
from grader.quiz_source import FOREIGN_NOTE

BIN = Path(sys.executable).parent
FIRST, CAPSTONE = get_lesson("status-codes"), get_lesson("capstone")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    made = build_release(root, [FIRST, CAPSTONE], seed=11)
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    handed_out = {lesson.id: variants.read(root / "exercises" / f"{lesson.slug}.ipynb") for lesson in (FIRST, CAPSTONE)}
    solution = build_solution(FIRST, made.key.quizzes[FIRST.id], made.key.release)
    submitted = root / "submitted"
    variants.write(
        variants.solved(handed_out[FIRST.id], solution), submitted / "alice" / FIRST.slug / f"{FIRST.slug}.ipynb"
    )
    shutil.copy(
        variants.solution_path(FIRST),
        (submitted / "carl" / FIRST.slug).mkdir(parents=True)
        or submitted / "carl" / FIRST.slug / f"{FIRST.slug}.ipynb",
    )
    for lesson in (FIRST, CAPSTONE):
        variants.write(handed_out[lesson.id], submitted / "bob" / lesson.slug / f"{lesson.slug}.ipynb")
    return {"root": root, "key": made.key}


def batch(cwd: Path, *args: str) -> dict:
    done = subprocess.run(
        [str(BIN / "grader"), "batch", *args, "--json"], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def looks(summary: dict) -> dict[tuple[str, str], list[str]]:
    return {(entry["student"], Path(entry["source"]).parent.name): entry["why"] for entry in summary["needs_a_look"]}


@pytest.mark.parametrize("where", ["submitted", ".", f"submitted/alice/{FIRST.slug}/{FIRST.slug}.ipynb"])
def test_the_key_is_found_from_any_folder_of_the_course(course, where, tmp_path):
    root, key = course["root"], course["key"]
    summary = batch(root, where, "--db", str(tmp_path / "g.db"))
    alice = next(o for o in summary["outcomes"] if "/alice/" in o["source"])
    assert alice["score"] == alice["max_score"] == FIRST.exercise_points + key.quizzes[FIRST.id].max_score


def test_foreign_and_untouched_notebooks_need_a_look_and_still_do_after_a_rerun(course, tmp_path):
    root, key = course["root"], course["key"]
    db = str(tmp_path / "g.db")
    first = batch(root / "submitted", ".", "--db", db)
    carl = next(o for o in first["outcomes"] if o["student"] == "carl")
    assert carl["max_score"] == FIRST.exercise_points + key.quizzes[FIRST.id].max_score  # the column's points
    for summary in (first, batch(root / "submitted", ".", "--db", db)):  # the rerun grades nothing
        found = looks(summary)
        assert any(why.startswith(FOREIGN_NOTE) for why in found[("carl", FIRST.slug)]), found
        for lesson in (FIRST, CAPSTONE):
            assert any("looks untouched" in why for why in found[("bob", lesson.slug)]), found
        assert ("alice", FIRST.slug) not in found
    assert first["skipped"] == 0 and summary["skipped"] == summary["found"] == 4


def test_the_release_keeps_the_answers_out_of_git(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / ("course-checkout-" + "x" * 80)  # longer than a line: the paths must still print whole
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "README.md").write_text("the course\n")
    done = subprocess.run(
        [str(BIN / "grader"), "release", str(repo / "my-class"), "--lesson", "01"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert f"{repo / 'my-class' / '.gitignore'} keeps the key, source/ and the learners' work out of git." in done.stdout
    (repo / "my-class" / "source").mkdir()  # as nbgrader's layout has it: the solutions
    (repo / "my-class" / "source" / "answers.ipynb").write_text("{}")
    private = repo / "private.toml"
    private.write_text(PRIVATE)
    subprocess.run([*git, "add", "-A"], check=True)
    tracked = subprocess.run([*git, "ls-files"], capture_output=True, text=True, check=True).stdout.split()
    assert f"my-class/exercises/{FIRST.slug}.ipynb" in tracked  # what learners get is published
    assert f"my-class/{KEY_NAME}" not in tracked and "my-class/source/answers.ipynb" not in tracked
    # Private questions in the checkout, not ignored: the grader says so.
    warned = subprocess.run(
        [str(BIN / "grader"), "release", str(tmp_path / "other"), "--lesson", "01", "--questions", str(private)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "would publish your private questions" in warned.stderr


def test_without_the_key_release_notebooks_are_recorded_and_a_foreign_one_is_flagged(course, tmp_path):
    """Handed in outside the course, without --release-key: nothing is scored silently with the wrong letters."""
    handed_in = tmp_path / "handed-in"
    shutil.copytree(course["root"] / "submitted", handed_in)
    found = looks(batch(tmp_path, str(handed_in), "--db", str(tmp_path / "g.db")))
    assert any(why.startswith("Quiz answers recorded, not scored") for why in found[("alice", FIRST.slug)]), found
    assert any("course's own letters" in why for why in found[("carl", FIRST.slug)]), found
