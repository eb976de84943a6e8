"""Benchmark: how long the dashboard's class overview takes on a large gradebook.

Writes a throwaway SQLite gradebook of ROWS graded submissions (learners x every
lesson, each with a full stored report: every check with feedback, the quiz
scored by the grader's own `score_quiz`), then serves the overview through the
real app (FastAPI's TestClient, no network) and prints:

- cold: the first request, which reads every row and computes the figures
  (and compiles the templates and loads each lesson's checks, once per process);
- warm: later requests, while the gradebook is unchanged (the figures are cached);
- the first view of a contract-lines page, the learners table and the quiz items
  (these read the stored reports, the bulk of a gradebook);
- after a change: one more result stored, so the next request recomputes.

The target is an overview under a second on 10,000 rows. Figures vary with the
machine's load: run it on an idle machine.

    .venv/bin/python benchmarks/dashboard.py               # 10,000 rows
    .venv/bin/python benchmarks/dashboard.py --rows 50000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from grader.classroom.dashboard.app import create_app
from grader.classroom.dashboard.pages import Site
from grader.classroom.gradebook import GRADED, Gradebook, Outcome, Result
from grader.lessons import all_lessons
from grader.quiz import score_quiz


def fill(gradebook: Gradebook, rows: int, seed: int) -> None:
    """`rows` graded results in two runs a day apart, written in one transaction (the batch commits each)."""
    rng = random.Random(seed)
    lessons = all_lessons()
    learners = -(-rows // len(lessons))
    start = datetime.now(timezone.utc) - timedelta(days=1)
    made = 0
    with Session(gradebook.engine) as session:
        for learner in range(learners):
            ability = rng.random()
            for lesson in lessons:
                if made == rows:
                    break
                checks: list[dict] = []
                for check in lesson.checks:
                    passed = rng.random() < ability
                    checks.append(
                        {
                            "name": check.name,
                            "title": check.title,
                            "passed": passed,
                            "points": check.points if passed else 0,
                            "max_points": check.points,
                            "feedback": ""
                            if passed
                            else f"Expected 201, got {rng.choice([200, 204, 404])} on /items/{rng.randrange(10**6)}",
                            "hint": "" if passed else check.hint,
                            "docs_url": lesson.page_url(check.docs),
                        }
                    )
                answers = {
                    q.number: q.answer if rng.random() < ability else rng.choice([c.key for c in q.choices])
                    for q in lesson.quiz.questions
                }
                quiz = score_quiz(lesson.quiz, answers)
                exercise = sum(c["points"] for c in checks)
                report = {
                    "lesson": lesson.id,
                    "exercise": {"score": exercise, "max_score": lesson.exercise_points, "checks": checks},
                    "quiz": quiz.to_json(),
                    "notes": [],
                    "output": "",
                    "started": True,
                }
                session.add(
                    Result(
                        student=f"learner{learner:05d}",
                        source=f"/class/learner{learner:05d}/{lesson.slug}.ipynb",
                        digest="0" * 64,
                        lesson_id=lesson.id,
                        status=GRADED,
                        reason="",
                        exercise_score=exercise,
                        exercise_max=lesson.exercise_points,
                        quiz_score=quiz.score,
                        quiz_max=quiz.max_score,
                        seed=1,
                        report=json.dumps(report),
                        graded_at=start + timedelta(days=made % 2, seconds=made),
                        look="[]",
                    )
                )
                made += 1
        session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="warm requests to time")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "gradebook.db")
        with Gradebook(db) as gradebook:
            began = time.perf_counter()
            fill(gradebook, args.rows, args.seed)
            print(f"gradebook: {args.rows} rows written in {time.perf_counter() - began:.1f} s")
            client = TestClient(create_app(Site(gradebook)), base_url="http://127.0.0.1")

            def timed(page: str = "index.html") -> float:
                began = time.perf_counter()
                response = client.get(f"/{page}")
                assert response.status_code == 200
                return time.perf_counter() - began

            cold = timed()
            warm = [timed() for _ in range(args.repeat)]
            others = {
                page: timed(page) for page in (f"lesson-{all_lessons()[3].id}.html", "learners.html", "quiz.html")
            }
            gradebook.record(Outcome("late", "/class/late.ipynb", "1" * 64, GRADED, all_lessons()[0].id))
            changed = timed()
        for page, seconds in others.items():
            print(f"{page}, first view: {seconds:.3f} s")
        print(f"overview, cold (reads and computes every row): {cold:.3f} s")
        print(f"overview, warm (gradebook unchanged): median {statistics.median(warm) * 1000:.1f} ms of {args.repeat}")
        print(f"overview, after one more result: {changed:.3f} s")
        print(f"target: under 1 s on 10,000 rows -> {'met' if max(cold, changed) < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
