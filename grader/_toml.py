"""tomllib on 3.11+, the tomli backport before; and `read`, which parses a file once while it is unchanged."""

import os
import pickle
import sys
import threading
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

load = tomllib.load
loads = tomllib.loads
TOMLDecodeError = tomllib.TOMLDecodeError

# Every grading reads the lessons' metadata and a quiz: parsing them each time was a tenth of the
# grader's own CPU per notebook. Keyed by what `stat` says, so an edited file is parsed again; a
# pickled copy is handed out, so a caller that changes its dict changes no one else's.
_cache: dict[str, tuple[tuple[int, int, int], bytes]] = {}
_lock = threading.Lock()


def read(path: Path | str) -> dict:
    """`tomllib.load` of the file at `path` (raises OSError / TOMLDecodeError as it does)."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        key, stamp = str(Path(path).resolve()), (st.st_mtime_ns, st.st_size, st.st_ino)
        with _lock:
            hit = _cache.get(key)
        if hit is not None and hit[0] == stamp:
            return pickle.loads(hit[1])
        data = tomllib.load(fh)
    with _lock:
        _cache[key] = (stamp, pickle.dumps(data))
    return data
