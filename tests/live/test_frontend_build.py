"""The explorers' browser bundles (stepviz/live/static/*.js, committed so that neither installing nor running
the course needs node) are what esbuild makes from stepviz/live/js today: an edit of a source module without
`npm run build` fails here. Needs node; esbuild from node_modules (`npm ci`) or, failing that, installed from
the npm registry into a temporary folder at the version package-lock.json pins."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STATIC = REPO / "stepviz" / "live" / "static"
NODE, NPM = shutil.which("node"), shutil.which("npm")


@pytest.fixture(scope="module")
def esbuild_dir(tmp_path_factory) -> Path:
    """A folder whose node_modules holds the pinned esbuild."""
    if NODE is None:
        pytest.skip("node is not installed: cannot rebuild the browser bundles to compare them")
    if (REPO / "node_modules" / "esbuild").is_dir():
        return REPO
    if NPM is None:
        pytest.skip("npm is not installed and node_modules/esbuild is missing (run `npm ci`)")
    tmp = tmp_path_factory.mktemp("esbuild")
    for name in ("package.json", "package-lock.json"):
        shutil.copy(REPO / name, tmp / name)
    done = subprocess.run([NPM, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=tmp, capture_output=True,
                          text=True, timeout=300)
    if done.returncode != 0:
        pytest.skip(f"esbuild could not be installed from the npm registry (offline?): {done.stderr[-300:]}")
    return tmp


def test_the_committed_bundles_are_what_the_sources_build_to(esbuild_dir, tmp_path):
    build = (REPO / "stepviz" / "live" / "js" / "build.mjs").as_uri()
    script = (f"import {{ createRequire }} from 'node:module';\n"
              f"const {{ build }} = createRequire({json.dumps(str(esbuild_dir / 'package.json'))})('esbuild');\n"
              f"const {{ options }} = await import({json.dumps(build)});\n"
              f"await build(options({json.dumps(str(tmp_path))}));\n")
    subprocess.run([NODE, "--input-type=module", "-e", script], check=True, capture_output=True, text=True,
                   timeout=120)
    for bundle in ("canvas.js", "controls.js"):
        built, committed = (tmp_path / bundle).read_text(), (STATIC / bundle).read_text()
        assert built == committed, f"stepviz/live/static/{bundle} is stale: run `npm run build` and commit it"
