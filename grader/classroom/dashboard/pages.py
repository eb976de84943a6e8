"""The dashboard's pages and downloads, rendered from the gradebook; served by `app`, written by `static`.

Every page sits at the top level (`index.html`, `lesson-<id>.html`, ...) and
links relatively, so the same HTML works served and as a folder of files.
Jinja2 autoescapes everything; learner text is never marked safe.
"""

from __future__ import annotations

import io
import json
import zipfile
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from grader.classroom import exports, quiz_stats
from grader.classroom.dashboard import charts, data
from grader.classroom.gradebook import Gradebook
from grader.classroom.private_questions import Override
from grader.lessons import Lesson

HERE = Path(__file__).parent
STATIC = HERE / "static"
# The served pages' header adds frame-ancestors, which a <meta> policy may not carry.
CSP = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; object-src 'none'"
HEADER_CSP = CSP + "; frame-ancestors 'none'"
DOWNLOADS = {
    "grades.csv": "text/csv; charset=utf-8",
    "gradescope.zip": "application/zip",
    "exercism.zip": "application/zip",
}
SHOWN_LEARNERS = 200  # failing learners listed per contract line; the rest are counted


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda v: "—" if v is None else f"{v:.0%}"
    env.filters["signed"] = lambda v: "—" if v is None else f"{v:+.2f}"
    return env


class Snapshot:
    """What is computed for one state of the gradebook, each part when a page first needs it."""

    def __init__(self, gradebook: Gradebook, overrides: dict[str, Override]):
        self.gradebook, self.overrides = gradebook, overrides
        self.data = data.load(gradebook)
        self.names = exports.folder_names(self.data.students)  # learner -> page name (unique, file-system safe)

    @cached_property
    def by_name(self) -> dict[str, str]:
        return {name: student for student, name in self.names.items()}

    @cached_property
    def items(self) -> list[quiz_stats.ItemStats]:
        return quiz_stats.item_stats(self.gradebook, overrides=self.overrides)

    @cached_property
    def learners(self) -> list[exports.Learner]:
        """The exports' own grades and points possible (reports included: a learner page shows them)."""
        return exports.learners(self.gradebook)


class Site:
    def __init__(
        self, gradebook: Gradebook, overrides: dict[str, Override] | None = None, docs_base: str | None = None
    ):
        self.gradebook = gradebook
        self.overrides = overrides or {}
        self.docs_base = docs_base
        self.env = environment()
        self._cached: tuple[tuple, Snapshot] | None = None

    def snapshot(self) -> Snapshot:
        now = data.state(self.gradebook)
        if self._cached is None or self._cached[0] != now:
            self._cached = (now, Snapshot(self.gradebook, self.overrides))
        return self._cached[1]

    # -- pages ------------------------------------------------------------------------

    def _render(self, template: str, title: str, **context) -> str:
        snap = context.pop("snap", None) or self.snapshot()
        return self.env.get_template(template).render(
            title=title,
            csp=CSP,
            lessons=snap.data.lessons,
            learner_page=lambda student: f"learner-{snap.names[student]}.html",
            charts=charts,
            **context,
        )

    def overview(self) -> str:
        snap = self.snapshot()
        d = snap.data
        labels = [f"{10 * i}" for i in range(data.BINS)]
        histograms = {
            s.lesson.id: charts.columns(s.histogram, labels, f"Scores of lesson {s.lesson.slug}, in 10 % steps")
            for s in d.summaries
        }
        progress = None
        if d.progress:
            progress = charts.line(
                [p.mean for p in d.progress],
                [p.at.strftime("%Y-%m-%d %H:%M") for p in d.progress],
                "Mean share of the points after each run",
            )
        return self._render(
            "overview.html",
            "Class overview",
            snap=snap,
            data=d,
            histograms=histograms,
            progress=progress,
            downloads=list(DOWNLOADS),
        )

    def lesson(self, lesson_id: str) -> str | None:
        lesson = self._lesson(lesson_id)
        if lesson is None:
            return None
        snap = self.snapshot()
        lines = data.contract_lines(snap.data, lesson)
        bars = charts.rows(
            [line.share for line in lines.lines],
            [str(i) for i in range(1, len(lines.lines) + 1)],
            f"Share of the class passing each check of {lesson.slug}, hardest first",
            scale=1.0,
            shown=[f"{line.share:.0%}" if line.total else "—" for line in lines.lines],
        )
        return self._render(
            "lesson.html",
            f"Contract lines · {lesson.slug}",
            snap=snap,
            lesson=lesson,
            lines=lines,
            bars=bars,
            shown=SHOWN_LEARNERS,
        )

    def learners(self) -> str:
        snap = self.snapshot()
        looks: dict[str, int] = {}
        for item in snap.data.look:
            looks[item.student] = looks.get(item.student, 0) + 1
        return self._render("learners.html", "Learners", snap=snap, rows=snap.learners, looks=looks)

    def learner(self, name: str) -> str | None:
        snap = self.snapshot()
        student = snap.by_name.get(name)
        if student is None:
            return None
        d = snap.data
        learner = next(row for row in snap.learners if row.student == student)
        reports = [(grade, grade.result.report_json if grade.result else {}) for grade in learner.grades]
        return self._render(
            "learner.html",
            f"Learner {student}",
            snap=snap,
            learner=learner,
            reports=reports,
            link=self._check_link,
            looks=[item for item in d.look if item.student == student],
        )

    def quiz(self) -> str:
        snap = self.snapshot()
        return self._render(
            "quiz.html",
            "Quiz items",
            snap=snap,
            items=snap.items,
            picks_for=_picks_chart,
            facility_for=_facility_chart,
            thresholds={"easy": quiz_stats.EASY, "hard": quiz_stats.HARD, "min": quiz_stats.MIN_LEARNERS},
        )

    def look(self) -> str:
        snap = self.snapshot()
        return self._render("look.html", "Needs a look", snap=snap, items=snap.data.look, labels=data.LABELS)

    def _lesson(self, lesson_id: str) -> Lesson | None:
        snap = self.snapshot()
        return next((lesson for lesson in snap.data.lessons if lesson.id == lesson_id), None)

    def _check_link(self, lesson: Lesson, stored_url: object) -> str:
        """A stored check's docs link, rebuilt from the lesson (never a URL taken from the row as it is)."""
        return exports.lesson_link(lesson, stored_url if isinstance(stored_url, str) else "", self.docs_base)

    # -- every page, for the static export ----------------------------------------------------

    def page_names(self) -> list[str]:
        snap = self.snapshot()
        names = ["index.html", "learners.html", "quiz.html", "look.html"]
        names += [f"lesson-{lesson.id}.html" for lesson in snap.data.lessons]
        names += [f"learner-{name}.html" for name in snap.names.values()]
        return names

    def page(self, name: str) -> str | None:
        """The page at `name` (as `page_names` lists them), or None."""
        fixed = {
            "index.html": self.overview,
            "learners.html": self.learners,
            "quiz.html": self.quiz,
            "look.html": self.look,
        }
        if name in fixed:
            return fixed[name]()
        if name.startswith("lesson-") and name.endswith(".html"):
            return self.lesson(name.removeprefix("lesson-").removesuffix(".html"))
        if name.startswith("learner-") and name.endswith(".html"):
            return self.learner(name.removeprefix("learner-").removesuffix(".html"))
        return None

    # -- downloads: the exports module's own formats ---------------------------------------------

    def download(self, name: str) -> bytes | None:
        if name not in DOWNLOADS:
            return None
        rows = exports.learners(self.gradebook)
        if name == "grades.csv":
            return exports.to_csv(rows, self.snapshot().data.lessons).encode()
        build = exports.BUILDERS[name.removesuffix(".zip")]
        buffer = io.BytesIO()
        folders = exports.folder_names([learner.student for learner in rows])
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for learner in rows:
                body = json.dumps(build(learner, docs_base=self.docs_base), indent=2, ensure_ascii=False) + "\n"
                archive.writestr(f"{folders[learner.student]}/results.json", body)
        return buffer.getvalue()


def _picks_chart(item: quiz_stats.ItemStats) -> charts.Chart:
    return charts.rows(
        [c.picked for c in item.choices],
        [c.letter for c in item.choices],
        f"How often each choice of question {item.number} was picked (the key marked)",
        kinds=["key" if c.correct else "" for c in item.choices],
        scale=max(1, item.answered),
    )


def _facility_chart(item: quiz_stats.ItemStats) -> charts.Chart:
    return charts.rows([item.facility], ["right"], "Facility", scale=1.0, shown=[f"{item.facility:.0%}"])
