"""Raises the recursion limit and recurses until the C stack overflows."""
# says: died from|recursionerror|memoryerror|did not finish loading
import sys

sys.setrecursionlimit(10**7)


def down(n):
    return down(n + 1)


down(0)
