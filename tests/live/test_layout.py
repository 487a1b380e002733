"""What the kernel renders for the width the browser reports (issue 16 item 1), and that nothing static is drawn over
the data area (item 2): legends, titles and status lines sit outside every axes box the browser draws paths in.

The browser's report is a comm message ({"event": "resize", "width", "ratio"}), delivered here as ipywidgets
delivers it (``_handle_custom_msg``)."""
from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.legend import Legend
from PIL import Image

import stepviz as sv
from stepviz.live import explorer as explorer_module, render, sizing
from stepviz.live.scene import Text
from stepviz.lessons import stochastic_gradients
from stepviz.problems.surfaces import QuadraticBowl

EXPLORERS = {
    "explore": lambda: sv.live.explore(QuadraticBowl((2.0, 4.0)), "GD", lr=0.05, steps=40),
    "update_rule": lambda: sv.live.explore_update_rule(lam=1.0, lr=0.3, theta0=1.5, steps=20),
    "valley": lambda: sv.live.local_limit_explorer("rosenbrock", lr=1e-3, steps=200),
    "saddle": lambda: sv.live.saddle_explorer(lr=0.1, offset=1e-3, steps=60),
    "schedule": lambda: sv.live.schedule_explorer("bowl", "inverse_time", lr=0.1, decay=0.05, steps=60),
    "momentum": lambda: sv.live.momentum_explorer("bowl", "Momentum", lr=0.05, momentum=0.9, steps=60),
    "sgd": lambda: sv.live.explore_sgd(stochastic_gradients.sgd_data(), lr=0.1, batch_size=10, steps=60, runs=3),
}


def resize(e, width, ratio=1.0):
    e.canvas._handle_custom_msg({"event": "resize", "width": width, "ratio": ratio}, [])


def png_size(png: bytes):
    return Image.open(io.BytesIO(png)).size


@pytest.fixture(scope="module", params=sorted(EXPLORERS))
def made(request):
    e = EXPLORERS[request.param]()
    yield request.param, e
    e.close()


# --- item 1: the size the browser shows ---------------------------------------------------------------------

def test_a_reported_width_re_renders_the_picture_there_without_running_the_sweep_again(monkeypatch):
    e = sv.live.explore("bowl", "GD", lr=0.05, steps=50)
    sweep, scene, data = e.sweep, e.canvas.scene, e.canvas.data
    assert e.canvas.size == [760.0, 330.0] and png_size(e.canvas.picture) == (760, 330)  # the export's default
    monkeypatch.setattr(explorer_module, "run", lambda *a, **k: pytest.fail("a resize ran the optimizer"))
    resize(e, 1003.7, ratio=2)
    w, h = 1000, round(330 * (1000 / 760) ** 0.5)
    assert e.canvas.size == [float(w), float(h)]
    assert png_size(e.canvas.picture) == (2 * w, 2 * h)  # rendered at the screen's pixels, not scaled up
    assert e.sweep is sweep and e.canvas.scene is scene and e.canvas.data == data
    # the boxes are CSS px: matplotlib's own transform (device pixels at ratio 2) halved, y from the top
    for box, ax in zip(e.canvas.axes, scene.axes):
        (x0, y0), (x1, y1) = ax.transData.transform([(ax.get_xlim()[0], ax.get_ylim()[1]),
                                                     (ax.get_xlim()[1], ax.get_ylim()[0])]) / 2
        np.testing.assert_allclose(box["box"], [x0, h - y0, x1 - x0, y0 - y1], atol=1e-6)
        assert 0 <= box["box"][0] and box["box"][0] + box["box"][2] <= w
    version = e.canvas.version
    resize(e, 1001, ratio=2.1)  # the same 10 px grid and ratio: nothing re-rendered
    assert e.canvas.version == version
    e.close()


@pytest.mark.parametrize("width, expected", [(300, 600), (640, 640), (1500, 1200), (1919, 1200)])
def test_widths_are_kept_between_600_and_1200_px(width, expected):
    assert sizing.shown_size((760, 330), width)[0] == expected
    w, h = sizing.shown_size((760, 330), width)
    assert 330 <= h <= 330 * (1200 / 760) ** 0.5 + 1  # taller with the width, less than in proportion


def test_a_browser_message_without_numbers_is_ignored():
    e = sv.live.explore("bowl", "GD", steps=20)
    version = e.canvas.version
    for bad in ({"event": "resize"}, {"event": "resize", "width": "wide"}, {"event": "resize", "width": float("nan")},
                {"event": "resize", "width": -5}, {"event": "resize", "width": 900, "ratio": 0}):
        e.canvas._handle_custom_msg(bad, [])
    assert e.canvas.version == version and e.canvas.size == [760.0, 330.0]
    e.close()


@pytest.mark.parametrize("width", [600, 1200])
def test_every_text_of_the_picture_is_at_least_11_css_px(made, width):
    name, e = made
    resize(e, width)
    assert e.canvas.size[0] == width
    assert e.canvas.smallest_text >= 11.0, name
    sizes = [t.get_fontsize() * 100 / 72 for t in e.figure.findobj(lambda a: hasattr(a, "get_fontsize"))
             if t.get_visible() and getattr(t, "get_text", lambda: "")().strip()]
    assert min(sizes) >= 11.0, (name, min(sizes))
    for m in e.canvas.scene.marks:  # what the browser writes
        if isinstance(m, Text):
            assert m.size >= 11, (name, m)


# --- item 2: nothing static over the data -----------------------------------------------------------------

def _overlap(a, b) -> float:
    """Area (px²) shared by boxes (left, top, width, height)."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(w, 0) * max(h, 0)


def _css_box(artist, fig):
    renderer = fig.canvas.get_renderer()
    scale = fig.dpi / 100
    x0, y0, x1, y1 = (v / scale for v in artist.get_window_extent(renderer).extents)
    height = fig.bbox.height / scale
    return (x0, height - y1, x1 - x0, y1 - y0)


@pytest.mark.parametrize("width", [760, 1200])
def test_no_legend_title_or_status_line_lies_on_an_axes_the_paths_are_drawn_in(made, width):
    name, e = made
    resize(e, width)
    fig, scene = e.figure, e.canvas.scene
    boxes = [b["box"] for b in e.canvas.axes]
    fig.canvas.draw()
    legends = [leg for leg in fig.findobj(Legend) if leg.get_visible()]
    assert legends, name  # every explorer names its marks
    for leg in legends:
        for i, box in enumerate(boxes):
            assert _overlap(_css_box(leg, fig), box) < 1.0, f"{name}: a legend lies on axes {i}"
    # the browser's texts, at the places render.py (the same constants as scene.js) writes them
    toggles = {n: True for n in e.toggles}
    for s in (0, len(e.stops) // 2, len(e.stops) - 1):
        artists = render.draw(scene.axes, scene.marks, e.canvas.arrays, e.canvas.texts, s, e.controls["steps"].value,
                              toggles)
        try:
            fig.canvas.draw()
            texts = [a for a in artists if hasattr(a, "get_text")]
            assert texts, name
            for t in texts:
                tb = _css_box(t, fig)
                assert tb[0] >= -0.5 and tb[0] + tb[2] <= width + 0.5, f"{name}: {t.get_text()!r} is cut"
                for i, box in enumerate(boxes):
                    assert _overlap(tb, box) < 1.0, f"{name}: {t.get_text()!r} lies on axes {i}"
        finally:
            for a in artists:
                a.remove()


def test_a_long_title_is_written_whole_inside_a_narrow_figure():
    e = sv.live.momentum_explorer("bowl", "Momentum", lr=0.000164, decay=0.058, momentum=0.55, steps=30)
    resize(e, 600)
    title = e.text("title")
    assert title == "Momentum, α = 1.64e-4, decay 0.058, γ = 0.55 on bowl"  # the title, as fmt writes it
    scene, fig = e.canvas.scene, e.figure
    artists = render.draw(scene.axes, [m for m in scene.marks if isinstance(m, Text) and m.at == "title"],
                          e.canvas.arrays, e.canvas.texts, e.controls["lr"].index, 0)
    box = _css_box(artists[0], fig)
    assert artists[0].get_text() == title and box[0] >= 0 and box[0] + box[2] <= 600
    assert artists[0].get_fontsize() * 100 / 72 >= 11
    e.close()


def test_the_heavy_ball_explorer_names_look_ahead_points_only_while_they_are_shown():
    e = sv.live.momentum_explorer("bowl", "Momentum", lr=0.05, momentum=0.9, steps=30)
    legend_texts = [t.get_text() for leg in e.figure.findobj(Legend) for t in leg.get_texts()]
    assert not any("look-ahead" in t for t in legend_texts)
    keys = [m for m in e.canvas.scene.marks if isinstance(m, Text) and m.at == "key"]
    assert [(m.toggle, e.canvas.texts[m.texts][0]) for m in keys] == [("lookahead", "○ look-ahead θₖ − γvₖ")]
    off = render.draw(e.canvas.scene.axes, keys, e.canvas.arrays, e.canvas.texts, 0, 5, {"lookahead": False})
    on = render.draw(e.canvas.scene.axes, keys, e.canvas.arrays, e.canvas.texts, 0, 5, {"lookahead": True})
    assert off == [] and [a.get_text() for a in on] == ["○ look-ahead θₖ − γvₖ"]
    for a in on:
        a.remove()
    e.close()


def test_a_failed_redraw_at_a_new_width_is_said_in_the_explorer_and_keeps_the_picture(monkeypatch):
    e = sv.live.explore("bowl", "GD", steps=20)
    picture = e.canvas.picture

    def broken(*args, **kwargs):
        raise MemoryError("no room")

    monkeypatch.setattr(sizing, "lay_out", broken)
    resize(e, 1100)
    assert e.canvas.error.startswith("drawing at the new width failed (MemoryError: no room")
    assert e.canvas.picture == picture and e.canvas.size == [760.0, 330.0]
    e.close()
