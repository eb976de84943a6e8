"""Checks' side of fault injection: a crash no handler for one specific type can catch.

`crash(client, ctx, helper)` makes the app's module-level `helper` raise an
exception of a class made up for this run (a random name, deriving from
`Exception` only) while the block runs, then restores it. It yields None when
the app has no such helper to replace; a check then keeps only what it did
without. The worker is not trusted to say what happened: the check judges the
HTTP response, and a route that did not call the helper through its module
simply answers as usual (the check can tell, and falls back).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from grader.unescape import shown_by_reply

CATCH_ALL_ADVICE = (
    "a catch-all handler must be registered for `Exception` itself "
    "(`@app.exception_handler(Exception)`), not only for the exception types seen in testing"
)


@dataclass(frozen=True)
class Fault:
    helper: str
    exception: str  # the made-up class name
    message: str

    def describe(self) -> str:
        return f"`{self.helper}` raised an exception of a type the app could not know in advance (`{self.exception}`)"

    def shown_by(self, reply) -> list[str]:
        """What of the fault the response shows (its class name, its message), decoded."""
        return shown_by_reply(reply, (self.exception, self.message))


@contextmanager
def crash(client, ctx, helper: str) -> Iterator[Fault | None]:
    fault = Fault(
        helper=helper,
        exception=f"{ctx.word().capitalize()}{ctx.word().capitalize()}{ctx.token(6).capitalize()}Fault",
        message=f"injected fault {ctx.token(12)}",
    )
    if not client.fault(helper, fault.exception, fault.message):
        yield None
        return
    try:
        yield fault
    finally:
        client.fault(helper, clear=True)
