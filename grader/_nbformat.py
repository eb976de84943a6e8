"""nbformat, imported without the seconds jsonschema's optional IRI checker costs.

jsonschema imports `rfc3987_syntax` when it is installed (JupyterLab's
dependencies bring it), and that module builds about 40 Lark parsers at
import: 2–4 s of CPU on this course's 2-core machine, paid by every `grader`
command and by every kernel whose check cell imports the grader
(python-jsonschema/jsonschema#1428). No notebook schema uses the `iri`
formats it checks. So while nbformat, and through it jsonschema, is first
imported, that module is hidden (a None entry in `sys.modules` makes its
import fail, which jsonschema handles); afterwards anyone may import it.
"""

import sys

_SLOW = "rfc3987_syntax"

if "jsonschema" in sys.modules or _SLOW in sys.modules:
    import nbformat
else:
    sys.modules[_SLOW] = None  # type: ignore[assignment]
    try:
        import nbformat
    finally:
        if _SLOW in sys.modules and sys.modules[_SLOW] is None:
            del sys.modules[_SLOW]

__all__ = ["nbformat"]
