"""Closes every file descriptor above 2, the grader's channel included."""
# says: stopped answering|exited with|crashed|could not be loaded
import os

os.closerange(3, 1024)
# @starter
