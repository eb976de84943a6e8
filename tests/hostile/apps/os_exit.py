"""Calls os._exit() at import: the worker process is gone."""
# says: exited with code 3
import os

os._exit(3)
