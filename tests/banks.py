"""The bank: apps with one known bug (or a right app in another style), per lesson.

An entry in `tests/banks/<lesson-slug>/` is either

- `name.toml`: a bug as edits to the lesson's `solution.py`, so the app is
  derived from the reference and its bug is the whole file::

      bug = "What is wrong, in one line."
      fails = ["check-name"]            # the checks it must lose ([] for a right app)
      says = ["words in the feedback"]  # case-insensitive
      [[edit]]
      old = '''exact lines of solution.py'''
      new = '''the buggy lines'''

  Edits apply in order to solution.py without its module docstring and its
  nbgrader marker lines; each `old` must occur exactly once.
- `name.py`: a complete app, for one written in another style: a docstring
  names the bug, then `# fails: a, b` and `# says: words | more words`.

Every wrong app is also graded in router style (`<id>@router`): the same code
with each route moved from `app` to an `APIRouter` that the app includes at the
end (`router_style`), so a bug is written once and reaches both styles. An app
the move cannot express says why instead (`router = "why"` in a toml entry,
`# router: why` in a file); `router_fails = [...]` (toml) names the checks the
router version loses when they differ.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from pathlib import Path

from grader import _toml, syntax
from grader.build_notebooks import MARKERS

BANKS = Path(__file__).resolve().parent / "banks"
LESSONS = BANKS.parent.parent / "lessons"


def solution_base(lesson_slug: str) -> str:
    """solution.py as a bank edit starts from it: no module docstring, no marker lines."""
    text = (LESSONS / lesson_slug / "solution.py").read_text()
    lines = text.splitlines(keepends=True)
    tree = syntax.parse(text)
    if ast.get_docstring(tree) is not None:
        lines = lines[tree.body[0].end_lineno :]
    lines = [line for line in lines if line.strip() not in MARKERS]
    return "".join(lines).lstrip("\n")


def apply_edits(base: str, edits: list[dict], where: str) -> str:
    for number, edit in enumerate(edits, start=1):
        count = base.count(edit["old"])
        if count != 1:
            raise ValueError(f"{where}: edit {number}'s `old` occurs {count} times in solution.py (must be once)")
        base = base.replace(edit["old"], edit["new"])
    return base


ROUTE_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "api_route")
ROUTE_DECORATOR = re.compile(rf"^@app\.({'|'.join(ROUTE_METHODS)})\(", re.M)
ROUTE_PATH = re.compile(r"""^(@router\.\w+\(\s*)(["'])(/[^"']*)\2""", re.M)


def _app_assignment(tree: ast.Module) -> ast.Assign | None:
    return next(
        (
            node
            for node in tree.body
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "app" for t in node.targets)
        ),
        None,
    )


def router_style(source: str) -> str | None:
    """`source` with every route on an `APIRouter` (tags, and the prefix all its paths share) the app includes last.

    None without a module-level `app = ...` that has routes.
    """
    assign = _app_assignment(syntax.parse(source))
    if assign is None or not ROUTE_DECORATOR.search(source):
        return None
    lines = source.splitlines(keepends=True)
    head, tail = "".join(lines[: assign.end_lineno]), "".join(lines[assign.end_lineno :])
    tail = ROUTE_DECORATOR.sub(r"@router.\1(", tail).replace("app.add_api_route(", "router.add_api_route(")
    firsts = {path.split("/")[1] for _, _, path in ROUTE_PATH.findall(tail)}
    prefix = f"/{firsts.pop()}" if len(firsts) == 1 and "{" not in next(iter(firsts)) else ""
    if prefix:
        tail = ROUTE_PATH.sub(lambda m: f"{m[1]}{m[2]}{m[3][len(prefix) :]}{m[2]}", tail)
    router = f"\nfrom fastapi import APIRouter\n\nrouter = APIRouter(prefix={prefix!r}, tags=['bank'])\n"
    return head + router + tail + "\n\napp.include_router(router)\n"


def mount_style(source: str) -> str | None:
    """`source` as a sub-application (`api`) mounted at `/` on an empty `app`: what it serves is unchanged, but the
    parent's /openapi.json lists none of its routes."""
    if _app_assignment(syntax.parse(source)) is None:
        return None
    renamed = re.sub(r"^app = ", "api = ", source, flags=re.M)
    renamed = re.sub(r"(?<![\w.])app\.", "api.", renamed)
    return renamed + '\n\napp = FastAPI(title="Parent")\napp.mount("/", api)\n'


def async_style(source: str) -> str:
    """`source` with every route handler an `async def`."""
    tree = syntax.parse(source)
    lines = source.splitlines(keepends=True)
    for node in tree.body:
        routed = isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Call)
            and isinstance(d.func, ast.Attribute)
            and isinstance(d.func.value, ast.Name)
            and d.func.value.id in ("app", "router")
            and d.func.attr in ROUTE_METHODS
            for d in node.decorator_list
        )
        if routed:
            line = lines[node.lineno - 1]
            lines[node.lineno - 1] = line.replace("def ", "async def ", 1)
    return "".join(lines)


AUDIT = """

from fastapi import Depends, Request


class Audit:
    \"\"\"A class-based dependency on the whole router: counts the requests it sees, per method.\"\"\"

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    async def __call__(self, request: Request) -> None:
        self.seen[request.method] = self.seen.get(request.method, 0) + 1


"""


def dependency_style(source: str) -> str | None:
    """A router-style `source` whose router runs a class-based dependency (an `Audit()` instance) on every route."""
    marker = "tags=['bank'])"
    if marker not in source:
        return None
    head, tail = source.split("\nfrom fastapi import APIRouter\n", 1)
    tail = tail.replace(marker, "tags=['bank'], dependencies=[Depends(Audit())])", 1)
    return head + AUDIT + "from fastapi import APIRouter\n" + tail


STYLES = {"router": router_style, "mount": mount_style, "async": async_style, "deps": dependency_style}


@dataclass(frozen=True)
class BankApp:
    path: Path
    lesson_slug: str
    fails: frozenset[str]
    says: tuple[str, ...]
    style: str = ""  # comma-separated STYLES applied in order: "router" (the routes on an APIRouter), "mount", "async"
    no_router: str = ""  # why the app has no router version
    router_variant: bool = False  # the router version of a wrong app (its id ends in @router)

    @property
    def id(self) -> str:
        return f"{self.lesson_slug}/{self.path.stem}" + ("@router" if self.router_variant else "")

    def source(self) -> str:
        """The app's code: the file itself, or solution.py with the entry's edits (in the entry's style)."""
        if self.path.suffix == ".py":
            text = self.path.read_text()
        else:
            with self.path.open("rb") as fh:
                data = _toml.load(fh)
            text = f'"""{data["bug"]}"""\n\n' + apply_edits(
                solution_base(self.lesson_slug), data.get("edit", []), str(self.path)
            )
        for style in filter(None, self.style.split(",")):
            styled = STYLES[style](text)
            if styled is None:
                raise ValueError(f"{self.path}: no module-level `app = FastAPI()` with routes for style {style!r}")
            text = styled
        return text

    def router_version(self) -> BankApp | None:
        if not self.fails or self.no_router or self.router_variant or {"router", "mount"} & set(self.style.split(",")):
            return None
        fails = self.fails
        if self.path.suffix == ".toml":
            with self.path.open("rb") as fh:
                fails = frozenset(_toml.load(fh).get("router_fails", fails))
        return replace(self, style=",".join(filter(None, (self.style, "router"))), fails=fails, router_variant=True)


def read_bank(path: Path) -> BankApp:
    if path.suffix == ".toml":
        with path.open("rb") as fh:
            data = _toml.load(fh)
        return BankApp(
            path,
            path.parent.name,
            frozenset(data["fails"]),
            tuple(data.get("says", ())),
            style=data.get("style", ""),
            no_router=data.get("router", ""),
        )
    text = path.read_text()
    fails = re.search(r"^# fails:(.*)$", text, re.M)
    if fails is None:
        raise ValueError(f"{path}: no '# fails:' line")
    says = re.search(r"^# says:(.*)$", text, re.M)
    no_router = re.search(r"^# router:(.*)$", text, re.M)
    return BankApp(
        path=path,
        lesson_slug=path.parent.name,
        fails=frozenset(n.strip() for n in fails.group(1).split(",") if n.strip()),
        says=tuple(s.strip() for s in says.group(1).split("|") if s.strip()) if says else (),
        no_router=no_router.group(1).strip() if no_router else "",
    )


def bank_apps(router: bool = True) -> list[BankApp]:
    """Every entry, and (with `router`) each wrong app's router version after it."""
    apps = []
    for path in sorted([*BANKS.glob("*/*.py"), *BANKS.glob("*/*.toml")]):
        app = read_bank(path)
        apps.append(app)
        version = app.router_version() if router else None
        if version is not None:
            apps.append(version)
    return apps
