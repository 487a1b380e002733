"""Compare live (issue 16 item 5): the runs pinned in an explorer are what sv.run computes, are sent to the browser
as data the same for every stop (so dragging moves only the live run and Play animates them all), each with its own
colour, dash and marker, named in a legend and in the readout; pinned through the button's comm as a click does."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.lines import Line2D

import stepviz as sv
from stepviz import live
from stepviz.lessons import adam_and_adadelta as L9
from stepviz.lessons import too_big_too_small as L2
from stepviz.live import render
from stepviz.live.compare_live import MAX_PINS, dash_px, pin_style
from stepviz.live.scene import Line, Marker
from stepviz.viz.style import PATH_COLOR, PATH_COLORS, PATH_MARKERS

from .browser import custom, update

LRS = [0.21, 0.198, 0.18, 0.1]
BOWL = sv.get_surface("bowl")


def gap(tr):
    g = tr.losses.reshape(-1) - tr.surface.f_min
    return np.where(g > 0, g, np.nan)


def drag(e, lr):
    """The browser moves the step-size slider to the stop nearest ``lr``."""
    w = e.controls["lr"]
    i = int(np.argmin(np.abs(np.log(np.asarray(w.stops) / lr))))
    update(w, value=float(w.stops[i]), index=i)
    return float(w.stops[i])


def click(button):
    custom(button, {"event": "click"})  # what ipywidgets' front end sends for a click


@pytest.fixture
def cmp():
    e = live.compare("bowl", lrs=LRS, steps=60, live=True)
    yield e
    e.close()


def test_pinned_runs_sent_are_sv_runs(cmp):
    arrays = cmp.canvas.arrays
    assert len(cmp.pins) == 3 and cmp.controls["lr"].value == LRS[-1]
    for i, lr in enumerate(LRS[:-1]):
        want = sv.run(sv.GD(lr=lr), BOWL, steps=60)
        assert arrays[f"pin{i}_path"].shape == (1, 61, 2)  # one row for every stop
        np.testing.assert_allclose(arrays[f"pin{i}_path"][0], want.points, rtol=1e-6, atol=1e-6, equal_nan=True)
        np.testing.assert_allclose(arrays[f"pin{i}_loss"][0], gap(want), rtol=1e-5, equal_nan=True)
        assert arrays[f"pin{i}_diverged"][0, 0] == want.diverged_at
    np.testing.assert_allclose(cmp.trajectory.points, sv.run(sv.GD(lr=0.1), BOWL, steps=60).points)
    assert cmp.labels == [f"GD, α = {lr:g}" for lr in LRS]


def test_a_click_pins_the_dragged_run_and_the_live_one_moves_on(cmp):
    click(cmp.controls["unpin"])
    assert cmp.pins == [] and not any(k.startswith("pin") for k in cmp.canvas.arrays)
    shown = drag(cmp, 0.05)
    click(cmp.controls["pin"])
    want = sv.run(sv.GD(lr=shown), BOWL, steps=60)
    np.testing.assert_allclose(cmp.canvas.arrays["pin0_path"][0], want.points, rtol=1e-6, atol=1e-7)
    other = drag(cmp, 0.01)
    np.testing.assert_allclose(cmp.canvas.arrays["pin0_path"][0], want.points, rtol=1e-6, atol=1e-7)  # kept
    np.testing.assert_allclose(render.row(cmp.canvas.arrays["path"], cmp.controls["lr"].index),
                               sv.run(sv.GD(lr=other), BOWL, steps=60).points, rtol=1e-5, atol=1e-6)
    assert f"Pinned: GD, α = {sv.live.scene.fmt(shown)}" in cmp.readout.value.replace("0.0501", "0.0501")
    texts = [t.get_text() for t in cmp.ax_loss.get_legend().get_texts()]
    assert texts == ["the run shown", cmp.pins[0].label]


def test_each_run_has_its_own_colour_dash_and_marker(cmp):
    styles = [pin_style(i) for i in range(MAX_PINS)]
    assert [s["color"] for s in styles] == list(PATH_COLORS[1:MAX_PINS + 1])
    assert [s["marker"] for s in styles] == list(PATH_MARKERS[1:MAX_PINS + 1])
    assert len({s["dash"] for s in styles}) == MAX_PINS and all(s["dash"] for s in styles)
    assert PATH_COLOR not in [s["color"] for s in styles]
    # matplotlib's own dash of a dashed line, in points, times pixels per point
    on, off = Line2D([], [], ls="--", lw=1.6)._dash_pattern[1]
    assert dash_px("--") == pytest.approx((on * 100 / 72, off * 100 / 72))
    marks = cmp.canvas.scene.marks
    for i in range(3):
        lines = [m for m in marks if isinstance(m, Line) and m.data in (f"pin{i}_path", f"pin{i}_loss")]
        assert [(m.axes, m.color, m.dash) for m in lines] == [(0, styles[i]["color"], styles[i]["dash"]),
                                                              (1, styles[i]["color"], styles[i]["dash"])]
        assert lines[0].upto == "iteration"  # the pinned path follows the iteration: Play animates it
        at = [m for m in marks if isinstance(m, Marker) and m.data == f"pin{i}_path" and m.at == "iteration"]
        assert at[0].shape == styles[i]["marker"] and at[0].diverged == f"pin{i}_diverged"
    first_live = next(j for j, m in enumerate(marks) if getattr(m, "data", None) == "path")
    assert all(not getattr(m, "data", "").startswith("pin") for m in marks[first_live:])  # the live run on top


def test_the_pinned_paths_follow_the_iteration_in_the_fallback_picture(cmp):
    """render.draw (the PNG without widgets) draws the pins up to the iteration shown, like the browser."""
    sc = cmp.canvas.scene
    for k in (0, 7, 60):
        artists = render.draw(sc.axes, sc.marks, cmp.canvas.arrays, cmp.canvas.texts, cmp.controls["lr"].index, k)
        try:
            blue = [a for a in artists if isinstance(a, Line2D) and a.get_color() == PATH_COLORS[1]
                    and a.axes is cmp.ax_path and a.get_linestyle() != "None"]
            assert [len(a.get_xdata()) for a in blue] == [k + 1]
        finally:
            for a in artists:
                a.remove()


def test_at_most_four_pins_then_one_line_says_so(cmp):
    click(cmp.controls["pin"])
    assert len(cmp.pins) == MAX_PINS and cmp.canvas.error == ""
    click(cmp.controls["pin"])
    assert len(cmp.pins) == MAX_PINS and "4 runs are pinned already" in cmp.canvas.error
    click(cmp.controls["unpin"])
    assert cmp.pins == [] and cmp.canvas.error == ""


def test_a_new_surface_lets_the_pins_go(cmp):
    update(cmp.controls["surface"], index=list(cmp.controls["surface"].options).index("rosenbrock"))
    assert cmp.pins == [] and "pin0_path" not in cmp.canvas.arrays and "Pinned" not in cmp.readout.value


def test_optimizers_race_on_one_surface():
    methods = [sv.GD(lr=0.05), sv.Momentum(lr=0.02, momentum=0.9), sv.Adam(lr=0.1)]
    e = live.compare("bowl", methods, steps=40, live=True)
    try:
        assert e.controls["optimizer"].value == "Adam" and len(e.pins) == 2
        for pin, o in zip(e.pins, methods):
            np.testing.assert_allclose(pin.trajectory.points, sv.run(o, BOWL, steps=40).points)
        np.testing.assert_allclose(e.trajectory.points, sv.run(methods[-1], BOWL, steps=40).points)
        assert "Pinned runs, drawn with it: GD, α = 0.05" in e.alt
    finally:
        e.close()


def test_too_many_runs_are_refused():
    with pytest.raises(ValueError, match="at most 5 runs"):
        live.compare("bowl", lrs=[0.01, 0.02, 0.03, 0.04, 0.05, 0.06], live=True)


def test_notebook_02s_comparison_is_the_runs_its_prose_reads():
    """02 states the runs' numbers (tests/lessons/test_too_big_too_small.py reads them off sv.run): these runs."""
    bowl = sv.QuadraticBowl(curvatures=L2.BOWL_CURVATURES)
    limit = sv.theory.lr_limit(bowl)
    e = sv.compare(bowl, lrs=[f * limit for f in L2.AROUND_THE_LIMIT], steps=100, live=True)
    try:
        for tr, f in zip(e.trajectories, L2.AROUND_THE_LIMIT):
            np.testing.assert_allclose(tr.points, sv.run(sv.GD(lr=f * limit), bowl, steps=100).points)
    finally:
        e.close()


def test_notebook_09s_race_is_the_comparison_its_prose_reads():
    """09's prose numbers are checked on sv.viz.plot_comparison (tests/lessons/test_adam_and_adadelta.py): the live
    race shows the same runs under the same labels."""
    fig = sv.viz.plot_comparison("rosenbrock", L9.rosenbrock_methods(), steps=500)
    e = sv.compare("rosenbrock", L9.rosenbrock_methods(), steps=500, live=True)
    try:
        assert e.labels == list(fig.labels)
        for a, b in zip(e.trajectories, fig.trajectories):
            np.testing.assert_allclose(a.points, b.points, rtol=1e-12)
    finally:
        e.close()


def test_the_saved_widget_state_holds_the_pins_and_close_lets_them_go():
    """A saved page replays the widget state: the pinned runs must be in it (shapes, marks), not in the kernel."""
    e = live.compare("bowl", lrs=[0.05, 0.1], steps=20, live=True)
    state = e.canvas.get_state()
    assert state["shapes"]["pin0_path"]["shape"] == [1, 21, 2]
    assert any(m.get("data") == "pin0_path" and m.get("upto") == "iteration" for m in state["marks"])
    e.close()
    assert e.pins == [] and e.canvas is None


def test_the_legend_is_made_again_only_when_the_pinned_runs_change(cmp):
    """Dragging or switching the live run keeps the legend (matplotlib's legend took ~3 ms of each change); pinning
    or clearing makes it anew, naming every run."""
    click(cmp.controls["unpin"])
    legend = cmp.ax_loss.get_legend()
    drag(cmp, 0.02)
    update(cmp.controls["optimizer"], index=list(cmp.controls["optimizer"].options).index("Momentum"))
    assert cmp.ax_loss.get_legend() is legend
    click(cmp.controls["pin"])
    texts = [t.get_text() for t in cmp.ax_loss.get_legend().get_texts()]
    assert cmp.ax_loss.get_legend() is not legend and texts == ["the run shown", cmp.pins[0].label]
    assert cmp.pins[0].label.startswith("Momentum")
    click(cmp.controls["unpin"])
    assert [t.get_text() for t in cmp.ax_loss.get_legend().get_texts()] == ["the run shown"]


@pytest.mark.parametrize("width", [600.0, 840.0, 1200.0])
def test_a_label_pinned_after_a_new_width_stays_inside_the_figure(width):
    """Laid out again at the width the browser reports (with no pin, a short legend), the explorer kept room only
    for that legend: 'Adadelta, α = 0.00745' pinned afterwards was cut at the figure's right edge (09 at 1280 px).
    The layout leaves room for the widest legend the explorer holds."""
    e = live.compare_explorer("rosenbrock", L9.rosenbrock_methods(), steps=50)
    click(e.controls["unpin"])
    e.canvas._handle_custom_msg({"event": "resize", "width": width, "ratio": 1.0}, [])  # as the browser says it
    update(e.controls["optimizer"], index=list(e.controls["optimizer"].options).index("Momentum"))
    for _ in range(MAX_PINS):
        click(e.controls["pin"])
    e.picture.render()
    legend = e.ax_loss.get_legend()
    renderer = e.figure.canvas.get_renderer()
    box, figure = legend.get_window_extent(renderer), e.figure.bbox
    assert [t.get_text() for t in legend.get_texts()][1].startswith("Momentum, α = ")
    assert box.x1 <= figure.x1 + 0.5 and box.y0 >= figure.y0 - 0.5, (box, figure)
    assert min(t.get_fontsize() for t in legend.get_texts()) >= sv.live.sizing.MIN_TEXT_PT
    e.close()
