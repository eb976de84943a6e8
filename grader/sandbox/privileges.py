"""Learner code holds no capability: every set empty, the bounding set cleared, securebits locked.

Called by the worker after the namespaces are entered and before Landlock and
seccomp. The order matters: clearing the bounding set and locking the
securebits need CAP_SETPCAP, the uid switch needs CAP_SETUID/CAP_SETGID, so
those come first and the capability sets are emptied last. With
SECBIT_NO_SETUID_FIXUP the uid switch keeps the sets as they are, so the
final capset is what empties them (checked, not assumed), and the locked bits
mean no later execve of a setuid program or uid change can give any back.
`PR_SET_NO_NEW_PRIVS` also stops setuid/file-capability programs.

As a normal user without a user namespace there is nothing to empty but the
bounding set, which then cannot be cleared (it needs CAP_SETPCAP): `drop`
says so, and no_new_privs still means no program can raise a capability.
Stdlib and ctypes only: the worker imports it before learner code runs.
"""

from __future__ import annotations

import ctypes
import os
import sys
from functools import lru_cache

PR_CAPBSET_DROP = 24
PR_SET_SECUREBITS = 28
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
# SECBIT_NOROOT, NO_SETUID_FIXUP and NO_CAP_AMBIENT_RAISE set, KEEP_CAPS clear, all four locked.
SECUREBITS = (1 << 0 | 1 << 1) | (1 << 2 | 1 << 3) | (1 << 5) | (1 << 6 | 1 << 7)
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


@lru_cache(maxsize=1)
def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _last_cap() -> int:
    try:
        with open("/proc/sys/kernel/cap_last_cap") as fh:
            return int(fh.read())
    except (OSError, ValueError):
        return 63  # dropping a capability the kernel does not know fails harmlessly


def drop(uid: int | None) -> str:
    """Switch to `uid` (when given; needs root) and give up every capability.

    Returns "" when every set, the bounding set included, is empty, else what
    is weaker. Raises OSError when a step that must succeed fails: learner
    code never runs with a capability we meant to drop.
    """
    if not sys.platform.startswith("linux"):  # no capability sets, prctl or /proc: a plain uid switch
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
        return "not Linux: a uid switch only"
    libc = _libc()
    weaker = ""
    cleared = all(libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0 for cap in range(_last_cap() + 1))
    locked = libc.prctl(PR_SET_SECUREBITS, SECUREBITS, 0, 0, 0) == 0
    if not (cleared and locked):
        weaker = "the bounding set and securebits stay as they are (no privilege to change them)"
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    empty = (_CapData * 2)()
    if libc.capset(ctypes.byref(_CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)), empty) != 0:
        raise OSError(ctypes.get_errno(), "capset: cannot empty the capability sets")
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    left = held()
    if left:
        raise OSError(1, f"capabilities still held: {left}")
    return weaker


def held() -> dict[str, int]:
    """The non-zero capability sets of this process, from /proc/self/status (CapBnd aside)."""
    found = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("CapInh", "CapPrm", "CapEff", "CapAmb") and int(value, 16):
                found[key] = int(value, 16)
    return found
