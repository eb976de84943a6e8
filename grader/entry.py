"""The `grader` command's entry point: starts the sandbox's zygote before the CLI's own imports.

The zygote (`grader.sandbox.pool`) spends about 0.6 s importing FastAPI; the CLI
spends as long importing typer, rich and the grading pipeline. Started here, before
either, the two overlap instead of running one after the other.
"""

from __future__ import annotations

import sys


def grades_here(argv: list[str]) -> bool:
    """Commands that grade in this process; a batch on a cluster grades on its workers."""
    command = argv[1:2]
    if command in (["check"], ["hint"]):
        return True
    return command == ["batch"] and not any(a.startswith("--scheduler") for a in argv)


def main() -> None:
    if grades_here(sys.argv):
        from grader.sandbox import pool

        pool.warm()
    from grader.cli import main as cli_main

    cli_main()
