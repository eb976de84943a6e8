"""Text no database takes as it is (a lone surrogate, a NUL), stored through a Gradebook and read back."""

from __future__ import annotations

from grader.classroom.gradebook import UNUSABLE, Gradebook, Outcome

ODD = "\udcff\x00\x1b[2J" + "é" * 10  # UnicodeEncodeError in any UTF-8 driver; PostgreSQL refuses NUL
STORED = "\\udcff\\x00\\x1b[2J" + "é" * 10


def round_trip(book: Gradebook) -> None:
    """Two students whose long odd ids differ only at the end, with odd reasons and reports."""
    with book:
        book.record(Outcome("s\udcfe" + "x" * 300, "/class/\udcff" + "p" * 2000, "", UNUSABLE, reason=ODD * 500, report={"notes": [ODD], ODD: 1}))
        book.record(Outcome("s\udcfe" + "x" * 301, "/class/\udcff" + "p" * 2000, "", UNUSABLE, reason=ODD))
        rows = book.results()
    assert len(rows) == 2  # cut to fit their columns, they stay two
    for row in rows:
        assert len(row.student) <= 200 and len(row.source) <= 1000
        assert STORED in row.reason and "\x00" not in row.reason
    (first,) = [r for r in rows if r.report]
    assert first.report_json == {"notes": [STORED], STORED: 1}
    assert "(cut, " in first.reason
