"""The sandbox child: runs a learner's code and hosts its app under TestClient.

Started by `grader.sandbox` as `python -I -m grader.sandbox.worker FD` in its own
process group, or forked from the warm pool (`grader.sandbox.pool`). It reads a launch
spec from the channel, confines itself (limits, an empty network namespace, a
uid of its own when started as root, Landlock), runs the cells, then answers
request messages with status, headers and body. Nothing here decides a score:
the checks run in the grader process. It does watch for tampering: learner
code that replaces the machinery between the app and the channel is reported.
"""

from __future__ import annotations

import asyncio
import base64
import ctypes
import os
import signal
import socket
import sys
import time
import traceback
import types
from typing import Any

from grader.sandbox import faults, integrity, landlock, namespaces, privileges, probe, routes, seccomp, view
from grader.sandbox.asgi import Driver
from grader.sandbox.channel import Channel, ChannelClosed

MODULE_NAME = "learner_app"
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
PR_SET_PDEATHSIG = 1
# Started as root, each sandbox runs as uid UID_BASE + its pid: unique among live
# sandboxes, so RLIMIT_NPROC bounds each one alone and the grader can find (and
# kill) every process it left, even those that left its session.
UID_BASE = 1_000_000
# Imported before the learner's code so that the tamper fingerprint covers them.
PRELOAD = (
    "fastapi",
    "fastapi.responses",
    "fastapi.encoders",
    "fastapi.exceptions",
    "pydantic",
    "anyio",
    "anyio._backends._asyncio",
)
# Imported only for a submission whose code names them, before it runs: the capstone's SQLAlchemy costs
# ~0.35 s of CPU per submission that imports it itself, and as much for every `grader check` of another
# lesson were the zygote to import it up front. The zygote imports it once, for the first submission that needs it.
ON_DEMAND = {"sqlalchemy": ("sqlalchemy", "sqlalchemy.orm", "sqlalchemy.pool", "sqlalchemy.dialects.sqlite")}


def wanted(code: str) -> list[str]:
    """The ON_DEMAND groups `code` names."""
    return [name for name in ON_DEMAND if name in code]


def preload_extra(names: list[str]) -> None:
    import importlib

    for name in names:
        for module in ON_DEMAND.get(name, ()):
            importlib.import_module(module)


def sandbox_uid(pid: int) -> int:
    return UID_BASE + pid


def kill_uid(uid: int, passes: int = 200) -> None:
    """SIGKILL every process of `uid` until none is left (a fork bomb's children fork while we look)."""
    for _ in range(passes):
        found = False
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/status", "rb") as fh:
                    status = fh.read()
            except OSError:
                continue
            if not _status_uid_is(status, uid) or b"\nState:\tZ" in status:
                continue
            found = True
            try:
                os.kill(int(entry.name), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if not found:
            return
        time.sleep(0.002)


def _status_uid_is(status: bytes, uid: int) -> bool:
    start = status.find(b"\nUid:\t")
    if start < 0:
        return False
    fields = status[start + 6 : status.find(b"\n", start + 6)].split()
    return bool(fields) and fields[0] == str(uid).encode()


def preload() -> None:
    """Import the framework and push one request through it, once per process.

    Libraries finish setting themselves up on first use (anyio patches its own
    classes, for one); after this the tamper fingerprint is stable, and the
    learner's first request is as fast as the others.
    """
    global _preloaded
    if _preloaded:
        return
    import importlib
    import warnings

    warnings.simplefilter("ignore")
    for name in PRELOAD:
        importlib.import_module(name)
    seccomp.binding()  # finds and loads libseccomp while the whole disk is still in view
    exec(compile(_WARM_UP, "<grader warm-up>", "exec"), {})  # noqa: S102 - our own code, not the learner's
    _preloaded = True


_preloaded = False
_baseline: tuple | None = None  # a fingerprint taken once by the warm pool's zygote, inherited by its children
_zygote_network = ""  # the network namespace the zygote entered for its children ("" when none)


def prepare_zygote() -> None:
    """Preload, fingerprint, and freeze the heap: each forked worker then starts with no setup to do."""
    global _baseline, _zygote_network
    import gc

    if os.geteuid() == 0:  # as root a network namespace needs no user namespace, so the children can share one
        _zygote_network = isolate_network()
    preload()
    view.readable()  # computed once here, inherited by every worker
    _baseline = integrity.fingerprint()
    gc.collect()
    gc.freeze()  # the children's garbage collector leaves these pages shared


_WARM_UP = """
from fastapi import FastAPI
from pydantic import BaseModel
from grader.sandbox.asgi import Driver

class Item(BaseModel):
    name: str

app = FastAPI()

@app.post("/items", status_code=201)
def create(item: Item) -> Item:
    return item

@app.get("/items")
async def items() -> list[Item]:
    return []

driver = Driver(app)
driver.startup()
driver.request("POST", "/items", {"content-type": "application/json"}, b'{"name": "x"}')
driver.request("POST", "/items", {}, b"")
driver.request("GET", "/items", {}, b"")
app.openapi()
driver.loop.close()
"""


def apply_limits(limits: dict) -> None:
    """Memory and output-file limits on this process; its children inherit them."""
    import resource  # POSIX only: Windows workers run without these limits (runner.REDUCED_NOTE)

    memory = limits.get("memory_bytes")
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    output = limits.get("output_bytes")
    if output:
        # Writing past the limit fails with EFBIG instead of killing the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (output, output))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def isolate_network() -> str:
    """Enter a new, empty network namespace (Linux): "net", "user+net", or "" when impossible."""
    if not sys.platform.startswith("linux"):
        return ""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return ""
    if libc.unshare(CLONE_NEWNET) == 0:
        return "net"
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return ""
    try:  # map ourselves so files keep their owner
        with open("/proc/self/setgroups", "w") as fh:
            fh.write("deny")
        with open("/proc/self/uid_map", "w") as fh:
            fh.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as fh:
            fh.write(f"{gid} {gid} 1")
    except OSError:
        pass
    return "user+net"


def _tasks_of(uid: int) -> int:
    """Processes and threads that `uid` runs now (what RLIMIT_NPROC counts)."""
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/status", "rb") as fh:
                    status = fh.read()
            except OSError:
                continue
            if _status_uid_is(status, uid):
                threads = status.split(b"\nThreads:\t", 1)
                count += int(threads[1].split(b"\n", 1)[0]) if len(threads) == 2 else 1
    return count


def confine(spec: dict) -> dict:
    """Everything that must hold before learner code runs; returns what was applied.

    With namespaces (as root, or in a user namespace) this forks: the caller
    goes on in the child, PID 1 of the sandbox's PID namespace, in a root that
    holds only what `grader.sandbox.view` lists (see `grader.sandbox.namespaces`).
    """
    limits = spec.get("limits", {})
    applied: dict = {}
    if sys.platform == "win32":
        return applied  # no rlimits, namespaces, uids or Landlock there: the grader says so in the report
    import resource

    apply_limits(limits)
    workdir = spec.get("workdir") or os.getcwd()
    own_uid = os.geteuid() == 0 and limits.get("drop_privileges", True)
    uid = sandbox_uid(os.getpid()) if own_uid else None  # the pid the grader sees, before any PID namespace
    network = spec.get("isolate_network", True)
    if limits.get("namespaces", True):
        try:
            applied.update(
                namespaces.enter(
                    workdir,
                    uid,
                    limits.get("disk_bytes", 64 << 20),
                    limits.get("disk_files", 4096),
                    network and not _zygote_network,
                )
            )
        except OSError as exc:
            applied.update(getattr(exc, "applied", {}), namespaces="", namespaces_error=str(exc))
    if network and "network" not in applied:
        # The warm pool's zygote entered an empty namespace once for all its children.
        applied["network"] = _zygote_network or isolate_network()
    if uid is not None and not applied.get("namespaces"):
        os.chown(workdir, uid, uid)
    # No capability from here on, the uid switch included (grader.sandbox.privileges says why in that order).
    applied["capabilities"] = privileges.drop(uid) or "none"
    if uid is not None:
        applied["uid"] = uid
    if applied.get("namespaces"):
        namespaces.rearm()  # a uid change clears the parent-death signal
    elif _parent is not None and uid is not None:
        die_with_parent(_parent)
    processes = limits.get("max_processes")
    if processes:
        # RLIMIT_NPROC counts every task of the uid (in its user namespace). With a uid or user
        # namespace of our own that is just the sandbox; otherwise allow what the user already runs.
        own = (
            uid is not None or applied.get("network") == "user+net" or applied.get("namespaces", "").startswith("user")
        )
        allowed = processes if own else _tasks_of(os.getuid()) + processes
        _, hard = resource.getrlimit(resource.RLIMIT_NPROC)
        if hard != resource.RLIM_INFINITY:
            allowed = min(allowed, hard)
        resource.setrlimit(resource.RLIMIT_NPROC, (allowed, allowed))  # hard too: learner code may not raise it
        applied["max_processes"] = allowed
    if applied.get("namespaces"):
        # The new root holds only the view, its masked paths hidden by mounts: a few rules cover it,
        # and /proc is the sandbox's own PID namespace's.
        seen = view.visible()
        readable = [*seen.folders, *seen.files, "/proc"]
    else:
        folders, files = view.readable()  # the masked paths carved out, entry by entry
        readable = folders + files
    applied["landlock"] = landlock.restrict([workdir, "/dev/null"], readable)
    return applied


def _cell_error(number: int, exc: BaseException) -> dict:
    filename = f"<cell {number}>"
    line = getattr(exc, "lineno", None) if isinstance(exc, SyntaxError) else None
    if line is None:
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename == filename:
                line = lineno
    message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
    return {"cell": number, "line": line, "type": type(exc).__name__, "message": message[:500]}


def run_cells(cells: list[dict], namespace: dict) -> list[dict]:
    errors = []
    for cell in cells:
        number = cell["number"]
        try:
            code = compile(cell["source"], f"<cell {number}>", "exec")
            exec(code, namespace)
        except SystemExit as exc:
            errors.append(
                {
                    "cell": number,
                    "line": None,
                    "type": "SystemExit",
                    "message": f"sys.exit({exc.code!r}) stops nothing here",
                }
            )
        except BaseException as exc:  # noqa: BLE001 - learner code may raise anything
            errors.append(_cell_error(number, exc))
    return errors


def _display(*args, **kwargs):
    """Stand-in for IPython's display(): the sandbox has no front end."""


def load_app(spec: dict) -> tuple[Any, dict]:  # Any: the learner's app, used duck-typed
    module = types.ModuleType(MODULE_NAME)
    module.__dict__["display"] = _display
    sys.modules[MODULE_NAME] = module
    sys.path.extend(spec.get("sys_path", []))
    errors = run_cells(spec["cells"], module.__dict__)
    report: dict = {"op": "loaded", "cell_errors": errors}
    app = module.__dict__.get("app")
    if app is None:
        report["app"] = "missing"
    elif not callable(app):
        report["app"] = "not_asgi"
        report["app_type"] = type(app).__name__
    else:
        report["app"] = "ok"
        # The same walk as the notebook's check cell (grader.sandbox.routes), for the same verdict.
        report["route_count"], report["routes"] = routes.count(app), routes.table(app)
    if "QUIZ_ANSWERS" in module.__dict__:
        answers = module.__dict__["QUIZ_ANSWERS"]
        if isinstance(answers, dict):
            report["quiz_answers"] = {str(k): v for k, v in answers.items() if isinstance(v, str) and len(v) < 20}
    return app, report


def serve(channel: Channel, spec: dict) -> None:
    preload()  # before confining: the imports need files the sandbox does not show
    preload_extra(wanted("\n".join(str(cell.get("source", "")) for cell in spec.get("cells", []))))
    confine(spec)
    # Captured before learner code runs: patching module attributes later does not reach these.
    send, recv, changes = channel.send, channel.recv, integrity.changes
    changes_code = changes.__code__  # a swapped __code__ would change the captured function too
    b64encode, b64decode, getrusage = base64.b64encode, base64.b64decode, _getrusage()
    handle_fault, armed_faults = faults.handle, list[tuple]()
    watch_count, seed_record = probe.counter, probe.seed
    loop = asyncio.new_event_loop()
    before = _baseline or integrity.fingerprint()
    transport = integrity.transport_modules(before)

    seccomp.apply()  # the very last step: learner code runs next (without libseccomp the report says so)
    app, report = load_app(spec)
    tampered = changes(before, None) if changes.__code__ is changes_code else ["grader.sandbox.integrity.changes"]
    if tampered:
        report.update(app="tampered", error=_tamper_message(tampered))
    if report["app"] != "ok":
        send(report)
        return
    driver = Driver(app, loop)
    try:
        driver.startup()
    except BaseException as exc:  # noqa: BLE001
        report["app"] = "lifespan_failed"
        report["error"] = f"{type(exc).__name__}: {exc}"[:500]
        send(report)
        return
    send(report)
    max_body = spec.get("limits", {}).get("max_body_bytes", 4 * 1024 * 1024)
    while True:
        try:
            message = recv()
        except ChannelClosed:
            return
        op = message.get("op")
        if op == "close":
            return
        reply: dict = {"id": message.get("id")}
        try:
            if op == "request":
                watch = watch_count(app, message["watch"]) if message.get("watch") else None
                status, headers, body = driver.request(
                    str(message["method"]),
                    str(message["url"]),
                    message.get("headers") or {},
                    b64decode(message.get("body") or ""),
                    watch,
                )
                reply.update(
                    status=status,
                    headers=[list(pair) for pair in headers],
                    body=b64encode(body[:max_body]).decode(),
                    truncated=len(body) > max_body,
                    watched=driver.watched,
                )
            elif op == "openapi":
                reply["document"] = app.openapi()
            elif op == "fault":
                reply.update(handle_fault(app, message, armed_faults))
            elif op == "seed":
                reply.update(seed_record(app, message))
            elif op == "verify":
                if getrusage is not None:
                    usage = getrusage()
                    reply.update(peak_rss_kb=usage.ru_maxrss, cpu_seconds=usage.ru_utime + usage.ru_stime)
            else:
                reply["error"] = f"unknown op {op!r}"
        except BaseException as exc:  # noqa: BLE001
            reply = {"id": message.get("id"), "error": f"{type(exc).__name__}: {exc}"[:500]}
        if changes.__code__ is not changes_code:
            tampered = ["grader.sandbox.integrity.changes"]
        else:
            tampered = changes(before, None if op == "verify" else transport)
        if tampered:
            reply = {"id": message.get("id"), "tampered": _tamper_message(tampered)}
        try:
            send(reply)
        except (TypeError, ValueError) as exc:  # e.g. an OpenAPI document that is not JSON
            send({"id": message.get("id"), "error": f"{type(exc).__name__}: {exc}"[:500]})


def _getrusage():
    """This process's resource usage function (None on Windows), bound before learner code runs."""
    try:
        import resource
    except ImportError:
        return None
    getrusage, who = resource.getrusage, resource.RUSAGE_SELF  # bound now: learner code may patch the module
    return lambda: getrusage(who)


def _tamper_message(names: list[str]) -> str:
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return f"the code replaced parts of the grading machinery ({shown})"


def run(sock: socket.socket) -> None:
    """Read the spec from the channel and serve; never returns (skips the learner's atexit hooks and threads)."""
    code = 0
    try:
        channel = Channel(sock)
        serve(channel, channel.recv())
    except ChannelClosed:
        pass
    except BaseException:  # noqa: BLE001 - a grader bug (or a confinement failure) shows in the output
        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL us when our parent (the grader, or the pool's zygote) dies.

    A killed batch must leave no spinning worker. Changing uid clears the
    setting, so `confine` arms it again.
    """
    global _parent
    _parent = parent
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)


_parent: int | None = None


def main() -> None:
    die_with_parent(int(os.environ.get("GRADER_PARENT_PID") or os.getppid()))
    if sys.argv[1] == "--connect":  # Windows: no inherited socket (grader/sandbox/connect.py)
        from grader.sandbox.connect import connect_back

        run(connect_back())
    run(socket.socket(fileno=int(sys.argv[1])))


if __name__ == "__main__":
    # Run as `grader.sandbox.worker`, not `__main__`: the module learner code can reach is then the one at work.
    from grader.sandbox import worker as _worker

    _worker.main()
