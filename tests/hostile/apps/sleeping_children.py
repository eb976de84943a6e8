"""Leaves sleeping children behind: a plain one, one in a new session, and a double-forked daemon."""
# says: where to start
import os
import subprocess

# @starter

subprocess.Popen(["sleep", "4242.4242"])
subprocess.Popen(["sleep", "4242.4242"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/bin/sleep", ["sleep", "4242.4242"])
    os._exit(0)
