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
