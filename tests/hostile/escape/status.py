"""An honest app that reports the capability sets, no_new_privs and seccomp mode it runs with."""

# says: where to start
with open("/proc/self/status") as fh:
    for line in fh:
        if line.startswith(("Cap", "NoNewPrivs", "Seccomp:", "Uid")):
            print("status", line.strip().replace("\t", " "))

# @solution
