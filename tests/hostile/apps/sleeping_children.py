"""Leaves sleeping children behind: a plain one, one in a new session, and a double-forked daemon."""
# says: where to start
import os
import subprocess

# @starter

subprocess.Popen(["sleep", "@SLEEP@"])
subprocess.Popen(["sleep", "@SLEEP@"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/bin/sleep", ["sleep", "@SLEEP@"])
    os._exit(0)
