"""Tries to kill its parent process (the warm pool's zygote, or the grader itself).

Refused (Landlock scopes signals), or, in the sandbox's PID namespace, the
parent is not even visible: getppid() is 0, and the code goes on as a starter.
"""
# says: permissionerror|operation not permitted|where to start
import os
import signal

os.kill(os.getppid(), signal.SIGKILL)
# @starter
