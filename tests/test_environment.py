"""Binder/JupyterHub readiness: environment.yml (conda, used by repo2docker) and pyproject.toml agree.

- every runtime dependency of pyproject.toml is in environment.yml, with the same version bounds;
- every package of environment.yml is a dependency of pyproject.toml (runtime or the dev extra), with
  the same bounds; besides python and pip, nothing else;
- JupyterLab is there (the widgets' extensions must match the front end the learner gets);
- the python pin satisfies requires-python;
- postBuild installs the package itself without dependencies (so nothing comes from outside the yml).
"""
from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
# conda-forge names that differ from the PyPI name of the same package.
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib"}


@pytest.fixture(scope="module")
def pyproject():
    return tomllib.loads((REPO / "pyproject.toml").read_text())


@pytest.fixture(scope="module")
def env():
    return yaml.safe_load((REPO / "environment.yml").read_text())


def _pyproject_reqs(pyproject, extras=("dev",)):
    reqs = [Requirement(r) for r in pyproject["project"]["dependencies"]]
    optional = [Requirement(r) for x in extras for r in pyproject["project"]["optional-dependencies"][x]]
    return {canonicalize_name(r.name): r for r in reqs}, {canonicalize_name(r.name): r for r in optional}


def _conda_specs(env):
    """name -> SpecifierSet for the conda packages (python handled apart); pip entries rejected."""
    specs, python = {}, None
    for dep in env["dependencies"]:
        assert isinstance(dep, str), (
            f"environment.yml has a pip: section ({dep}); keep every package on conda-forge so "
            "repo2docker resolves one consistent environment"
        )
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", dep)
        name, spec = m.group(1), m.group(2)
        if name == "python":
            python = spec
            continue
        if name == "pip":
            continue
        specs[canonicalize_name(CONDA_TO_PYPI.get(name, name))] = SpecifierSet(spec)
    return specs, python


def test_environment_uses_conda_forge(env):
    assert env["channels"] == ["conda-forge"]


def test_every_runtime_dependency_is_in_environment_yml(pyproject, env):
    runtime, _ = _pyproject_reqs(pyproject)
    conda, _ = _conda_specs(env)
    missing = sorted(set(runtime) - set(conda))
    assert not missing, f"in pyproject.toml but not in environment.yml: {missing}"
    for name, req in runtime.items():
        assert conda[name] == req.specifier, (
            f"{name}: pyproject.toml says {req.specifier or 'any'}, environment.yml {conda[name] or 'any'}"
        )


def test_every_environment_package_is_a_project_dependency(pyproject, env):
    runtime, dev = _pyproject_reqs(pyproject)
    conda, _ = _conda_specs(env)
    known = {**dev, **runtime}
    extra = sorted(set(conda) - set(known))
    assert not extra, f"in environment.yml but in no dependency list of pyproject.toml: {extra}"
    for name, spec in conda.items():
        assert spec == known[name].specifier, (
            f"{name}: environment.yml says {spec or 'any'}, pyproject.toml {known[name].specifier or 'any'}"
        )


def test_jupyterlab_is_in_the_environment(env):
    conda, _ = _conda_specs(env)
    assert "jupyterlab" in conda, "the learner's front end must come with the widget extensions"


def test_python_pin_satisfies_requires_python(pyproject, env):
    _, python = _conda_specs(env)
    assert python, "environment.yml should pin python (repo2docker reads the version from it)"
    m = re.fullmatch(r"=?=?\s*(\d+\.\d+)(?:\.\*)?", python)
    assert m, f"pin python as python=X.Y, not {python!r}"
    assert Version(m.group(1)) in SpecifierSet(pyproject["project"]["requires-python"])


def test_postbuild_installs_the_package_without_dependencies():
    post = REPO / "postBuild"
    assert post.exists() and os.access(post, os.X_OK), "postBuild must exist and be executable"
    lines = [ln.strip() for ln in post.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    installs = [ln for ln in lines if "pip install" in ln]
    assert installs, "postBuild should pip-install the package"
    for ln in installs:
        assert "--no-deps" in ln and re.search(r"\s\.(\s|$)", ln), ln
