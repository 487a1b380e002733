"""A normal, non-editable install works: what Binder's postBuild does, tested end to end.

In a fresh virtual environment with stepviz's runtime dependencies only (what environment.yml gives
repo2docker) plus a kernel to run a notebook with, ``postBuild`` itself installs the package (a wheel built
from this checkout, ``pip install --no-deps .``). Then, from a folder outside the checkout: every
subpackage imports, an explorer is built under the Agg backend, and a notebook runs top to bottom.
Slow (a minute: a new environment); it catches a package list that leaves modules out of the wheel, which
no test importing the source tree can see.
"""
import os
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "00_start_here.ipynb"

CHECK = r"""
import importlib, pathlib, pkgutil, sys
import matplotlib
matplotlib.use("Agg")
import stepviz
assert "site-packages" in stepviz.__file__, stepviz.__file__
names = [m.name for m in pkgutil.walk_packages(stepviz.__path__, "stepviz.")]
for name in names:
    importlib.import_module(name)
explorer = stepviz.explore("bowl", "GD", lr=0.05)
assert explorer.trajectory.steps == 100 and not explorer.trajectory.diverged
print(len(names), "modules;", stepviz.__version__)
"""

RUN_NOTEBOOK = r"""
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
# the kernel must be this environment's python, with the installed stepviz (not a stale kernelspec's)
probe = "import sys, stepviz; assert sys.prefix == %r and 'site-packages' in stepviz.__file__" % sys.prefix
nb.cells.insert(0, nbformat.v4.new_code_cell(probe))
NotebookClient(nb, timeout=300, kernel_name="python3").execute()
errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
          if o.get("output_type") == "error" or o.get("name") == "stderr"]
assert not errors, errors
print("cells:", sum(c.cell_type == "code" for c in nb.cells))
"""


def _clean_copy(dest: Path) -> Path:
    """The checkout's files (tracked, and new ones git does not ignore) copied to ``dest``: what a fresh clone
    holds, without a build/ folder whose stale modules setuptools would put into the wheel."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                           capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, files):
        src = REPO / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


def _run(cmd, **kw):
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    root = tmp_path_factory.mktemp("install")
    env_dir = root / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    runtime = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    _run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *runtime,
          "ipykernel", "nbclient", "nbformat"])
    env = {**os.environ, "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(env_dir)}
    env.pop("PYTHONPATH", None)
    source = _clean_copy(root / "checkout")
    _run(["bash", str(source / "postBuild")], cwd=source, env=env)  # Binder's own install step, on a clean tree
    outside = root / "elsewhere"
    outside.mkdir()
    return py, outside, env


def test_every_module_imports_from_the_installed_package(installed):
    py, outside, env = installed
    out = _run([str(py), "-c", CHECK], cwd=outside, env=env)
    assert "modules;" in out


def test_a_notebook_runs_against_the_installed_package(installed):
    py, outside, env = installed
    out = _run([str(py), "-c", RUN_NOTEBOOK, str(NOTEBOOK)], cwd=outside, env=env)
    assert "cells:" in out


def test_the_wheel_ships_every_package_and_the_license(tmp_path):
    source = _clean_copy(tmp_path / "checkout")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(source)])
    wheel = next(tmp_path.glob("stepviz-*.whl"))
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {str(p.relative_to(source)) for p in (source / "stepviz").rglob("*.py")}
    shipped = {n for n in names if n.startswith("stepviz/") and n.endswith(".py")}
    assert shipped == modules, f"missing: {sorted(modules - shipped)}, extra: {sorted(shipped - modules)}"
    assert any(n.endswith("LICENSE") for n in names)
