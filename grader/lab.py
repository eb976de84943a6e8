"""JupyterLab on the exercises (`make lab`, or `python -m grader.lab` without make).

Served on 127.0.0.1 only. Saving keeps the notebook metadata the course ships:
JupyterLab writes the running kernel's `language_info` (with this machine's
Python version) into every notebook it opens and autosaves it, so a learner who
only looked would see `git status` changes. The version differs between
machines, so no shipped value can match it; the save hook puts the shipped one back.

    python -m grader.lab [JUPYTER LAB OPTIONS...]
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# What the generated notebooks carry (grader/build_notebooks.py) and every save restores.
LANGUAGE_INFO = {"name": "python"}
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def keep_shipped_metadata(model: dict, **kwargs) -> None:
    """Jupyter server pre-save hook: a Python notebook's language_info goes back to the shipped one."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    metadata = model["content"].get("metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("language_info"), dict):
        if metadata["language_info"].get("name") == LANGUAGE_INFO["name"]:
            metadata["language_info"] = dict(LANGUAGE_INFO)


def command(root: Path, extra: list[str] | None = None) -> list[str]:
    args = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={root}",
        "--ContentsManager.pre_save_hook=grader.lab.keep_shipped_metadata",
    ]
    if hasattr(os, "getuid") and os.getuid() == 0:
        args.append("--ServerApp.allow_root=True")  # Jupyter refuses root unless told: containers often run as root
    return args + list(extra or [])


def main(argv: list[str] | None = None) -> int:
    from grader.workspace import exercises_dir

    args = command(exercises_dir(), sys.argv[1:] if argv is None else argv)
    if os.name == "posix":
        # Become JupyterLab: a signal meant for the server (Ctrl-C, a test's terminate()) reaches it, and no orphan is left.
        os.execv(args[0], args)
    server = subprocess.Popen(args)  # Windows: exec would start a new process anyway
    while True:
        try:
            return server.wait()
        except KeyboardInterrupt:
            continue  # Ctrl-C reaches JupyterLab too, which asks before it stops


if __name__ == "__main__":
    sys.exit(main())
