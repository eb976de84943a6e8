"""Tries to kill its parent process (the warm pool's zygote, or the grader itself)."""
# says: permissionerror|operation not permitted
import os
import signal

os.kill(os.getppid(), signal.SIGKILL)
# @starter
