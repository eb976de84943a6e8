"""Grader for the FastAPI response-contract course.

Kept import-light on purpose: the sandbox worker (`grader.sandbox.worker`) is started
as `python -m grader.sandbox.worker`, which imports this package first.
"""

__version__ = "0.1.0"
