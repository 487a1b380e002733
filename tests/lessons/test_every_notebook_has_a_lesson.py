"""The one-module-per-notebook rule: every notebook has its lesson module and its test module, and back."""
from pathlib import Path

import importlib

from stepviz.lessons import LESSONS

from .prose import NOTEBOOKS

HERE = Path(__file__).resolve().parent


def _lesson_names():
    return [p.stem.split("_", 1)[1] for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))]


def test_each_notebook_has_a_lesson_module_and_a_test_module():
    names = _lesson_names()
    assert names and sorted(names) == sorted(LESSONS)
    for name in names:
        assert (HERE / f"test_{name}.py").is_file(), f"tests/lessons/test_{name}.py is missing"


def test_every_lesson_module_imports_and_exports_its_names():
    for name in LESSONS:
        module = importlib.import_module(f"stepviz.lessons.{name}")
        assert module.__all__ and all(hasattr(module, n) for n in module.__all__)
