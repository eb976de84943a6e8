"""Recurses without end at import (RecursionError)."""
# says: recursionerror


def down(n):
    return down(n + 1)


down(0)
# @starter
