"""The browser's transform is matplotlib's: canvas.js's toPixel against ``ax.transData`` and against the
pixels matplotlib actually drew, on linear and log axes, within 1 px. Runs node (v18+) on copies of the
modules; node's own test file (canvas.test.mjs) checks the other pure functions.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from stepviz.live.canvas import LiveCanvas, axes_box
from stepviz.viz.figure import StaticPicture

HERE = Path(__file__).resolve().parent
LIVE = HERE.parents[1] / "stepviz" / "live"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


@pytest.fixture(scope="module")
def js_dir(tmp_path_factory):
    """canvas_math.js and controls.js copied as .mjs (node then loads them as ES modules without a
    package.json), and the canvas widget's whole module as the browser gets it."""
    out = tmp_path_factory.mktemp("js")
    for name in ("canvas_math", "controls"):
        shutil.copy(LIVE / f"{name}.js", out / f"{name}.mjs")
    (out / "widget.mjs").write_text(LiveCanvas._esm)
    return out


def node_pixels(js_dir, axes, points):
    script = (f"import {{ toPixel }} from {json.dumps(str(js_dir / 'canvas_math.mjs'))};\n"
              "const {axes, points} = JSON.parse(process.argv[2]);\n"
              "console.log(JSON.stringify(points.map(([i, x, y]) => toPixel(axes[i], x, y))));\n")
    path = js_dir / "pixels.mjs"
    path.write_text(script)
    out = subprocess.run([NODE, str(path), json.dumps({"axes": axes, "points": points})], check=True,
                         capture_output=True, text=True, timeout=60)
    return np.array(json.loads(out.stdout), dtype=float)


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


def test_node_unit_tests_pass(js_dir):
    result = subprocess.run([NODE, "--test", str(HERE / "canvas.test.mjs")], capture_output=True, text=True,
                            timeout=120, env={"STEPVIZ_JS_DIR": str(js_dir), "PATH": str(Path(NODE).parent)})
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_widget_module_loads_as_one_es_module(js_dir):
    script = (f"const m = await import({json.dumps(str(js_dir / 'widget.mjs'))});\n"
              "console.log(typeof m.default.render, typeof m.toPixel, typeof m.drawScene);\n")
    (js_dir / "load.mjs").write_text(script)
    out = subprocess.run([NODE, str(js_dir / "load.mjs")], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["function", "function", "function"], out.stderr


def test_js_pixels_match_transData_on_linear_and_log_axes(js_dir):
    fig, axes = make_figure()
    fig.canvas.draw()
    pts = random_points(np.random.default_rng(0), axes)
    got = node_pixels(js_dir, [axes_box(ax) for ax in axes], pts)
    height = fig.bbox.height
    want = np.array([axes[i].transData.transform((x, y)) for i, x, y in pts])
    want[:, 1] = height - want[:, 1]  # matplotlib's origin is bottom left, the canvas's top left
    assert np.abs(got - want).max() <= 1.0, np.abs(got - want).max()
    assert np.abs(got - want).max() < 1e-6  # in fact the same arithmetic


def test_js_pixels_land_on_what_matplotlib_drew(js_dir):
    """A red dot drawn by matplotlib in each axes (picture rendered as the explorers do): the browser's
    pixel for the same data point is the dot's centre within 1 px."""
    fig, axes = make_figure()
    data = [(0, 0.7, 1.9), (1, 250.0, 3e-5), (2, 0.03, 0.4)]
    for i, x, y in data:
        axes[i].plot([x], [y], "s", color=(1, 0, 0), ms=5, mew=0, antialiased=False)
    png = StaticPicture(fig).render()
    from io import BytesIO

    from PIL import Image

    img = np.asarray(Image.open(BytesIO(png)).convert("RGB")).astype(int)
    red = (img[..., 0] > 200) & (img[..., 1] < 60) & (img[..., 2] < 60)
    got = node_pixels(js_dir, [axes_box(ax) for ax in axes], [list(d) for d in data])
    for (i, _, _), (px, py) in zip(data, got):
        ys, xs = np.nonzero(red[int(py) - 8:int(py) + 9, int(px) - 8:int(px) + 9])
        assert xs.size > 4, f"no red dot near the browser's pixel in axes {i}"
        cx, cy = xs.mean() + int(px) - 8 + 0.5, ys.mean() + int(py) - 8 + 0.5  # pixel centres
        assert abs(cx - px) <= 1.0 and abs(cy - py) <= 1.0, (i, cx, cy, px, py)


def test_compact_arrays_decode_in_the_browser_within_their_precision(js_dir, tmp_path):
    """pack() ships arrays named compact as row-wise int16 codes; canvas_math.js's unpack decodes them to what
    was packed, within half a code step (1/131068 of each row's range), NaN where NaN was."""
    from stepviz.live.canvas import pack

    rng = np.random.default_rng(0)
    paths = rng.normal(size=(7, 51, 2)) * np.geomspace(1e-3, 1e3, 7)[:, None, None] + 5.0
    paths[2, 30:] = np.nan                      # a run that diverged at step 30
    paths[4] = 1.25                             # a row with one value (zero range)
    arrays = {"stops": np.geomspace(1e-3, 1, 7)[None], "path0": paths, "loss": rng.random((7, 51))}
    data, layout = pack(arrays, compact={"path0"})
    assert layout["path0"]["dtype"] == "i2" and len(data) < 4 * (7 + paths.size + 7 * 51)
    (tmp_path / "data.bin").write_bytes(data)
    script = (f"import {{ unpack }} from {json.dumps(str(js_dir / 'canvas_math.mjs'))};\n"
              "import {{ readFileSync }} from 'node:fs';\n"
              "const bytes = readFileSync(process.argv[2]);\n"
              "const out = unpack(new Uint8Array(bytes).buffer, JSON.parse(process.argv[3]));\n"
              "const plain = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v.data, "
              "(x) => (Number.isNaN(x) ? null : x))]));\n"
              "console.log(JSON.stringify(plain));\n").replace("{{", "{").replace("}}", "}")
    path = js_dir / "unpack.mjs"
    path.write_text(script)
    out = subprocess.run([NODE, str(path), str(tmp_path / "data.bin"), json.dumps(layout)], check=True,
                         capture_output=True, text=True, timeout=60)
    got = json.loads(out.stdout)
    decoded = np.array([np.nan if v is None else v for v in got["path0"]]).reshape(paths.shape)
    np.testing.assert_array_equal(np.isnan(decoded), np.isnan(paths))
    span = np.nanmax(paths.reshape(7, -1), axis=1) - np.nanmin(paths.reshape(7, -1), axis=1)
    err = np.nanmax(np.abs(decoded - paths).reshape(7, -1), axis=1)
    assert np.all(err <= span / 131068 * 1.01 + 1e-6 * np.abs(np.nanmax(paths.reshape(7, -1), axis=1)))
    np.testing.assert_allclose(got["loss"], arrays["loss"].reshape(-1), rtol=1e-6)   # float32 arrays as before
