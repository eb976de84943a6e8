"""Parsing from many threads at once (a batch's workers) never corrupts the interpreter (gh-106905)."""

import ast
import gc
import threading
import time

import pytest

from grader import syntax
from grader.quiz import read_answers

GOOD = "\n".join(f"def f{i}(x):\n    return [((y + 1) * (y - 2)) for y in range(x) if y % 2 == {i}]" for i in range(100))
GOOD += '\nQUIZ_ANSWERS = {1: "b", 2: "a"}\n'
BAD = GOOD + "def broken(:\n"


def let_other_threads_run(phase, info):
    # The collector runs in the middle of ast.parse's tree building; switching threads there
    # is what lets two parses interleave (without the lock, this fails on CPython 3.11 nearly every run).
    time.sleep(0)


def test_parses_in_many_threads_at_once_then_again():
    failures: list[BaseException] = []

    def parse_many(source: str) -> None:
        for _ in range(6):
            try:
                syntax.parse(source)
                assert read_answers(source)[0] == {1: "b", 2: "a"}
            except SyntaxError:
                assert source is BAD
                assert read_answers(source) == ({}, [])
            except BaseException as exc:  # noqa: BLE001 - the SystemError this test exists for
                failures.append(exc)

    def stdlib_parses() -> None:
        # Code we do not control parses too (3.11's traceback module, to underline an error): these
        # may fail themselves, but must not make ours fail.
        for _ in range(6):
            try:
                ast.parse(GOOD)
            except SystemError:
                pass

    thresholds = gc.get_threshold()
    gc.callbacks.append(let_other_threads_run)
    gc.set_threshold(100, 5, 5)
    try:
        threads = [threading.Thread(target=parse_many, args=(BAD if i % 3 == 0 else GOOD,)) for i in range(6)]
        threads += [threading.Thread(target=stdlib_parses) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        gc.callbacks.remove(let_other_threads_run)
        gc.set_threshold(*thresholds)
    assert not failures, failures[:3]
    assert read_answers(GOOD)[0] == {1: "b", 2: "a"}
    with pytest.raises(SyntaxError):
        syntax.parse(BAD)
    assert syntax.parse("x = 1").body
