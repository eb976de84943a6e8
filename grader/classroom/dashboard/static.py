"""`grader dashboard --html OUT/`: the same pages as files, with the downloads and assets beside them."""

from __future__ import annotations

import shutil
from pathlib import Path

from grader.classroom.dashboard.pages import DOWNLOADS, STATIC, Site


def write_site(site: Site, out: Path) -> list[Path]:
    """Write every page, `static/` and `export/` under `out`; returns the pages written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in site.page_names():
        html = site.page(name)
        assert html is not None  # page_names lists only pages that exist
        path = out / name
        path.write_text(html, encoding="utf-8")
        written.append(path)
    shutil.copytree(STATIC, out / "static", dirs_exist_ok=True)
    (out / "export").mkdir(exist_ok=True)
    for name in DOWNLOADS:
        body = site.download(name)
        assert body is not None
        (out / "export" / name).write_bytes(body)
    return written
