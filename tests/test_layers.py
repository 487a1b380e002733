"""The import contract: stepviz's layers import only downward (import-linter, configured in pyproject.toml)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    """Run the contract of ``root``/pyproject.toml on the stepviz package under ``root``."""
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"], cwd=root,
                          env={"PATH": str(LINT.parent), "PYTHONPATH": str(root)}, capture_output=True, text=True)


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """A scratch copy of the package and its contract, to break on purpose."""
    root = tmp_path_factory.mktemp("layers")
    shutil.copytree(REPO / "stepviz", root / "stepviz", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_package_keeps_its_layers():
    result = lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("module, back_import", [
    ("problems/surfaces.py", "from ..engine import run  # noqa"),      # a problem that knows the engine
    ("engine.py", "from .analysis import quadratic  # noqa"),          # the engine reaching into analysis
    ("analysis/tuning.py", "from ..viz import style  # noqa"),         # analysis drawing
    ("viz/curves.py", "from ..live import explorer  # noqa"),          # a figure that knows the widgets
    ("live/figure.py", "from ..lessons import feedback  # noqa"),      # the widgets knowing a lesson
    ("optim/rules.py", "from ..problems import surfaces  # noqa"),     # siblings stay independent
])
def test_a_back_import_breaks_the_contract(copy, module, back_import):
    path = copy / "stepviz" / module
    original = path.read_text()
    path.write_text(original + "\n" + back_import + "\n")
    try:
        result = lint(copy)
    finally:
        path.write_text(original)
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout + result.stderr
