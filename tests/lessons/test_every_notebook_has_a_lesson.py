"""The one-module-per-notebook rule: every notebook has its lesson module and its test module, and back."""
from pathlib import Path

from stepviz.lessons import LESSONS, lesson

from .prose import NOTEBOOKS

HERE = Path(__file__).resolve().parent


def _lesson_names():
    return [p.stem.split("_", 1)[1] for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))]


def test_each_notebook_has_a_lesson_module_and_a_test_module():
    names = _lesson_names()
    assert names and sorted(names) == sorted(LESSONS)
    for name in names:
        assert (HERE / f"test_{name}.py").is_file(), f"tests/lessons/test_{name}.py is missing"


def test_lesson_finds_a_module_by_notebook_name():
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        module = lesson(path.name)
        assert module.__name__.endswith(path.stem.split("_", 1)[1])
