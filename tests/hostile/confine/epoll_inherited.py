"""Registers an always-ready descriptor in every inherited epoll instance (the warm pool's included)."""
# says: where to start
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
EPOLL_CTL_ADD, EPOLLIN, EPOLLOUT = 1, 1, 4


class Event(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("events", ctypes.c_uint32), ("data", ctypes.c_uint64)]


ready_r, ready_w = os.pipe()
os.write(ready_w, b"x")  # readable for ever
registered = []
for fd in range(3, 1024):
    if fd in (ready_r, ready_w):
        continue
    for target in (ready_r, ready_w):
        event = Event(EPOLLIN | EPOLLOUT, 4242)
        if libc.epoll_ctl(fd, EPOLL_CTL_ADD, target, ctypes.byref(event)) == 0:
            registered.append(fd)
print("registered in", sorted(set(registered)))
# @starter
