"""The canvas widget's state (what the browser receives) and the fast controls' Python side."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from stepviz.live.canvas import LiveCanvas, axes_box, pack
from stepviz.live.controls import PlayButton, StepSizeSlider, log_stops, widget_refs


def test_pack_round_trips_every_array_as_float32():
    arrays = {"stops": np.geomspace(1e-3, 1, 5)[None], "path": np.arange(24.0).reshape(2, 6, 2),
              "diverged": np.array([[-1], [3]]), "scalar": 2.5}
    data, layout = pack(arrays)
    flat = np.frombuffer(data, dtype=np.float32)
    assert flat.size == 5 + 24 + 2 + 1
    for name, value in arrays.items():
        spec = layout[name]
        size = int(np.prod(spec["shape"]))
        got = flat[spec["offset"]:spec["offset"] + size].reshape(spec["shape"])
        np.testing.assert_allclose(got, np.asarray(value, dtype=np.float32).reshape(spec["shape"]))


def test_axes_box_is_the_axes_window_extent_from_the_top_left():
    fig = Figure(figsize=(6, 3), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0.1, 0.2, 0.5, 0.6])
    ax.set_yscale("log")
    ax.set_ylim(1e-3, 10)
    box = axes_box(ax)
    np.testing.assert_allclose(box["box"], [60, 300 - 0.8 * 300, 300, 180])
    assert box["yscale"] == "log" and box["xscale"] == "linear"
    assert box["ylim"] == [1e-3, 10.0]


def test_show_sends_one_version_and_keeps_the_arrays():
    canvas = LiveCanvas()
    seen = []
    canvas.observe(lambda change: seen.append(change["name"]), names=["version"])
    canvas.show([{"box": [0, 0, 1, 1]}], [{"kind": "line"}], {"path": np.zeros((3, 4, 2))}, {"title": ["a", "b", "c"]})
    assert seen == ["version"] and canvas.version == 1
    assert canvas.shapes["path"]["shape"] == [3, 4, 2]
    assert len(canvas.data) == 3 * 4 * 2 * 4
    assert canvas.layout.__class__.__name__ == "Layout"  # the DOMWidget's own layout is untouched


def test_step_size_slider_snaps_keeps_python_values_exact_and_rejects_out_of_range():
    stops = log_stops(1e-4, 2.0, 21, keep=0.05)
    assert 0.05 in stops and len(stops) == 21 and stops == sorted(stops)
    s = StepSizeSlider(0.05, stops)
    assert s.value == 0.05 and s.stops[s.index] == 0.05
    s.value = s.stops[3]  # a stop: the stops stay
    assert s.index == 3 and s.stops == stops
    s.value = 0.123  # between stops: the nearest becomes 0.123, order kept
    assert s.stops[s.index] == 0.123 and s.stops == sorted(s.stops) and len(s.stops) == 21
    for bad in (5.0, 1e-6, float("nan"), -0.1):
        with pytest.raises((ValueError, TypeError), match=r"from 0\.0001 to 2"):
            s.value = bad
    assert s.value == 0.123


def test_step_size_slider_from_the_browser_sets_value_and_index_together():
    s = StepSizeSlider(0.05, log_stops(1e-4, 2.0, 21, keep=0.05))
    stops = list(s.stops)
    s.set_state({"index": 7, "value": stops[7]})  # what a comm message from the front end does
    assert s.index == 7 and s.value == stops[7] and s.stops == stops


def test_references_are_anywidget_refs_to_the_model_ids():
    s = StepSizeSlider(0.05, log_stops(1e-4, 2.0, 11, keep=0.05))
    import ipywidgets as widgets

    it = widgets.IntSlider(max=10)
    play = PlayButton(it)
    canvas = LiveCanvas(controls={"lr": s, "iteration": it, "kernel": [it]})
    state = canvas.get_state()
    assert state["controls"] == {"lr": f"anywidget:{s.model_id}", "iteration": f"anywidget:{it.model_id}",
                                 "kernel": [f"anywidget:{it.model_id}"]}
    assert play.get_state()["iteration"] == f"anywidget:{it.model_id}"
    assert widget_refs([1, "a"]) == [1, "a"]
    assert "stepviz-play" in play._dom_classes and "stepviz-iteration" in it._dom_classes
