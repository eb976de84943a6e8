"""nbformat, imported without the time jsonschema's optional format checkers cost.

jsonschema imports a library per string format it can check when that library
is installed (JupyterLab's dependencies bring most of them): `rfc3987_syntax`
alone builds about 40 Lark parsers at import, 2–4 s of CPU on this course's
2-core machine (python-jsonschema/jsonschema#1428), and the rest (arrow through
`isoduration`, `rfc3986_validator`, `webcolors`, …) add about 0.06 s to every
`grader` command and every kernel whose check cell imports the grader. No
notebook schema uses the `format` keyword, so nbformat's verdicts do not change.
While nbformat, and through it jsonschema, is first imported, those modules are
hidden (a None entry in `sys.modules` makes their import fail, which jsonschema
handles); afterwards anyone may import them.
"""

import sys

_FORMAT_CHECKERS = (
    "rfc3987_syntax",
    "rfc3987",
    "rfc3986_validator",
    "rfc3339_validator",
    "isoduration",
    "uri_template",
    "webcolors",
    "jsonpointer",
    "fqdn",
    "idna",
)

if "jsonschema" in sys.modules:
    import nbformat
else:
    hidden = [name for name in _FORMAT_CHECKERS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import nbformat
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]

__all__ = ["nbformat"]
