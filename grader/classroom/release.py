"""`grader release OUT`: a class release of the exercise notebooks.

Each lesson's graded questions (with the instructor's private ones) get their
choices shuffled for this release; the notebooks' quiz check records answers
without scoring them, and the key (`grader-release-key.json`) stays with the
instructor. Two layouts:

- plain: `OUT/exercises/NN-id.ipynb` to hand out, `OUT/grader-release-key.json` to keep;
- `--nbgrader`: `OUT` is an nbgrader course: `nbgrader_config.py` (with the code
  stub the notebooks need), `source/NN-id/`, and `release/NN-id/` made by
  `nbgrader generate_assignment`; the key sits in the course root, where
  `grader batch OUT` and `grader nbgrader autograde` find it.

Either way `OUT/.gitignore` names the key, `source/` and the learners' work, so
a release folder inside the course's checkout never publishes the answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.build_notebooks import build_exercise, build_solution, render
from grader.classroom.answers_out_of_git import ignore_private
from grader.classroom.nbgrader_course import CONFIG, run_nbgrader
from grader.classroom.private_questions import Override, graded_quiz
from grader.classroom.release_key import KEY_NAME, ReleaseKey, make_key
from grader.lessons import Lesson


class ReleaseError(Exception):
    pass


@dataclass
class Release:
    key: ReleaseKey
    key_path: Path
    notebooks: list[Path] = field(default_factory=list)  # what learners get
    gitignore: Path | None = None  # keeps the key and the solutions out of git


def build_release(
    out: Path,
    lessons: list[Lesson],
    overrides: dict[str, Override] | None = None,
    seed: int | None = None,
    nbgrader: bool = False,
) -> Release:
    out = Path(out)
    key_path = out / KEY_NAME
    if key_path.exists():
        # Overwriting it would make the notebooks already handed out ungradable.
        raise ReleaseError(f"{key_path} already exists: it grades the notebooks of that release; choose another folder")
    out.mkdir(parents=True, exist_ok=True)
    release_gitignore = ignore_private(out)  # before the key exists: `git add -A` never sees it
    key = make_key({lesson.id: graded_quiz(lesson, overrides or {}) for lesson in lessons}, seed)
    key.write(key_path)  # first: no notebook of this release may exist without its key
    release = Release(key, key_path, gitignore=release_gitignore)
    if nbgrader:
        config = out / "nbgrader_config.py"
        if not config.exists():
            config.write_text(CONFIG)
        elif "code_stub" not in config.read_text():
            raise ReleaseError(
                f'{config} does not set ClearSolutions.code_stub: add `c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE"}}`'
            )
    for lesson in lessons:
        solution = build_solution(lesson, key.quizzes[lesson.id], key.release)
        if nbgrader:
            source = out / "source" / lesson.slug / f"{lesson.slug}.ipynb"
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_text(render(solution))
            done = run_nbgrader(["generate_assignment", lesson.slug, "--force"], course=out, capture=True)
            if done.returncode != 0:
                raise ReleaseError(
                    f"nbgrader generate_assignment {lesson.slug} failed:\n{(done.stdout + done.stderr)[-2000:]}"
                )
            release.notebooks.append(out / "release" / lesson.slug / f"{lesson.slug}.ipynb")
        else:
            path = out / "exercises" / f"{lesson.slug}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(build_exercise(solution)))
            release.notebooks.append(path)
    return release
