"""Benchmark: one `grader check` of a solution notebook, as a learner runs it (a fresh CLI each time).

Prints the median and spread of the wall time and of the CPU time of the
whole process tree (the CLI, the warm pool's zygote it starts, the sandbox
worker), over N runs. With --importtime it also prints the CLI's slowest
imports (`python -X importtime`), where a cold start spends its time.

    .venv/bin/python benchmarks/check_speed.py                      # 10 runs of lesson 01
    .venv/bin/python benchmarks/check_speed.py --runs 20 --notebook solutions/05-validation.ipynb
    .venv/bin/python benchmarks/check_speed.py --importtime
    .venv/bin/python benchmarks/check_speed.py --compare /work/main   # this checkout and another, alternating
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_check(checkout: Path, notebook: Path) -> tuple[float, float]:
    """Wall and CPU seconds (the whole tree, waited for) of one `grader check --json` of `checkout`."""
    python = checkout / ".venv" / "bin" / "python"
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(python) if python.exists() else sys.executable, "-m", "grader", "check", str(notebook), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=checkout,
    )
    out = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    report = json.loads(out)
    if status != 0 or report["score"] != report["max_score"]:
        raise SystemExit(f"grader check {notebook.name}: {report.get('score')}/{report.get('max_score')}")
    # ru_* of wait4 covers the CLI and every descendant it waited for (the zygote and its workers included).
    return wall, usage.ru_utime + usage.ru_stime


def import_profile(top: int) -> None:
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import grader.cli"], capture_output=True, text=True, cwd=ROOT
    )
    rows: list[tuple[int, str]] = []
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, microseconds, module = line.split("|")
            rows.append((int(microseconds), module.rstrip()))
    print(f"slowest imports of grader.cli (cumulative, µs), {top} of {len(rows)}:")
    for spent, name in sorted(rows, reverse=True)[:top]:
        print(f"  {spent:>8} {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--notebook", type=Path, default=ROOT / "solutions" / "01-status-codes.ipynb")
    parser.add_argument("--importtime", action="store_true", help="also list the CLI's slowest imports")
    parser.add_argument(
        "--compare", type=Path, help="another checkout (with its .venv) to time in alternation, e.g. main's"
    )
    args = parser.parse_args()
    checkouts = [ROOT] + ([args.compare.resolve()] if args.compare else [])
    for checkout in checkouts:
        one_check(checkout, args.notebook)  # warms the disk cache; not counted
    figures: dict[Path, list[tuple[float, float]]] = {c: [] for c in checkouts}
    for _ in range(args.runs):  # alternating, so that a change in the machine's load hits both alike
        for checkout in checkouts:
            figures[checkout].append(one_check(checkout, args.notebook))
    for checkout in checkouts:
        show(checkout, args.notebook, args.runs, figures[checkout])
    if args.importtime:
        import_profile(25)


def show(checkout: Path, notebook: Path, runs: int, figures: list[tuple[float, float]]) -> None:
    walls, cpus = zip(*figures, strict=True)
    print(
        f"{checkout}: grader check {notebook.name}, {runs} runs: "
        f"wall median {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f}); "
        f"CPU median {statistics.median(cpus):.2f} s (min {min(cpus):.2f}, max {max(cpus):.2f}); "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
