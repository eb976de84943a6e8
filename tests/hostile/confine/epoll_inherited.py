"""Registers every inherited descriptor in every inherited epoll instance (the warm pool's included).

An inherited descriptor the zygote also holds (its wake-up pipe, always
writable) stays registered after this worker dies: the zygote's epoll would
report it for ever, and the zygote spin.
"""
# says: where to start
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
EPOLL_CTL_ADD, EPOLLIN, EPOLLOUT = 1, 1, 4


class Event(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("events", ctypes.c_uint32), ("data", ctypes.c_uint64)]


registered = []
for fd in range(3, 256):
    for target in range(0, 256):
        if target != fd:
            event = Event(EPOLLIN | EPOLLOUT, 4242)
            if libc.epoll_ctl(fd, EPOLL_CTL_ADD, target, ctypes.byref(event)) == 0:
                registered.append(fd)
print("registered in", sorted(set(registered)))
# @starter
