import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Hint links in feedback must not depend on the machine running the tests.
os.environ.setdefault("GRADER_DOCS_URL", "http://127.0.0.1:8000/")


@pytest.fixture
def root() -> Path:
    return ROOT


def _load_example(slug: str, name: str):
    """Import `lessons/<slug>/examples/<name>.py` as a fresh module (each test gets new state)."""
    import importlib.util
    import sys

    path = ROOT / "lessons" / slug / "examples" / f"{name}.py"
    module_name = f"example_{slug.replace('-', '_')}_{name}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def load_example():
    return _load_example
