"""Checks: plain functions against a TestClient-like client, one per contract line.

A lesson's `checks.py` declares them with `@check(...)`; they run in file
order against one app process, so a check must not rely on another check's
side effects beyond the seeded state. A check fails by raising `CheckFailed`
(the helpers in `grader.expect` do that with a message that names what was
sent, what was expected and what came back).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field

WORDS = (
    "amber",
    "basalt",
    "cobalt",
    "delta",
    "ember",
    "fjord",
    "garnet",
    "harbor",
    "indigo",
    "juniper",
    "kestrel",
    "lagoon",
    "meadow",
    "nimbus",
    "orchid",
    "pebble",
    "quartz",
    "raven",
    "saffron",
    "tundra",
    "umber",
    "violet",
    "willow",
    "xenon",
    "yarrow",
    "zephyr",
)


class CheckFailed(AssertionError):
    pass


@dataclass(frozen=True)
class Check:
    title: str
    func: Callable
    points: int = 1
    hint: str = ""
    docs: str = ""  # anchor on the lesson's docs page
    name: str = ""

    def __call__(self, client, ctx) -> None:
        self.func(client, ctx)


def check(title: str, *, points: int = 1, hint: str = "", docs: str = "", name: str | None = None):
    """Declare a check. `name` defaults to the function's name (dashes for underscores)."""

    def decorate(func: Callable) -> Check:
        return Check(
            title=title, func=func, points=points, hint=hint, docs=docs, name=name or func.__name__.replace("_", "-")
        )

    return decorate


def collect_checks(module) -> list[Check]:
    checks = [value for value in vars(module).values() if isinstance(value, Check)]
    names = [c.name for c in checks]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"{module.__name__}: duplicate check names {sorted(duplicates)}")
    return checks


@dataclass
class Context:
    """Per-run randomness and canary bookkeeping shared by a lesson's checks."""

    seed: int
    rng: random.Random = field(init=False)
    canaries: dict[str, str] = field(default_factory=dict)  # value -> what it is
    state: dict = field(default_factory=dict)  # for the few checks that share a fixture within a run

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def word(self) -> str:
        return self.rng.choice(WORDS)

    def words(self, n: int = 3) -> str:
        return (
            " ".join(self.word().capitalize() if i == 0 else self.word() for i in range(n))
            + f" {self.rng.randint(2, 999)}"
        )

    def token(self, length: int = 10) -> str:
        return "".join(self.rng.choices(string.ascii_lowercase + string.digits, k=length))

    def name(self) -> str:
        return f"{self.word()}_{self.token(5)}"

    def unknown_id(self) -> int:
        return self.rng.randint(900_000, 9_999_999)

    def secret(self, label: str, prefix: str = "Cn") -> str:
        """A random secret to send; any response that contains it is a leak."""
        value = f"{prefix}-{self.token(16)}"
        self.canaries[value] = label
        return value

    def canary(self, value: str, label: str) -> str:
        """Register a value derived from a secret (e.g. its hash) as a leak marker too."""
        self.canaries[value] = label
        return value
