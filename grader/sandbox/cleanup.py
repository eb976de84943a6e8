"""Delete a sandbox's temporary folder whatever the learner's code left in it.

`shutil.rmtree` recurses (a 3000-deep tree raises RecursionError on Python
3.11) and gives up on folders the code made unreadable. The fallback here
never goes deeper than one level: it moves each sub-folder it meets up to
the top, makes folders searchable before reading them, and uses descriptors
relative to their folder, so neither depth nor path length matters.
"""

from __future__ import annotations

import itertools
import os
import shutil
import stat


def remove_tree(path: str | os.PathLike) -> bool:
    """Delete `path` and everything below it; True when nothing is left. Never raises."""
    path = os.fspath(path)
    try:
        shutil.rmtree(path)
        return True
    except FileNotFoundError:
        return True
    except (OSError, RecursionError):
        pass
    try:
        _flatten_and_remove(path)
    except OSError:
        pass
    return not os.path.lexists(path)


def _flatten_and_remove(path: str) -> None:
    os.chmod(path, stat.S_IRWXU)
    top = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    fresh = (f".cleanup-{n}" for n in itertools.count())
    try:
        while True:
            names = os.listdir(top)
            if not names:
                break
            for name in names:
                try:
                    os.unlink(name, dir_fd=top)
                    continue
                except (IsADirectoryError, PermissionError):
                    pass
                os.chmod(name, stat.S_IRWXU, dir_fd=top, follow_symlinks=False)
                folder = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=top)
                try:
                    for inner in os.listdir(folder):
                        try:
                            os.unlink(inner, dir_fd=folder)
                        except (IsADirectoryError, PermissionError):
                            os.rename(inner, next(fresh), src_dir_fd=folder, dst_dir_fd=top)
                finally:
                    os.close(folder)
                os.rmdir(name, dir_fd=top)
    finally:
        os.close(top)
    os.rmdir(path)
