"""The canvas widget: the scene it sends is checked first, its buffer packs exactly, huge values travel without
a numpy warning, and it answers the browser (hello, clicks) through its comm."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from stepviz.live.canvas import LiveCanvas, float32, pack, packed_bytes
from stepviz.live.scene import SCENE_BYTES, Line, Marker, Point, Scene, Text, VLine, axes_box

from .browser import Sent, custom


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


def test_the_size_of_a_pack_is_known_from_the_shapes():
    """show() refuses an oversized scene before anything leaves, and packs a held sweep only when it sends it:
    the size it checks is the buffer's length, float32, int16 codes and each row's base and step alike."""
    rng = np.random.default_rng(0)
    arrays = {"stops": np.geomspace(1e-3, 1, 5)[None], "path": rng.normal(size=(7, 11, 2)),
              "loss": np.where(rng.random((7, 11)) < 0.2, np.nan, rng.random((7, 11))), "scalar": 2.5,
              "none": np.empty((0, 3)), "flags": np.array([[1], [0]], dtype=bool)}
    for compact in [(), ("path",), ("path", "loss", "none")]:
        assert packed_bytes(arrays, compact) == len(pack(arrays, compact)[0]), compact


def test_values_beyond_float32_travel_as_inf_without_a_warning():
    """Issue 18 item 10: 'overflow encountered in cast' from a loss of 1e306 (warnings are errors here)."""
    a = float32([1e306, -1e39, 3.0, np.nan, np.inf])
    assert a.dtype == np.float32
    assert a[0] == np.inf and a[1] == -np.inf and a[2] == 3.0 and np.isnan(a[3]) and a[4] == np.inf
    data, layout = pack({"loss": np.array([[1e306, 1.0]])}, compact=())
    assert np.frombuffer(data, np.float32)[0] == np.inf
    data, _ = pack({"path": np.array([[[1e306, 0.0], [1.0, 2.0]]])}, compact={"path"})  # int16 codes too
    assert data


def test_axes_box_is_the_axes_window_extent_from_the_top_left():
    fig = Figure(figsize=(6, 3), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0.1, 0.2, 0.5, 0.6])
    ax.set_yscale("log")
    ax.set_ylim(1e-3, 10)
    box = axes_box(ax, click=True)
    np.testing.assert_allclose(box.box, [60, 300 - 0.8 * 300, 300, 180])
    assert box.yscale == "log" and box.xscale == "linear" and box.ylim == (1e-3, 10.0)
    assert box.wire()["click"] is True and axes_box(ax).wire()["click"] is False


@pytest.fixture
def axes():
    fig = Figure(figsize=(6, 3), dpi=100)
    FigureCanvasAgg(fig)
    return fig.subplots(1, 2)


def scene(axes, **change):
    arrays = {"stops": np.geomspace(0.01, 1, 3)[None], "path": np.zeros((3, 5, 2)), "loss": np.ones((3, 5)),
              "diverged": np.array([[-1], [2], [-1]])}
    marks = [Line(axes=0, data="path", color="red", upto="iteration"),
             Marker(axes=0, data="path", at="iteration", when="alive", diverged="diverged"),
             Line(axes=1, data="loss", color="blue"), VLine(axes=1, at="iteration", color="gray"),
             Text(axes=0, at="title", texts="title")]
    s = Scene(list(axes), marks, arrays, {"title": ["a", "b", "c"], "readout": [[["", "x"]]] * 3})
    for k, v in change.items():
        setattr(s, k, v)
    return s


def test_show_sends_one_version_with_the_marks_as_the_browser_reads_them(axes):
    canvas = LiveCanvas()
    seen = []
    canvas.observe(lambda change: seen.append(change["name"]), names=["version"])
    canvas.show(scene(axes, clickable=(0,)))
    assert seen == ["version"] and canvas.version == 1
    assert canvas.shapes["path"]["shape"] == [3, 5, 2] and len(canvas.data) == (3 + 30 + 15 + 3) * 4
    assert canvas.marks[0] == {"kind": "line", "axes": 0, "data": "path", "color": "red", "upto": "iteration"}
    assert canvas.marks[1]["when"] == "alive" and canvas.marks[1]["diverged"] == "diverged"
    assert [a["click"] for a in canvas.axes] == [True, False]


@pytest.mark.parametrize("change, words", [
    ({"marks": [Line(axes=99, data="path", color="red")]}, "axes 99"),
    ({"marks": [Line(axes=0, data="nope", color="red")]}, "names no array"),
    ({"marks": [Marker(axes=0, data="path", at="middle")]}, "at must be one of"),
    ({"marks": [Point(axes=1, x="somewhere", y="loss")]}, "x must be"),
    ({"marks": [Line(axes=0, data="path", color="red", width=float("nan"))]}, "width must be a finite"),
    ({"marks": [Text(axes=0, at="title", texts="missing")]}, "no texts"),
    ({"marks": [{"kind": "line", "axes": 0, "data": "path"}]}, "not a scene mark"),
    ({"texts": {"title": ["only two", "stops"]}}, "one entry per stop"),
    ({"texts": {"readout": [[["<script>", "x"]]] * 3}}, "tone"),
    ({"arrays": {"stops": np.ones((1, 3)), "path": np.zeros((4, 5, 2))}}, "first axis"),
], ids=["axes out of range", "missing array", "bad at", "bad x", "nan width", "missing text", "untyped mark",
        "texts per stop", "readout tone", "array rows"])
def test_show_refuses_what_the_browser_could_not_draw(axes, change, words):
    canvas = LiveCanvas()
    with pytest.raises(ValueError, match=words):
        canvas.show(scene(axes, **change))
    assert canvas.version == 0 and canvas.data == b""  # nothing was sent


def test_show_refuses_a_buffer_over_the_byte_budget(axes):
    """Issue 18 item 15: LiveCanvas.show accepted a 64 MB buffer."""
    n = SCENE_BYTES // (4 * 3 * 2) + 10
    s = scene(axes, arrays={"stops": np.ones((1, 3)), "path": np.zeros((3, n, 2)), "loss": np.ones((3, 5)),
                            "diverged": np.full((3, 1), -1.0)})
    with pytest.raises(ValueError, match="more than the"):
        LiveCanvas().show(s)


def test_the_kernel_answers_the_browsers_hello_and_passes_clicks_on():
    clicks = []
    canvas = LiveCanvas(on_click=lambda *a: clicks.append(a))
    sent = Sent(canvas)
    custom(canvas, {"event": "hello"})
    assert sent.custom(canvas) == [{"event": "alive"}]
    custom(canvas, {"event": "click", "axes": 0, "x": 0.5, "y": -0.25})
    custom(canvas, {"event": "click", "axes": "zero", "x": 1, "y": 2})       # not what the front end sends
    custom(canvas, {"event": "click", "axes": 0, "x": float("nan"), "y": 2})  # no point
    custom(canvas, ["not", "a", "dict"])
    assert clicks == [(0, 0.5, -0.25)]


@pytest.mark.parametrize("stops", [np.geomspace(0.01, 1, 3)[None], np.geomspace(0.01, 1, 3)], ids=["(1, n)", "(n,)"])
def test_show_with_a_first_stop_sends_that_stop_alone_then_the_whole_sweep(axes, stops):
    """Issue 15 item 8: the browser draws the stop the slider shows from a small first message while the whole sweep
    (up to ~1.3 MB) is on its way."""
    s = scene(axes)
    s.arrays["stops"] = stops
    s.arrays["loss"] = np.arange(15.0).reshape(3, 5)
    canvas = LiveCanvas()
    canvas.show(scene(axes))
    sent = Sent(canvas)
    canvas.show(s, first_stop=1, pending=True)
    first, whole = [d["state"] for w, d in sent.messages if d.get("method") == "update"]
    assert first["only"] == 1 and whole["only"] == -1 and whole["version"] == first["version"] + 1 == 3
    assert first["texts"] == {"title": ["b"], "readout": [[["", "x"]]]} and whole["texts"] == s.texts
    assert first["pending"] is True and canvas.pending  # dimmed with the first message (the second has no news)
    part = s.at_stop(1)
    assert np.array_equal(part.arrays["loss"], [[5.0, 6, 7, 8, 9]])
    assert np.array_equal(part.arrays["stops"], stops)  # the table of step sizes is looked up by stop: kept whole
    assert part.arrays["diverged"].tolist() == [[2]] and part.arrays["path"].shape == (1, 5, 2)
    # what the kernel keeps (and a saved notebook stores) is the whole sweep
    assert canvas.only == -1 and canvas.texts == s.texts and canvas.arrays["loss"].shape == (3, 5)
    assert len(canvas.data) == len(pack(s.arrays)[0])


def test_a_scene_at_a_stop_it_does_not_have_is_refused(axes):
    with pytest.raises(ValueError, match="stop 3 is not one of this scene's 3 stops"):
        scene(axes).at_stop(3)


def _three_stops(axes, loss0=0.0):
    s = scene(axes)
    s.arrays["stops"] = np.geomspace(0.01, 1, 3)[None]
    s.arrays["loss"] = loss0 + np.arange(15.0).reshape(3, 5)
    return s


def test_a_held_whole_sweep_waits_for_the_first_stop_drawn_and_a_newer_show_drops_it(axes):
    """Sent at once, the whole sweep reached the page before its next frame and took that frame to decode: the
    stop the slider shows was drawn only with it. For a change from the page it now waits for that stop's 'drawn'
    (or WHOLE_WAIT); a newer scene replaces a held one, which is never sent."""
    import asyncio

    from stepviz.live.canvas import WHOLE_WAIT

    canvas = LiveCanvas()
    canvas.show(scene(axes))
    custom(canvas, {"event": "hello"})
    sent = Sent(canvas)

    def versions():
        return [(d["state"]["version"], d["state"].get("only")) for w, d in sent.messages
                if d.get("method") == "update" and "version" in d["state"]]

    async def act():
        old, new = _three_stops(axes), _three_stops(axes, 100.0)
        canvas.show(old, first_stop=1, hold=True)
        assert versions() == [(2, 1)] and canvas.whole_version == 3
        assert canvas.arrays["loss"][0, 0] == 0.0 and canvas.scene is old  # the kernel's truth: the whole sweep
        canvas.show(new, first_stop=2, hold=True)  # a newer change before the page drew the first
        assert versions() == [(2, 1), (3, 2)] and canvas.whole_version == 4
        custom(canvas, {"event": "drawn", "version": 2})  # the old first stop: its sweep is gone, nothing sent
        assert versions() == [(2, 1), (3, 2)]
        custom(canvas, {"event": "drawn", "version": 3})
        assert versions() == [(2, 1), (3, 2), (4, -1)] and canvas.texts == new.texts
        assert len(canvas.data) == len(pack(new.arrays)[0]) and canvas.whole_version == 4
        canvas.show(old, first_stop=0, hold=True)  # no 'drawn': sent after WHOLE_WAIT
        await asyncio.sleep(WHOLE_WAIT + 0.1)
        assert versions()[-2:] == [(5, 0), (6, -1)]
        canvas.show(new, first_stop=0, hold=True)
        canvas.relayout(new)  # new axes boxes must not be overwritten by the held sweep's old ones
        assert versions()[-3:] == [(7, 0), (8, -1), (9, None)] and canvas.whole_version == 9

    asyncio.run(act())


def test_a_whole_sweep_is_never_held_without_a_page_or_an_event_loop(axes):
    """Python-made changes (tests, nbval, the static export) and a canvas no page said hello to send both at once."""
    import asyncio

    canvas = LiveCanvas()
    sent = Sent(canvas)
    canvas.show(_three_stops(axes), first_stop=1, hold=True)  # no event loop running
    assert canvas.only == -1 and canvas.whole_version == canvas.version

    async def no_page():
        canvas.show(_three_stops(axes), first_stop=1, hold=True)  # a loop, but no page has said hello
        assert canvas.only == -1

    asyncio.run(no_page())
    assert len([d for w, d in sent.messages if "version" in d.get("state", {})]) == 4
