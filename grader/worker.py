"""The sandbox child: runs a learner's code and hosts its app under TestClient.

Started by `grader.sandbox` as `python -I -m grader.worker FD` in its own
process group. It reads a launch spec from the channel on FD, applies its own
limits (so a later warm pool can fork and call `serve()` directly), runs the
cells, then answers request messages with status, headers and body. Nothing
here decides a score: the checks run in the grader process.
"""

from __future__ import annotations

import base64
import ctypes
import os
import resource
import signal
import socket
import sys
import traceback
import types

from grader.channel import Channel, ChannelClosed

MODULE_NAME = "learner_app"
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
PR_SET_PDEATHSIG = 1


def apply_limits(limits: dict) -> None:
    """Memory and output-file limits on this process; its children inherit them."""
    memory = limits.get("memory_bytes")
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    output = limits.get("output_bytes")
    if output:
        # Writing past the limit fails with EFBIG instead of killing the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (output, output))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def isolate_network() -> bool:
    """Enter a new, empty network namespace (Linux); quietly do nothing elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    if libc.unshare(CLONE_NEWNET) == 0:
        return True
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return False
    try:  # map ourselves so files keep their owner
        with open("/proc/self/setgroups", "w") as fh:
            fh.write("deny")
        with open("/proc/self/uid_map", "w") as fh:
            fh.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as fh:
            fh.write(f"{gid} {gid} 1")
    except OSError:
        pass
    return True


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
            errors.append({"cell": number, "line": None, "type": "SystemExit", "message": f"sys.exit({exc.code!r}) stops nothing here"})
        except BaseException as exc:  # noqa: BLE001 - learner code may raise anything
            errors.append(_cell_error(number, exc))
    return errors


def _display(*args, **kwargs):
    """Stand-in for IPython's display(): the sandbox has no front end."""


def load_app(spec: dict) -> tuple[object, dict]:
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
        routes = getattr(app, "routes", None) or []
        report["route_count"] = sum(1 for r in routes if type(r).__name__ == "APIRoute")
    if "QUIZ_ANSWERS" in module.__dict__:
        answers = module.__dict__["QUIZ_ANSWERS"]
        if isinstance(answers, dict):
            report["quiz_answers"] = {str(k): v for k, v in answers.items() if isinstance(v, str) and len(v) < 20}
    return app, report


def serve(channel: Channel, spec: dict) -> None:
    apply_limits(spec.get("limits", {}))
    if spec.get("isolate_network", True):
        isolate_network()
    import warnings

    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

    app, report = load_app(spec)
    if report["app"] != "ok":
        channel.send(report)
        return
    client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
    try:
        client.__enter__()  # runs the app's lifespan startup
    except BaseException as exc:  # noqa: BLE001
        report["app"] = "lifespan_failed"
        report["error"] = f"{type(exc).__name__}: {exc}"[:500]
        channel.send(report)
        return
    channel.send(report)
    max_body = spec.get("limits", {}).get("max_body_bytes", 4 * 1024 * 1024)
    while True:
        try:
            message = channel.recv()
        except ChannelClosed:
            return
        op = message.get("op")
        if op == "close":
            return
        reply: dict = {"id": message.get("id")}
        try:
            if op == "request":
                reply.update(_request(client, message, max_body))
            elif op == "openapi":
                reply["document"] = app.openapi()
            else:
                reply["error"] = f"unknown op {op!r}"
        except BaseException as exc:  # noqa: BLE001
            reply["error"] = f"{type(exc).__name__}: {exc}"[:500]
        try:
            channel.send(reply)
        except (TypeError, ValueError) as exc:  # e.g. an OpenAPI document that is not JSON
            channel.send({"id": message.get("id"), "error": f"{type(exc).__name__}: {exc}"[:500]})


def _request(client, message: dict, max_body: int) -> dict:
    response = client.request(
        message["method"],
        message["url"],
        headers=message.get("headers") or {},
        content=base64.b64decode(message.get("body") or ""),
    )
    body = response.content
    return {
        "status": response.status_code,
        "headers": [[k, v] for k, v in response.headers.multi_items()],
        "body": base64.b64encode(body[:max_body]).decode(),
        "truncated": len(body) > max_body,
    }


def die_with_parent() -> None:
    """Ask Linux to SIGKILL us when the grader dies (a killed batch must leave no spinning worker)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return
    parent = int(os.environ.get("GRADER_PARENT_PID") or os.getppid())
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the grader died before prctl took effect
        os._exit(0)


def main() -> None:
    die_with_parent()
    fd = int(sys.argv[1])
    channel = Channel(socket.socket(fileno=fd))
    spec = channel.recv()
    try:
        serve(channel, spec)
    finally:
        os._exit(0)  # skip atexit hooks and thread joins the learner's code may have left


if __name__ == "__main__":
    main()
