"""Mount, PID and IPC namespaces: the learner's code sees an empty machine with a Python in it.

`enter` is called by the worker before learner code runs. It unshares a PID,
mount and IPC namespace (as root directly; otherwise inside a new user
namespace, where the kernel allows one) and forks: the child is PID 1 of the
new PID namespace and goes on to run the learner's code; the original process
only waits for it and exits the same way, so the grader still sees one
process. The child then builds a new root on a tmpfs (size= and nr_inodes=
bound the bytes and files the code can write, and it vanishes with the
namespace), bind-mounts read-only exactly what `grader.sandbox.view` lists,
mounts a /proc of its own PID namespace, and pivots into it. So:

- no host path outside the view exists, sockets included (a PostgreSQL
  socket in /var/run or /tmp is not there to connect to);
- /proc lists only the sandbox's processes;
- SysV IPC objects live in the sandbox's IPC namespace and die with it;
- when PID 1 dies, the kernel kills every process of the namespace, whatever
  its state (a zombie leader with live threads included).

Stdlib and ctypes only (Python 3.11 has no os.unshare): the worker imports
it before any learner code runs.
"""

from __future__ import annotations

import ctypes
import os
import platform
import signal
import sys
from functools import lru_cache

from grader.sandbox import landlock, view

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = (
    0x20000,
    0x08000000,
    0x10000000,
    0x20000000,
    0x40000000,
)
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MS_NOATIME, MS_NODIRATIME = 1024, 2048
MNT_DETACH = 2
PR_SET_PDEATHSIG = 1
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}.get(platform.machine())


class Unavailable(OSError):
    """The kernel or our privileges allow no such namespaces here."""

    applied: dict[str, str | int]  # set by `enter` when it raises after entering some


@lru_cache(maxsize=1)
def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source, target, fstype, flags, data=None) -> None:
    enc = lambda s: s.encode() if isinstance(s, str) else s  # noqa: E731
    _check(_libc().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {target}")


_watch_fd = -1  # the child's end of a pipe the waiting parent holds open: EOF means the parent died


def enter(workdir: str, uid: int | None, disk_bytes: int, disk_files: int, network: bool) -> dict:
    """Enter the namespaces and fork; returns (in the child only) what was applied.

    `uid`: the uid the code will run as (chown the working directory to it);
    `network`: also unshare the network (when not done already). Raises
    Unavailable when the namespaces cannot be had; its `applied` says what
    was entered all the same (a network namespace, say), and the mounts are
    undone, so the caller can go on with its other confinements.
    """
    global _watch_fd
    if not sys.platform.startswith("linux") or SYS_PIVOT_ROOT is None:
        raise Unavailable("not Linux on x86_64 or aarch64")
    libc = _libc()
    flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | (CLONE_NEWNET if network else 0)
    user = os.geteuid() != 0
    real_uid, real_gid = os.getuid(), os.getgid()
    if libc.unshare(flags | (CLONE_NEWUSER if user else 0)) != 0:
        raise Unavailable(ctypes.get_errno(), "unshare: " + os.strerror(ctypes.get_errno()))
    applied: dict[str, str | int] = {"namespaces": "user+pid+mount+ipc" if user else "pid+mount+ipc"}
    if network:
        applied["network"] = "user+net" if user else "net"
    try:
        if user:  # map ourselves, so files keep their owner
            for name, text in (
                ("setgroups", "deny"),
                ("uid_map", f"{real_uid} {real_uid} 1"),
                ("gid_map", f"{real_gid} {real_gid} 1"),
            ):
                with open(f"/proc/self/{name}", "w") as fh:
                    fh.write(text)
        _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing we mount propagates to the host
        _build_root(workdir, uid, disk_bytes, disk_files)
    except OSError as exc:
        libc.umount2(workdir.encode(), MNT_DETACH)
        error = Unavailable(f"building the sandbox's root: {exc}")
        error.applied = {k: v for k, v in applied.items() if k == "network"}
        raise error from None
    applied["host_pid"] = os.getpid()
    watch_r, watch_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()  # PID 1 of the new PID namespace
    if child:
        os.close(watch_r)
        _wait_and_mirror(child, keep=watch_w)
    os.close(watch_w)
    _watch_fd = watch_r
    rearm()
    try:
        _mount("proc", workdir + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)  # shows this PID namespace
        _pivot(workdir)
    except OSError as exc:  # the binds worked, so this should not happen; never run learner code half-confined
        print(f"grader sandbox: confinement failed: {exc}", file=sys.stderr, flush=True)
        os._exit(71)
    return applied


def rearm() -> None:
    """Die with the waiting parent (again: a uid change clears the setting); exit now if it is gone."""
    if _watch_fd < 0:
        return
    _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    os.set_blocking(_watch_fd, False)
    try:
        gone = os.read(_watch_fd, 1) == b""
    except BlockingIOError:
        gone = False
    if gone:
        os._exit(0)


def _wait_and_mirror(child: int, keep: int) -> None:
    """The parent's whole remaining life: hold nothing the sandbox uses, wait, exit as the child did."""
    os.closerange(3, keep)
    os.closerange(keep + 1, 1 << 16)  # the channel must close when the child dies
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(70)
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
    os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 70)


def _build_root(workdir: str, uid: int | None, disk_bytes: int, disk_files: int) -> None:
    """A tmpfs over the working directory (any folder serves; the host's copy is untouched),
    holding the view read-only and the writable folders: the sandbox's root to be."""
    new = workdir
    _mount("grader", new, "tmpfs", MS_NOSUID | MS_NODEV, f"size={disk_bytes},nr_inodes={disk_files},mode=755")
    seen = view.visible()
    for folder in seen.folders:
        _bind(folder, new + folder, directory=True)
    for path in seen.masked:
        if os.path.isdir(new + path):
            _mount("grader", new + path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,nr_inodes=1,mode=0")
    for link in view.SYSTEM + tuple(f"/etc/{name}" for name in view.ETC):
        if os.path.islink(link):
            _folders(os.path.dirname(new + link))
            os.symlink(os.readlink(link), new + link)
        elif link.startswith("/etc/") and os.path.isfile(link):
            _bind(link, new + link, directory=False)
    for device in view.DEVICES:
        if os.path.exists(device):
            _bind(device, new + device, directory=False, read_only=False)
    # Only the working directory is writable (TMPDIR points there), as without namespaces.
    _folders(os.path.dirname(new + workdir))
    os.makedirs(new + workdir, mode=0o700, exist_ok=True)
    if uid is not None:
        os.chown(new + workdir, uid, uid)
    os.makedirs(new + "/proc", exist_ok=True)
    os.makedirs(new + "/.old")


def _pivot(new: str) -> None:
    _check(_libc().syscall(SYS_PIVOT_ROOT, new.encode(), (new + "/.old").encode()), "pivot_root")
    os.chdir("/")
    _check(_libc().umount2(b"/.old", MNT_DETACH), "umount the old root")
    os.rmdir("/.old")
    os.chdir(new)


def _folders(path: str) -> None:
    """Make `path` and its missing parents in the new root, 0755 whatever the umask: the host's
    folders above a bind (say /root, 0700, above a pyenv runtime) are not there, only ours, so the
    sandbox's uid reaches the runtime without any capability."""
    if os.path.isdir(path):
        return
    _folders(os.path.dirname(path))
    os.mkdir(path)
    os.chmod(path, 0o755)


def _bind(source: str, target: str, directory: bool, read_only: bool = True) -> None:
    """Bind `source` at `target`; read-only by a remount only where Landlock cannot forbid writes
    (the remount costs milliseconds on some filesystems, and Landlock already refuses them)."""
    if directory:
        _folders(target)
    else:
        _folders(os.path.dirname(target))
        open(target, "ab").close()
    _mount(source, target, None, MS_BIND | MS_REC)
    if read_only and landlock.abi_version() < 1:
        # A remount must repeat the flags a user namespace locked (nosuid, nodev, noexec, atime).
        kept = os.statvfs(target).f_flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME)
        try:
            _mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | kept)
        except OSError:
            pass  # still read-only to the learner: Landlock and file ownership forbid writes


def probe() -> str:
    """Can this process have the sandbox's namespaces? "" if so, else why not (tried in a throwaway child)."""
    if not sys.platform.startswith("linux") or SYS_PIVOT_ROOT is None:
        return "not Linux on x86_64 or aarch64"
    libc = _libc()
    flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | (CLONE_NEWUSER if os.geteuid() != 0 else 0)
    child = os.fork()
    if child == 0:
        ok = libc.unshare(flags) == 0 and libc.mount(None, b"/", None, ctypes.c_ulong(MS_REC | MS_PRIVATE), None) == 0
        ok = ok and libc.mount(b"grader", b"/tmp", b"tmpfs", ctypes.c_ulong(0), b"size=4k") == 0
        os._exit(0 if ok else 1)
    _, status = os.waitpid(child, 0)
    if status == 0:
        return ""
    return "as root" if os.geteuid() == 0 else "unprivileged user namespaces are off"
