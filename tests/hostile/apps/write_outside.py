"""Writes outside its working directory (a file the grader's test owns, its own folder, the grader's package)."""
# says: where to start
import os
import pathlib

import grader

targets = ["@OUTSIDE@", os.path.join(os.path.dirname(os.path.abspath(grader.__file__)), "pwned.py"), "../escaped.txt", "/tmp/grader-escape-@PORT@.txt"]
wrote = []
for target in targets:
    try:
        pathlib.Path(target).write_text("pwned")
        wrote.append(target)
    except OSError:
        pass

if wrote:
    # @solution
    pass
else:
    # @starter
    pass
