"""Benchmark: `grader batch` against `nbgrader autograde` on the same class of notebooks.

Builds a throwaway nbgrader course whose source notebooks are our solution
notebooks, releases it with `nbgrader generate_assignment`, and hands in, for
every lesson, STUDENTS notebooks: solved copies, untouched releases and wrong
variants (the last route missing, one quiz answer wrong). Then it grades that
`submitted/` tree twice in one run, with `grader batch` and with `nbgrader
autograde`, sampling each one's process tree for memory, and prints per-
notebook time, throughput, peak memory and the ratio nbgrader / ours. It also
times single `grader check` runs (a fresh CLI each) and reports the largest
sandbox worker seen.

    .venv/bin/python benchmarks/grade_batch.py                 # 20 students x every lesson
    .venv/bin/python benchmarks/grade_batch.py --students 40 --jobs 2
    .venv/bin/python benchmarks/grade_batch.py --skip-nbgrader  # ours only
    .venv/bin/python benchmarks/grade_batch.py --skip-nbgrader --lessons 1 2 3 4 5  # these lessons only
    .venv/bin/python benchmarks/grade_batch.py --skip-nbgrader --local-cluster 1 2  # and through Dask clusters
    .venv/bin/python benchmarks/grade_batch.py --skip-nbgrader --scheduler tcp://HOST:8786

`--local-cluster N` starts a `dask scheduler` and N `dask worker` processes
here (127.0.0.1, each `--nworkers 1 --nthreads` two per core) and grades the
same class through them after the local batch; `--scheduler` uses a running
cluster. A cluster run reports the coordinator's CPU per notebook apart from
the workers' (for a local cluster), and projects the time 10^5 submissions
would take on 8 machines like this one.

Memory is PSS (proportional set size) from /proc/<pid>/smaps_rollup, so pages
the warm pool's forked workers share are not counted once per worker.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the classroom tests' notebook variants

from classroom import variants  # noqa: E402

from grader.build_notebooks import CODE_STUB  # noqa: E402
from grader.lessons import all_lessons  # noqa: E402

BIN = Path(sys.executable).parent
CONFIG = """\
c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "benchmark"
c.Exchange.root = {exchange!r}
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
c.ExecutePreprocessor.timeout = 300
"""


# -- memory sampling -----------------------------------------------------------


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                parent = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


class TreeMemory(threading.Thread):
    """Samples the PSS of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_total_kb = 0
        self.peak_one_kb = 0  # the largest single descendant (a worker, a kernel)
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            tree = _children()
            pids, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo.extend(tree.get(pid, []))
            sizes = {pid: _pss_kb(pid) for pid in pids}
            self.peak_total_kb = max(self.peak_total_kb, sum(sizes.values()))
            self.peak_one_kb = max([self.peak_one_kb] + [kb for pid, kb in sizes.items() if pid != self.pid])
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


@dataclass
class Run:
    tool: str
    notebooks: int
    seconds: float
    peak_total_mb: float
    peak_one_mb: float
    cpu_seconds: float
    extra: dict = field(default_factory=dict)

    @property
    def per_notebook_ms(self) -> float:
        return 1000 * self.seconds / self.notebooks

    @property
    def throughput(self) -> float:
        return self.notebooks / self.seconds


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Done(subprocess.CompletedProcess):
    """A finished command with the CPU seconds its process tree used."""

    cpu: float = 0.0


def timed(command: list[str], cwd: Path, env: dict) -> tuple[float, TreeMemory, Done]:
    """Wall time; the process tree's memory; its CPU time (every reaped descendant) in `done.cpu`."""
    cpu = _children_cpu()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(process.pid)
    memory.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    memory.stop()
    done = Done(command, process.returncode, out, err)
    done.cpu = _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{out[-2000:]}\n{err[-2000:]}")
    return seconds, memory, done


def tree_cpu_seconds(pids: list[int]) -> float:
    """CPU time of these processes and their descendants, live ones and the ones they reaped (/proc/<pid>/stat)."""
    tree, seen, total = _children(), set(), 0.0
    todo = list(pids)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        except (OSError, ValueError):
            pass
        todo.extend(tree.get(pid, []))
    return total / os.sysconf("SC_CLK_TCK")


class DaskProcesses:
    """A scheduler and `workers` workers on 127.0.0.1, started with the venv's `dask` CLI as on separate machines."""

    def __init__(self, workers: int, folder: Path):
        self.folder = folder
        self.processes: list[subprocess.Popen] = []
        info = folder / "scheduler.json"
        self._start(
            ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(info)],
            "scheduler",
        )
        deadline = time.monotonic() + 120
        while not (info.exists() and info.stat().st_size):
            if time.monotonic() > deadline:
                raise SystemExit("the dask scheduler did not start")
            time.sleep(0.1)
        self.address = json.loads(info.read_text())["address"]
        threads = 2 * (os.cpu_count() or 1)
        for i in range(workers):
            self._start(
                [
                    "worker",
                    self.address,
                    "--host",
                    "127.0.0.1",
                    "--nworkers",
                    "1",
                    "--nthreads",
                    str(threads),
                    "--no-dashboard",
                ],
                f"worker{i}",
            )
        from distributed import Client

        with Client(self.address, timeout=120, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=300)

    def _start(self, args: list[str], name: str) -> None:
        with (self.folder / f"{name}.log").open("wb") as log:
            self.processes.append(
                subprocess.Popen(
                    [str(BIN / "dask"), *args], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )
            )

    def worker_cpu_seconds(self) -> float:
        return tree_cpu_seconds([p.pid for p in self.processes[1:]])

    def close(self) -> None:
        for process in reversed(self.processes):
            try:
                os.killpg(process.pid, 9)
            except ProcessLookupError:
                pass
            process.wait()


# -- the class -----------------------------------------------------------------


_only: set[int] = set()  # --lessons


def chosen_lessons():
    return [lesson for lesson in all_lessons() if not _only or lesson.number in _only]


def build_course(root: Path, students: int, exchange: Path, solved_only: bool = False) -> dict[str, str]:
    """The course with every chosen lesson released and `students` hand-ins per lesson; returns student -> kind."""
    (root / "nbgrader_config.py").write_text(CONFIG.format(root=str(root), exchange=str(exchange), stub=CODE_STUB))
    lessons = chosen_lessons()
    for lesson in lessons:
        source = root / "source" / lesson.slug
        source.mkdir(parents=True)
        shutil.copy(variants.solution_path(lesson), source / f"{lesson.slug}.ipynb")
    nbgrader(root, "generate_assignment", "*", "--force")
    kinds = {}
    for i in range(students):
        # Mostly solved notebooks (a class near the deadline), some untouched, some wrong.
        kind = "solved" if solved_only else "untouched" if i % 5 == 3 else "wrong" if i % 5 == 4 else "solved"
        student = f"s{i:03d}-{kind}"
        kinds[student] = kind
        for lesson in lessons:
            release = variants.read(root / "release" / lesson.slug / f"{lesson.slug}.ipynb")
            solution = variants.read(variants.solution_path(lesson))
            if kind == "solved":
                nb = variants.solved(release, solution)
            elif kind == "untouched":
                nb = release
            else:
                nb = variants.wrong(release, solution, lesson)
            variants.write(nb, root / "submitted" / student / lesson.slug / f"{lesson.slug}.ipynb")
    return kinds


def tool_env() -> dict:
    # nbgrader runs `alembic` and the kernel from PATH: this venv first.
    return dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=tool_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"nbgrader {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done


# -- the runs ------------------------------------------------------------------


def run_ours(
    course: Path,
    notebooks: int,
    jobs: int | None,
    scheduler: str | None = None,
    label: str = "grader batch",
    cluster: DaskProcesses | None = None,
) -> Run:
    db = course / "ours.db"
    command = [str(BIN / "grader"), "batch", str(course / "submitted"), "--db", str(db), "--json", "--regrade"]
    if jobs:
        command += ["--jobs", str(jobs)]
    if scheduler:
        command += ["--scheduler", scheduler]
    workers_before = cluster.worker_cpu_seconds() if cluster else 0.0
    seconds, memory, done = timed(command, course, tool_env())
    workers_cpu = cluster.worker_cpu_seconds() - workers_before if cluster else None
    fixed_cpu = 0.0
    if scheduler:
        # The same command again, everything skipped: the coordinator's fixed cost (start-up, connecting, discovery).
        fixed_cpu = timed([c for c in command if c != "--regrade"], course, tool_env())[2].cpu
    summary = json.loads(done.stdout)
    outcomes = summary["outcomes"]
    if len(outcomes) != notebooks:
        raise SystemExit(f"grader batch graded {len(outcomes)} of {notebooks} notebooks: {summary['counts']}")
    full = sum(1 for o in outcomes if o["score"] == o["max_score"])
    return Run(
        label,
        notebooks,
        seconds,
        memory.peak_total_kb / 1024,
        memory.peak_one_kb / 1024,
        done.cpu,
        {"full marks": full, "counts": summary["counts"], "workers cpu": workers_cpu, "fixed cpu": fixed_cpu},
    )


def run_nbgrader(course: Path, notebooks: int) -> Run:
    seconds, memory, done = timed([str(BIN / "nbgrader"), "autograde", "*", "--force"], course, tool_env())
    graded = len(list((course / "autograded").glob("*/*/*.ipynb")))
    if graded != notebooks:
        raise SystemExit(f"nbgrader autograded {graded} of {notebooks} notebooks")
    return Run(
        "nbgrader autograde", notebooks, seconds, memory.peak_total_kb / 1024, memory.peak_one_kb / 1024, done.cpu
    )


def time_checks(times: int) -> tuple[list[float], list[float], float]:
    """Wall and CPU time of `grader check` (a fresh CLI each time) on each lesson's solution, and the largest worker."""
    walls, cpus, worker_mb = [], [], 0.0
    lessons = chosen_lessons()
    for i in range(times):
        lesson = lessons[i % len(lessons)]
        seconds, memory, done = timed(
            [str(BIN / "grader"), "check", str(ROOT / "solutions" / f"{lesson.slug}.ipynb"), "--json"], ROOT, tool_env()
        )
        report = json.loads(done.stdout)
        if report["score"] != report["max_score"]:
            raise SystemExit(f"grader check {lesson.slug}: {report['score']}/{report['max_score']}")
        walls.append(seconds)
        cpus.append(done.cpu)
        worker_mb = max(worker_mb, memory.peak_one_kb / 1024)
    return walls, cpus, worker_mb


def project(run: Run, cores: int, submissions: int = 10**5, machines: int = 8) -> None:
    """What grading `submissions` on `machines` machines of `cores` cores would take, from this run's CPU per notebook."""
    worker_ms = 1000 * run.extra["workers cpu"] / run.notebooks
    coordinator_ms = 1000 * (run.cpu_seconds - run.extra["fixed cpu"]) / run.notebooks
    workers_rate = machines * cores * 1000 / worker_ms  # notebooks/s with every worker core busy
    coordinator_rate = 1000 / coordinator_ms  # the coordinator commits one result at a time, on one core at best
    rate = min(workers_rate, coordinator_rate)
    print(
        f"{run.tool}: workers {worker_ms:.0f} ms CPU per notebook, coordinator {coordinator_ms:.1f} ms "
        f"(+ {run.extra['fixed cpu']:.1f} s once); "
        f"{submissions:.0e} submissions on {machines} machines of {cores} cores: {workers_rate:.0f} nb/s for the workers, "
        f"{coordinator_rate:.0f} nb/s for one coordinator: about {submissions / rate / 60:.0f} min "
        f"({'coordinator' if coordinator_rate < workers_rate else 'workers'}-bound)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--students", type=int, default=20, help="hand-ins per lesson (3/5 solved, 1/5 untouched, 1/5 wrong)"
    )
    parser.add_argument("--jobs", type=int, default=None, help="grader batch --jobs [default: its own default]")
    parser.add_argument("--checks", type=int, default=6, help="single `grader check` runs to time")
    parser.add_argument(
        "--solved-only", action="store_true", help="hand in only solved notebooks (the throughput target's case)"
    )
    parser.add_argument("--skip-nbgrader", action="store_true", help="time ours only")
    parser.add_argument("--keep", type=Path, default=None, help="build the course here and keep it")
    parser.add_argument("--scheduler", default=None, help="also grade through the Dask cluster at this address")
    parser.add_argument(
        "--local-cluster",
        type=int,
        nargs="+",
        default=[],
        metavar="N",
        help="also grade through a cluster of N dask workers started here (one run per N)",
    )
    parser.add_argument(
        "--lessons",
        type=int,
        nargs="+",
        default=[],
        metavar="N",
        help="only these lesson numbers (e.g. 1 2 3 4 5: a workload that stays the same when one lesson's app changes)",
    )
    args = parser.parse_args(argv)
    _only.update(args.lessons)

    work = args.keep or Path(tempfile.mkdtemp(prefix="grader-bench-"))
    try:
        course = work / "course"
        course.mkdir(parents=True, exist_ok=True)
        exchange = work / "exchange"
        exchange.mkdir(exist_ok=True)
        print(f"Building the class in {course} ...", flush=True)
        build_course(course, args.students, exchange, args.solved_only)
        notebooks = len(list((course / "submitted").glob("*/*/*.ipynb")))
        print(
            f"{notebooks} notebooks: {args.students} hand-ins x {len(chosen_lessons())} lessons; {os.cpu_count()} cores",
            flush=True,
        )

        runs = [run_ours(course, notebooks, args.jobs)]
        print(f"  grader batch done: {runs[0].seconds:.1f} s", flush=True)
        for size in args.local_cluster:
            (work / f"cluster{size}").mkdir(exist_ok=True)
            cluster = DaskProcesses(size, work / f"cluster{size}")
            try:
                runs.append(run_ours(course, notebooks, args.jobs, cluster.address, f"cluster of {size}", cluster))
            finally:
                cluster.close()
            print(f"  {runs[-1].tool} done: {runs[-1].seconds:.1f} s", flush=True)
        if args.scheduler:
            runs.append(run_ours(course, notebooks, args.jobs, args.scheduler, "cluster (--scheduler)"))
            print(f"  {runs[-1].tool} done: {runs[-1].seconds:.1f} s", flush=True)
        if not args.skip_nbgrader:
            runs.append(run_nbgrader(course, notebooks))
            print(f"  nbgrader autograde done: {runs[1].seconds:.1f} s", flush=True)
        walls, cpus, worker_mb = time_checks(args.checks)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    cores = os.cpu_count() or 1
    print(f"\nload average during the run: {os.getloadavg()[0]:.1f} on {cores} cores")
    print(
        f"{'tool':<20} {'notebooks':>9} {'wall s':>7} {'ms/notebook':>11} {'notebooks/s':>11} {'CPU s':>7} "
        f"{'CPU ms/nb':>9} {'nb/s on idle cores*':>19} {'peak MB (tree)':>14} {'largest child MB':>16}"
    )
    for run in runs:
        print(
            f"{run.tool:<20} {run.notebooks:>9} {run.seconds:>7.1f} {run.per_notebook_ms:>11.0f} {run.throughput:>11.2f} "
            f"{run.cpu_seconds:>7.1f} {1000 * run.cpu_seconds / run.notebooks:>9.0f} "
            f"{cores * run.notebooks / run.cpu_seconds:>19.1f} {run.peak_total_mb:>14.0f} {run.peak_one_mb:>16.0f}"
        )
    print(
        f"* {cores} cores / CPU time per notebook: the rate when nothing else runs (the wall figures include other load)."
    )
    print("  For a cluster run, CPU s is the coordinator's alone (`grader batch`); the workers' is below.")
    for run in runs:
        if run.extra.get("workers cpu") is not None:
            project(run, cores)
    ours = runs[0]
    print(f"\ngrader batch: {ours.extra['full marks']} notebooks with full marks; outcomes {ours.extra['counts']}")
    nbgrader_run = next((run for run in runs if run.tool == "nbgrader autograde"), None)
    if nbgrader_run:
        print(
            f"ratio nbgrader / ours: wall time {nbgrader_run.seconds / ours.seconds:.1f}x, CPU time {nbgrader_run.cpu_seconds / ours.cpu_seconds:.1f}x"
        )
    if walls:  # --checks 0 times none
        print(
            f"grader check (fresh CLI, solution notebooks): wall median {statistics.median(walls):.2f} s, max {max(walls):.2f} s; "
            f"CPU median {statistics.median(cpus):.2f} s over {len(walls)} runs; largest sandbox process {worker_mb:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
