"""The seccomp filter: the last thing the worker applies before learner code runs.

It follows Docker's default profile (moby/profiles, seccomp/default.json) as
it applies to a container with no capability, the sandbox's case: every
system call that profile refuses such a container is refused here too, with
EPERM so the app's own error is reported. Written as a denylist (default:
allow), and stricter than Docker in a few places: ptrace, process_vm_readv/
writev and name_to_handle_at are refused, and personality may only be
queried. clone3 gets ENOSYS, as in Docker, so libc falls back to clone,
whose namespace flags can be filtered. System calls of another ABI (x32,
or i386 through int 0x80) are not in the filter and kill the thread. A
denylist lets through system calls newer than this list that an allowlist
would refuse: the README says so.

Through libseccomp (the `pyseccomp` binding), imported by the worker before
it confines itself. Without libseccomp, `unavailable()` says why and the
report carries it.
"""

from __future__ import annotations

import ctypes
import errno
import importlib.util
import sys
from functools import lru_cache

# Docker's default profile refuses these to a container without capabilities (and we refuse a few more,
# see above). Names this architecture or this libseccomp does not know are skipped.
DENIED = (
    # file handles past the mount namespace ("Shocker"), and mounts
    "open_by_handle_at",
    "name_to_handle_at",
    "mount",
    "umount",
    "umount2",
    "mount_setattr",
    "open_tree",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "pivot_root",
    "chroot",
    # namespaces
    "unshare",
    "setns",
    # other processes
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "process_madvise",
    "pidfd_getfd",
    "kcmp",
    # kernel keyrings, BPF, perf, userfaultfd, io_uring
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    # the kernel, modules, the machine
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "create_module",
    "get_kernel_syms",
    "query_module",
    "swapon",
    "swapoff",
    "reboot",
    "acct",
    "quotactl",
    "quotactl_fd",
    "lookup_dcookie",
    "syslog",
    "vhangup",
    "sethostname",
    "setdomainname",
    "fanotify_init",
    "nfsservctl",
    "uselib",
    "ustat",
    "sysfs",
    "_sysctl",
    "iopl",
    "ioperm",
    "vm86",
    "vm86old",
    "lsm_get_self_attr",
    "lsm_set_self_attr",
    "lsm_list_modules",
    # memory policy (Docker: only with CAP_SYS_NICE)
    "mbind",
    "move_pages",
    "migrate_pages",
    "get_mempolicy",
    "set_mempolicy",
    "set_mempolicy_home_node",
    # the clock
    "settimeofday",
    "stime",
    "clock_settime",
    "clock_settime64",
    "adjtimex",
    "clock_adjtime",
    "clock_adjtime64",
    # never implemented on Linux
    "afs_syscall",
    "getpmsg",
    "putpmsg",
    "security",
    "tuxcall",
    "vserver",
)
# clone's flags that create a namespace (Docker's mask 0x7E020000, bit by bit: a rule can test one).
CLONE_NAMESPACE_FLAGS = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000)
AF_VSOCK = 40  # Docker refuses this socket family
PERSONALITY_QUERY = 0xFFFFFFFF


@lru_cache(maxsize=1)
def binding():
    """The pyseccomp module, or None. Imported by the worker before it confines itself (the import
    looks for libseccomp with ldconfig, ~60 ms: the grader process itself never pays it)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import pyseccomp
    except (ImportError, RuntimeError, OSError):  # RuntimeError: the binding found no libseccomp
        return None
    return pyseccomp


@lru_cache(maxsize=1)
def unavailable() -> str:
    """Why no filter can be applied here ("" when it can); cheap, for the grader's report."""
    if not sys.platform.startswith("linux"):
        return "not Linux"
    if importlib.util.find_spec("pyseccomp") is None:
        return "the pyseccomp binding is not installed"
    try:
        ctypes.CDLL("libseccomp.so.2")
    except OSError:
        return "libseccomp is not installed"
    return ""


def build():
    """The filter, not yet loaded (also used by the tests to list what it refuses)."""
    sc = binding()
    assert sc is not None
    eperm = sc.ERRNO(errno.EPERM)
    arch = sc.system_arch()
    flt = sc.SyscallFilter(sc.ALLOW)
    flt.set_attr(sc.Attr.CTL_TSYNC, 1)  # every thread of the process, should one exist already
    flt.set_attr(sc.Attr.ACT_BADARCH, sc.KILL_PROCESS)
    try:  # a binary tree: each allowed call passes ~7 comparisons, not one per denied name (libseccomp >= 2.5)
        flt.set_attr(sc.Attr.CTL_OPTIMIZE, 2)
    except OSError:
        pass

    def rule(action, name, *args) -> None:
        try:
            if sc.resolve_syscall(arch, name) < 0:
                return  # not a system call of this architecture
            flt.add_rule(action, name, *args)
        except OSError:
            return  # a name this libseccomp does not know

    for name in DENIED:
        rule(eperm, name)
    rule(sc.ERRNO(errno.ENOSYS), "clone3")
    for flag in CLONE_NAMESPACE_FLAGS:
        # clone's flags are its first argument on x86_64 and arm64 (s390 swaps them: not supported)
        rule(eperm, "clone", sc.Arg(0, sc.MASKED_EQ, flag, flag))
    rule(eperm, "socket", sc.Arg(0, sc.EQ, AF_VSOCK))
    rule(eperm, "personality", sc.Arg(0, sc.NE, PERSONALITY_QUERY))
    return flt


def apply() -> str:
    """Load the filter into this process (and its future children); "" when done, else why not."""
    if binding() is None:
        return unavailable() or "libseccomp unavailable"
    build().load()  # needs no_new_privs (set by grader.sandbox.privileges) or CAP_SYS_ADMIN
    return ""
