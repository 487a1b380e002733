"""nbgrader is an instructor's tool: in the `instructor` extra and (so that make test always grades) the dev
extra, never in what learners install (the runtime dependencies, environment.yml, Binder's postBuild); and the
course's own JupyterLab (make lab, make e2e) keeps nbgrader's menus, toolbar button and server extensions off."""
from __future__ import annotations

import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]
SERVER_EXTENSIONS = [f"nbgrader.server_extensions.{n}"
                     for n in ("formgrader", "assignment_list", "course_list", "validate_assignment")]


def _extras():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = {k: {Requirement(r).name: Requirement(r) for r in v} for k, v in project["optional-dependencies"].items()}
    return project, reqs


def test_nbgrader_is_in_the_instructor_and_dev_extras_with_the_same_bounds():
    _, extras = _extras()
    assert set(extras["instructor"]) == {"nbgrader"}
    for name, req in extras["instructor"].items():
        assert extras["dev"][name].specifier == req.specifier
    assert req.specifier.contains("0.9.6") and not req.specifier.contains("0.10.0")


def test_learners_do_not_install_nbgrader():
    project, _ = _extras()
    assert not any(Requirement(r).name == "nbgrader" for r in project["dependencies"])
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert not any(str(d).startswith("nbgrader") for d in env["dependencies"])
    assert "nbgrader" not in (REPO / "postBuild").read_text()


def test_the_course_lab_has_nbgrader_switched_off():
    """make install disables them in .venv (sys-prefix config), which make lab and the e2e server read."""
    from jupyter_core.paths import jupyter_config_path, jupyter_path
    from jupyter_server.extension.config import ExtensionConfigManager
    from jupyterlab_server.config import get_page_config

    server = ExtensionConfigManager(read_config_path=jupyter_config_path()).get_jpserver_extensions()
    assert all(server.get(ext) is False for ext in SERVER_EXTENSIONS), {e: server.get(e) for e in SERVER_EXTENSIONS}
    assert "@jupyter/nbgrader" in get_page_config(jupyter_path("labextensions")).get("disabledExtensions", [])
