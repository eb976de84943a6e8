"""Dereferences a null pointer: SIGSEGV."""
# says: died from sigsegv
import ctypes

ctypes.string_at(0)
