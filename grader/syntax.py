"""The one way the grader parses Python source: `ast.parse`, never interleaved with another parse.

CPython 3.11 keeps the AST constructor's recursion depth in interpreter-wide
state (gh-106905): when a thread switch lands in the middle of building one
parse tree and another thread builds one meanwhile, `ast.parse` raises
"SystemError: AST constructor recursion depth mismatch". A batch grades in
threads, and the standard library parses too (3.11's traceback module does,
to underline errors). So our parses take a lock, and pause the garbage
collector while they run: it is the only thing that runs Python code (and so
can switch threads) in the middle of building a tree, so ours is built in one
go whatever other threads do. Parses are milliseconds.
"""

from __future__ import annotations

import ast
import gc
import threading

_lock = threading.Lock()


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """`ast.parse(source)`, built without a thread switch; raises SyntaxError as it does."""
    with _lock:
        collecting = gc.isenabled()
        gc.disable()
        try:
            return ast.parse(source, filename)
        finally:
            if collecting:
                gc.enable()
