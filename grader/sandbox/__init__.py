"""The trust boundary: everything that runs or confines learner code.

- `runner`: the grader's side; starts a worker, talks to it, kills it.
- `pool`: the warm zygote that forks one worker per submission.
- `worker`: the child that confines itself, runs the learner's cells and
  answers requests.
- `landlock`: the kernel's Landlock rules the worker applies to itself.
- `privileges`: the uid switch and the end of every capability.
- `seccomp`: the system call filter, applied last before learner code.
- `channel`: the framed socket protocol between the two sides.
- `asgi`: the driver that calls the learner's ASGI app as TestClient would.
- `integrity`: the tamper fingerprint taken inside the worker.

Kept import-light: the worker imports this package before it confines itself.
Nothing outside this folder runs learner code.
"""
