"""A grade does not depend on luck, nor on the path: every bank app gets the same verdict under
several seeds, in the sandbox and in the notebook's check cell.

Each bank app (and each lesson's reference solution) is graded under five
different seeds at once, through the warm pool with a thread per grading as
`grader batch` does. A wrong app must lose exactly the checks its header names on every
seed, with feedback that says what its header says, and a right app must keep
full marks on every seed. A wrong app's router version (banks.py) is graded under
the first two seeds: the bug is the same code, the style is what differs.
(This is the bank's one grading pass: test_banks.py only checks its size.)

The same app then runs in one real Jupyter kernel, as a notebook cell, and the check
cell's own code (`kernel_checks.exercise_feedback`, what nbgrader scores) grades it
under the first seed: it must fail exactly the checks the sandbox failed on that seed.
One kernel serves the whole module, so each app is graded once per path per run.

The seeds are new each run (so the suite keeps probing) and printed on failure;
`GRADER_TEST_SEEDS=1,2,3,4,5` replays a run.
"""

import json
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from banks import bank_apps
from grader.grade import grade_path
from grader.lessons import all_lessons

SEEDS = [int(s) for s in os.environ.get("GRADER_TEST_SEEDS", "").split(",") if s.strip()] or [
    secrets.randbelow(2**31) for _ in range(5)
]
LESSONS = {lesson.slug: lesson for lesson in all_lessons()}
# Every bank app, and each lesson's reference solution as a right app.
CASES = [(f"{slug}/solution", slug, None) for slug in LESSONS] + [(app.id, app.lesson_slug, app) for app in bank_apps()]


ROUTER_SEEDS = 2
KERNEL_CHECK = """
import json as _json
from grader import kernel_checks as _kernel_checks
from grader.lessons import get_lesson as _get_lesson
_feedback, _ = _kernel_checks.exercise_feedback(_get_lesson({lesson!r}), app, seed={seed})
print("VERDICT " + _json.dumps(sorted(row.name for row in _feedback.rows if row.mark != "pass")))
"""


class Kernel:
    """One real python3 Jupyter kernel: a cell at a time, its namespace reset between apps."""

    def __init__(self, cwd: Path):
        from jupyter_client.manager import start_new_kernel

        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(cwd))

    def run(self, code: str) -> tuple[str, str]:
        """(stdout, the error's name and value, if the cell raised)."""
        out, error = [], ""

        def hook(message):
            nonlocal error
            if message["msg_type"] == "stream" and message["content"]["name"] == "stdout":
                out.append(message["content"]["text"])
            elif message["msg_type"] == "error":
                error = f"{message['content']['ename']}: {message['content']['evalue']}"

        self.client.execute_interactive(code, timeout=300, output_hook=hook, store_history=True)
        return "".join(out), error

    def verdict(self, source: str, lesson_id: str, seed: int) -> frozenset:
        self.run("%reset -f")
        _, error = self.run(source)
        assert not error, f"the app's cell raised in the kernel: {error}"
        out, error = self.run(KERNEL_CHECK.format(lesson=lesson_id, seed=seed))
        assert not error, f"the check cell raised: {error}"
        line = next(line for line in out.splitlines() if line.startswith("VERDICT "))
        return frozenset(json.loads(line.removeprefix("VERDICT ")))

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    k = Kernel(tmp_path_factory.mktemp("kernel"))
    yield k
    k.close()


def verdict(path: Path, lesson_id: str, seed: int) -> tuple[frozenset, int, str, str]:
    """(the checks lost, the points lost, their feedback to show, all of it lowercased to search) for one grading."""
    report = grade_path(path, lesson_id=lesson_id, seed=seed)
    failed = [c for c in report.checks if not c.passed]
    feedback = "\n".join(f"    {c.name}: {c.feedback[:300]}" for c in failed) + "".join(f"\n    note: {n}" for n in report.notes)
    said = " ".join(c.feedback for c in failed).lower()
    return frozenset(c.name for c in failed), report.exercise_max - report.exercise_score, feedback, said


@pytest.mark.parametrize("name, slug, bank", CASES, ids=[case[0] for case in CASES])
def test_same_verdict_on_every_seed(name, slug, bank, tmp_path, kernel):
    assert len(set(SEEDS)) >= 5, f"needs at least 5 different seeds, got {SEEDS}"
    seeds = SEEDS[:ROUTER_SEEDS] if bank is not None and bank.router_variant else SEEDS
    lesson = LESSONS[slug]
    if bank is None:
        path, fails = lesson.folder / "solution.py", frozenset()
    else:
        path, fails = tmp_path / f"{bank.path.stem}.py", bank.fails
        path.write_text(bank.source())
    points = {check.name: check.points for check in lesson.checks}  # imports the checks before the threads do
    assert fails <= set(points), f"unknown check names in header: {sorted(fails - set(points))}"
    # One grading per seed at once, through the warm pool, as `grader batch` grades a class; meanwhile
    # the notebook's path, as nbgrader runs it: the same app in a real kernel, the check cell's code, seed one.
    with ThreadPoolExecutor(max_workers=len(seeds)) as pool:
        gradings = [pool.submit(verdict, path, lesson.id, seed) for seed in seeds]
        in_kernel = kernel.verdict(path.read_text(), lesson.id, seeds[0])  # this thread: the kernel's client is its
        results = [grading.result() for grading in gradings]
    problems = []
    says = bank.says if bank is not None else ()
    for seed, (lost, lost_points, feedback, said) in zip(seeds, results, strict=True):
        if lost != fails or lost_points != sum(points[c] for c in fails):
            problems.append(f"seed {seed}: expected to lose {sorted(fails)}, lost {sorted(lost)} "
                            f"(differs on {sorted(lost ^ fails)})\n{feedback}")
        problems.extend(f"seed {seed}: the feedback does not say {words!r}\n{feedback}" for words in says if words.lower() not in said)
    if in_kernel != results[0][0]:
        problems.append(
            f"seed {seeds[0]}: the notebook's check cell failed {sorted(in_kernel)}, the sandbox {sorted(results[0][0])}"
        )
    assert not problems, f"{name} under seeds {seeds}:\n" + "\n".join(problems)
