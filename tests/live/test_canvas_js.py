"""The browser's own code, run by node: its transform is matplotlib's (canvas.js's toPixel against
``ax.transData`` and against the pixels matplotlib drew, within 1 px); its number formatter writes every
number as Python's :func:`stepviz.live.scene.fmt` does (a golden test on the same inputs); it decodes the
buffers as packed; node's own test file (canvas.test.mjs) checks the other pure functions.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from stepviz.live.canvas import pack
from stepviz.live.scene import axes_box, fmt
from stepviz.viz.figure import StaticPicture

HERE = Path(__file__).resolve().parent
JS = HERE.parents[1] / "stepviz" / "live" / "js"
STATIC = HERE.parents[1] / "stepviz" / "live" / "static"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed: the browser modules are not run")


def node(script: str, *args) -> str:
    """Run an ES module ``script`` (it may import the modules of stepviz/live/js by file URL) with node."""
    out = subprocess.run([NODE, "--input-type=module", "-e", script, *args], check=True, capture_output=True,
                         text=True, timeout=60)
    return out.stdout


def js_import(module: str, names: str) -> str:
    return f"import {{ {names} }} from {json.dumps((JS / module).as_uri())};\n"


def test_node_unit_tests_pass():
    result = subprocess.run([NODE, "--test", str(HERE / "canvas.test.mjs")], capture_output=True, text=True,
                            timeout=120, env={"STEPVIZ_JS_DIR": JS.as_uri(), "PATH": str(Path(NODE).parent)})
    assert result.returncode == 0, result.stdout + result.stderr


GOLDEN = [0, -0.0, 1, 2, -2, 0.5, 0.05, 0.1234, 1.2, 10, 100, 1234, 9999, 9999.4, 9999.5, 10000, 12345,
          0.001, 0.00099996, 0.0009999, 0.000119, 1e-4, 1.5e-7, 2e-12, 1e300, -3.14159, 1.125, 1.375, 12.25,
          102.5, 0.1125, 2.675, 1.005, 1.0005e-5, 1.125e-5, 1e21, 5e-324, 1.7976931348623157e308,
          float("nan"), float("inf"), float("-inf")]


def test_one_number_formatter_in_the_browser_and_in_python():
    """Issue 20 item 2: canvas.js wrote 1234 as '1230', marks.py as '1.23e3'. Now one rule, run by both on the
    same numbers: hand-picked edges and ties (1.125 rounds half up in both), and 2,000 random ones."""
    rng = np.random.default_rng(0)
    numbers = GOLDEN + list(10 ** rng.uniform(-12, 12, 1000) * rng.choice([-1, 1], 1000)) + \
        list(np.round(rng.uniform(0, 20, 1000), 3))
    script = js_import("format.js", "fmt") + \
        "const xs = JSON.parse(process.argv[1]).map((x) => (x === null ? NaN : x === 'inf' ? Infinity : " \
        "x === '-inf' ? -Infinity : x));\nconsole.log(JSON.stringify(xs.map(fmt)));\n"
    wire = [None if np.isnan(x) else "inf" if x == np.inf else "-inf" if x == -np.inf else float(x) for x in numbers]
    got = json.loads(node(script, json.dumps(wire)))
    want = [fmt(x) for x in numbers]
    bad = [(x, g, w) for x, g, w in zip(numbers, got, want) if g != w]
    assert not bad, bad[:10]
    assert [fmt(x) for x in (1234, 0.000119, 1.125, 10000, 9999.5, 1.5e-7)] == \
        ["1230", "1.19e-4", "1.13", "1e4", "10000", "1.5e-7"]


def node_pixels(axes, points):
    script = js_import("transform.js", "toPixel") + \
        "const {axes, points} = JSON.parse(process.argv[1]);\n" \
        "console.log(JSON.stringify(points.map(([i, x, y]) => toPixel(axes[i], x, y))));\n"
    return np.array(json.loads(node(script, json.dumps({"axes": axes, "points": points}))), dtype=float)


def make_figure():
    fig = Figure(figsize=(7.6, 3.3), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    lin, logy, logx = fig.subplots(1, 3)
    lin.set_xlim(-2, 2)
    lin.set_ylim(-1, 3)
    logy.set_yscale("log")
    logy.set_xlim(0, 400)
    logy.set_ylim(1e-12, 1e3)
    logx.set_xscale("log")
    logx.set_xlim(1e-4, 2)
    logx.set_ylim(1.65, 0)  # inverted
    for ax in (lin, logy, logx):
        ax.set_title("a title")
        ax.set_xlabel("x")
    fig.get_layout_engine().execute(fig)
    fig.set_layout_engine("none")
    return fig, (lin, logy, logx)


def random_points(rng, axes, n=40):
    pts = []
    for i, ax in enumerate(axes):
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        for _ in range(n):
            u, v = rng.random(2)
            x = 10 ** (np.log10(x0) + u * np.log10(x1 / x0)) if ax.get_xscale() == "log" else x0 + u * (x1 - x0)
            y = 10 ** (np.log10(y0) + v * np.log10(y1 / y0)) if ax.get_yscale() == "log" else y0 + v * (y1 - y0)
            pts.append([i, float(x), float(y)])
    return pts


def test_js_pixels_match_transData_on_linear_and_log_axes():
    fig, axes = make_figure()
    fig.canvas.draw()
    pts = random_points(np.random.default_rng(0), axes)
    got = node_pixels([axes_box(ax).wire() for ax in axes], pts)
    want = np.array([axes[i].transData.transform((x, y)) for i, x, y in pts])
    want[:, 1] = fig.bbox.height - want[:, 1]  # matplotlib's origin is bottom left, the canvas's top left
    assert np.abs(got - want).max() < 1e-6  # the same arithmetic


def test_js_pixels_land_on_what_matplotlib_drew():
    """A red dot drawn by matplotlib in each axes (picture rendered as the explorers do): the browser's
    pixel for the same data point is the dot's centre within 1 px."""
    from PIL import Image

    fig, axes = make_figure()
    data = [(0, 0.7, 1.9), (1, 250.0, 3e-5), (2, 0.03, 0.4)]
    for i, x, y in data:
        axes[i].plot([x], [y], "s", color=(1, 0, 0), ms=5, mew=0, antialiased=False)
    png = StaticPicture(fig).render()
    img = np.asarray(Image.open(BytesIO(png)).convert("RGB")).astype(int)
    red = (img[..., 0] > 200) & (img[..., 1] < 60) & (img[..., 2] < 60)
    got = node_pixels([axes_box(ax).wire() for ax in axes], [list(d) for d in data])
    for (i, _, _), (px, py) in zip(data, got):
        ys, xs = np.nonzero(red[int(py) - 8:int(py) + 9, int(px) - 8:int(px) + 9])
        assert xs.size > 4, f"no red dot near the browser's pixel in axes {i}"
        cx, cy = xs.mean() + int(px) - 8 + 0.5, ys.mean() + int(py) - 8 + 0.5  # pixel centres
        assert abs(cx - px) <= 1.0 and abs(cy - py) <= 1.0, (i, cx, cy, px, py)


def test_compact_arrays_decode_in_the_browser_within_their_precision(tmp_path):
    """pack() ships arrays named compact as row-wise int16 codes; buffers.js's unpack decodes them to what was
    packed, within half a code step (1/131068 of each row's range), NaN where NaN was."""
    rng = np.random.default_rng(0)
    paths = rng.normal(size=(7, 51, 2)) * np.geomspace(1e-3, 1e3, 7)[:, None, None] + 5.0
    paths[2, 30:] = np.nan                      # a run that diverged at step 30
    paths[4] = 1.25                             # a row with one value (zero range)
    arrays = {"stops": np.geomspace(1e-3, 1, 7)[None], "path0": paths, "loss": rng.random((7, 51))}
    data, layout = pack(arrays, compact={"path0"})
    assert layout["path0"]["dtype"] == "i2" and len(data) < 4 * (7 + paths.size + 7 * 51)
    (tmp_path / "data.bin").write_bytes(data)
    script = js_import("buffers.js", "unpack") + \
        "import { readFileSync } from 'node:fs';\n" \
        "const out = unpack(new Uint8Array(readFileSync(process.argv[1])).buffer, JSON.parse(process.argv[2]));\n" \
        "console.log(JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, v]) => " \
        "[k, Array.from(v.data, (x) => (Number.isNaN(x) ? null : x))]))));\n"
    got = json.loads(node(script, str(tmp_path / "data.bin"), json.dumps(layout)))
    decoded = np.array([np.nan if v is None else v for v in got["path0"]]).reshape(paths.shape)
    np.testing.assert_array_equal(np.isnan(decoded), np.isnan(paths))
    span = np.nanmax(paths.reshape(7, -1), axis=1) - np.nanmin(paths.reshape(7, -1), axis=1)
    err = np.nanmax(np.abs(decoded - paths).reshape(7, -1), axis=1)
    assert np.all(err <= span / 131068 * 1.01 + 1e-6 * np.abs(np.nanmax(paths.reshape(7, -1), axis=1)))
    np.testing.assert_allclose(got["loss"], arrays["loss"].reshape(-1), rtol=1e-6)   # float32 arrays as before


@pytest.mark.parametrize("bundle", ["canvas.js", "controls.js"])
def test_each_bundle_loads_alone_as_an_es_module_with_a_render(bundle):
    """Issue 20 item 4: the front end was two files joined as text, with free names. Each built bundle is one
    ES module: it loads alone in node (no DOM needed to load it) and exports anywidget's render."""
    out = node(f"const m = await import({json.dumps((STATIC / bundle).as_uri())});\n"
               "console.log(typeof m.default.render, Object.keys(m).join(','));\n")
    assert out.split() == ["function", "default"]
    source = (STATIC / bundle).read_text()
    assert "widget_manager" not in source and "innerHTML" not in source  # anywidget's host API; text only
