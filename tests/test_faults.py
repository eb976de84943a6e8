"""Fault injection: the grader makes a starter helper raise a made-up exception type, then restores it."""

import textwrap
from pathlib import Path

import pytest
from banks import read_bank
from fastapi import FastAPI

from grader.client import SandboxClient
from grader.grade import grade_path
from grader.kernel_checks import grade_app
from grader.sandbox import faults
from grader.sandbox.runner import Sandbox
from grader.source import load_submission

APP = textwrap.dedent('''
    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse

    app = FastAPI()

    def helper(x):
        return x * 2

    @app.exception_handler(ValueError)
    async def only_value_errors(request: Request, exc: ValueError):
        return JSONResponse({"detail": "handled"}, status_code=500)

    @app.get("/double/{x}")
    def double(x: int):
        return {"result": helper(x)}
''')


def make_app():
    namespace: dict = {}
    exec(compile(APP, "<app>", "exec"), namespace)  # noqa: S102 - our own test app
    return namespace


def test_arm_replaces_the_helper_where_routes_look_it_up_and_clear_restores_it():
    namespace = make_app()
    original, armed = namespace["helper"], []
    assert faults.handle(namespace["app"], {"helper": "helper", "exception": "OddFault", "message": "boom"}, armed) == {"armed": True}
    with pytest.raises(Exception) as caught:
        namespace["double"](3)
    fault = type(caught.value)
    assert fault.__name__ == "OddFault" and fault.__bases__ == (Exception,) and str(caught.value) == "boom"
    assert not issubclass(fault, (ValueError, ArithmeticError, KeyError))
    assert faults.handle(namespace["app"], {"helper": "helper", "clear": True}, armed) == {"armed": False}
    assert namespace["helper"] is original and namespace["double"](3) == {"result": 6}


def test_a_second_fault_replaces_the_first_and_missing_helpers_are_not_armed():
    namespace = make_app()
    original, armed = namespace["helper"], []
    faults.handle(namespace["app"], {"helper": "helper", "exception": "First", "message": "1"}, armed)
    faults.handle(namespace["app"], {"helper": "helper", "exception": "Second", "message": "2"}, armed)
    with pytest.raises(Exception, match="2"):
        namespace["double"](1)
    assert faults.handle(namespace["app"], {"helper": "nope", "exception": "X", "message": ""}, armed) == {"armed": False}
    assert namespace["helper"] is original  # arming anything clears what was armed
    assert faults.route_namespaces(FastAPI()) == []


@pytest.mark.parametrize("message", [
    {"helper": "a b", "exception": "X", "message": ""},
    {"helper": 3, "exception": "X", "message": ""},
    {"helper": "helper", "exception": "not-an-identifier", "message": ""},
    {"helper": "helper", "exception": "X", "message": "x" * 1000},
    {"helper": "helper", "exception": "X"},
])
def test_malformed_requests_are_refused_and_change_nothing(message):
    namespace = make_app()
    original = namespace["helper"]
    assert "error" in faults.handle(namespace["app"], message, [])
    assert namespace["helper"] is original


def test_in_the_sandbox_a_fault_reaches_the_route_and_is_cleared(tmp_path):
    path = tmp_path / "app.py"
    path.write_text(APP)
    with Sandbox(load_submission(path)) as sandbox:
        assert sandbox.start().app == "ok"
        client = SandboxClient(sandbox)
        assert client.fault("helper", "SurpriseFault", "injected")
        reply = client.get("/double/4")
        assert reply.status_code == 500 and b"handled" not in reply.content  # the ValueError handler does not catch it
        assert client.fault("helper", clear=True) is False
        assert client.get("/double/4").json() == {"result": 8}
        assert client.fault("no_such_helper", "X", "y") is False
        assert client.get("/double/5").json() == {"result": 10}


def test_learner_code_that_replaces_the_fault_machinery_earns_nothing(tmp_path):
    solution = (tmp_path / "solution.py")
    from grader.lessons import get_lesson

    lesson = get_lesson("errors")
    solution.write_text((lesson.folder / "solution.py").read_text() + textwrap.dedent('''
        import grader.sandbox.faults as _faults
        _faults.handle = lambda *args: {"armed": False}
    '''))
    report = grade_path(solution, lesson_id="errors")
    assert report.exercise_score == 0
    assert any("Not graded" in note for note in report.notes)


def test_the_in_notebook_self_check_injects_too_and_restores_the_helper():
    bank = read_bank(Path(__file__).parent / "banks" / "04-errors" / "catch_all_zero_division_only.toml")
    namespace: dict = {"__name__": "notebook_under_test"}
    exec(compile(bank.source(), "<cell>", "exec"), namespace)  # noqa: S102 - a bank app, as a notebook runs it
    original = namespace["page_density"]
    results, _ = grade_app("errors", namespace["app"], seed=7)
    failed = {r.name: r.feedback for r in results if not r.passed}
    assert set(failed) == bank.fails
    assert "registered for `Exception` itself" in failed["stats-crash-500-json"]
    assert namespace["page_density"] is original


# -- every style of app: the route walk and the fault reach what FastAPI serves ------------------------------

STYLES = textwrap.dedent('''
    from fastapi import APIRouter, Depends, FastAPI
    from starlette.middleware.cors import CORSMiddleware
    from helpermod import helper as imported_helper

    app = FastAPI()
    inner = APIRouter(prefix="/inner")
    books = APIRouter(prefix="/books", tags=["books"])


    class Scale:  # a class-based dependency that calls the helper
        def __call__(self, x: int) -> int:
            return imported_helper(x)


    def doubled(x: int) -> int:  # a function dependency
        return imported_helper(x)


    @inner.get("/nested/{x}")
    def nested(x: int):
        return {"result": imported_helper(x)}


    @books.get("/{x}")
    def on_router(x: int, value: int = Depends(doubled)):
        return {"result": value}


    @books.get("/class/{x}")
    async def with_class(value: int = Depends(Scale())):
        return {"result": value}


    books.include_router(inner)
    app.include_router(books, prefix="/v1")

    sub = FastAPI()


    @sub.get("/default/{x}")
    def bound_as_default(x: int, make=imported_helper):
        return {"result": make(x)}


    app.mount("/sub", CORSMiddleware(sub, allow_origins=["*"]))


    def added(x: int):
        return {"result": imported_helper(x)}


    app.add_api_route("/added/{x}", added, methods=["GET"])


    @app.api_route("/multi/{x}", methods=["GET", "POST"])
    def multi(x: int):
        return {"result": imported_helper(x)}
''')
STYLE_ROUTES = {
    ("GET", "/v1/books/{x}"),
    ("GET", "/v1/books/class/{x}"),
    ("GET", "/v1/books/inner/nested/{x}"),
    ("GET", "/sub/default/{x}"),
    ("GET", "/added/{x}"),
    ("GET", "/multi/{x}"),
    ("POST", "/multi/{x}"),
}
STYLE_PATHS = ["/v1/books/3", "/v1/books/class/3?x=3", "/v1/books/inner/nested/3", "/sub/default/3", "/added/3", "/multi/3"]


@pytest.fixture
def styles_app(tmp_path, monkeypatch):
    (tmp_path / "helpermod.py").write_text("def helper(x):\n    return x * 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(__import__("sys").modules, "helpermod", raising=False)
    namespace: dict = {"__name__": "styles_under_test"}
    exec(compile(STYLES, "<app>", "exec"), namespace)  # noqa: S102 - our own test app
    return namespace


def test_the_route_walk_sees_routers_nested_routers_mounts_and_added_routes(styles_app):
    from grader.kernel_checks import route_count
    from grader.sandbox import routes

    assert {tuple(row) for row in routes.table(styles_app["app"])} == STYLE_ROUTES
    assert route_count(styles_app["app"]) == 6 and route_count(FastAPI()) == 0  # FastAPI's /docs are not the learner's


def test_the_route_walk_does_not_need_fastapis_own_expansion(styles_app, monkeypatch):
    """Without `iter_route_contexts` (another FastAPI version), an include entry's router is still found by its routes."""
    import fastapi.routing

    from grader.sandbox import routes

    monkeypatch.delattr(fastapi.routing, "iter_route_contexts")
    assert {tuple(row) for row in routes.table(styles_app["app"])} == STYLE_ROUTES


def test_the_route_walk_survives_hostile_route_objects():
    from grader.sandbox import routes

    class Raising:
        @property
        def routes(self):
            raise RuntimeError("no")

    class Loop:
        def __init__(self):
            self.routes = [self]

    app = FastAPI()
    app.router.routes.extend([Raising(), Loop()])

    @app.get("/ok")
    def ok():
        return {}

    assert routes.table(app) == [["GET", "/ok"]]


def test_a_fault_reaches_every_route_however_the_helper_is_bound(styles_app):
    import helpermod
    from starlette.testclient import TestClient

    helper, code, armed = helpermod.helper, helpermod.helper.__code__, []
    client = TestClient(styles_app["app"], raise_server_exceptions=False)
    assert faults.handle(styles_app["app"], {"helper": "imported_helper", "exception": "OddFault", "message": "m"}, armed) == {"armed": True}
    assert helpermod.helper is helper and styles_app["imported_helper"] is helper  # the same object, failing
    for path in STYLE_PATHS:
        assert client.get(path).status_code == 500, path
    faults.handle(styles_app["app"], {"helper": "imported_helper", "clear": True}, armed)
    assert helper.__code__ is code
    for path in STYLE_PATHS:
        assert client.get(path).json() == {"result": 6}, path


def test_the_failing_helper_keeps_what_an_app_can_compare():
    """Identity, names, module, defaults, globals, signature: all the same while armed (only `__code__` differs)."""
    import inspect

    namespace = make_app()
    helper = namespace["helper"]
    seen = (helper.__name__, helper.__qualname__, helper.__module__, helper.__defaults__, helper.__globals__, inspect.signature(helper))
    first_line = helper.__code__.co_firstlineno
    faults.handle(namespace["app"], {"helper": "helper", "exception": "OddFault", "message": "m"}, armed := [])
    assert namespace["helper"] is helper
    assert (helper.__name__, helper.__qualname__, helper.__module__, helper.__defaults__, helper.__globals__, inspect.signature(helper)) == seen
    assert (helper.__code__.co_name, helper.__code__.co_firstlineno, helper.__code__.co_filename) == ("helper", first_line, "<app>")
    with pytest.raises(Exception) as caught:
        helper(1)
    assert caught.traceback[-1].frame.code.name == "helper"  # it raised from the helper's own frame
    faults.handle(namespace["app"], {"helper": "helper", "clear": True}, armed)
    assert helper(2) == 4


def test_framework_functions_are_never_swapped():
    """A learner's name for a function of FastAPI (or the grader, or any installed package) is not a helper to swap."""
    import fastapi.openapi.utils

    namespace: dict = {}
    source = "from fastapi import FastAPI\nfrom fastapi.openapi.utils import get_openapi\napp = FastAPI()\n"
    source += "@app.get('/')\ndef root():\n    return get_openapi(title='t', version='1', routes=[])\n"
    exec(compile(source, "<app>", "exec"), namespace)  # noqa: S102 - our own test app
    code, armed = fastapi.openapi.utils.get_openapi.__code__, []
    assert faults.handle(namespace["app"], {"helper": "get_openapi", "exception": "X", "message": ""}, armed) == {"armed": False}
    assert fastapi.openapi.utils.get_openapi.__code__ is code and armed == []
