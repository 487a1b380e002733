"""The explorers of notebooks 03 and 05, driven headlessly (Agg backend): artists equal independent runs."""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

import stepviz as sv
from stepviz import live
from stepviz.optim.schedules import SCHEDULE_KINDS, from_decay

EXPLORERS = [
    lambda: live.local_limit_explorer("rosenbrock", lr=1e-3, steps=300),
    lambda: live.saddle_explorer(lr=0.1, offset=1e-3, steps=100),
    lambda: live.schedule_explorer("bowl", "inverse_time", lr=0.1, decay=0.05, steps=150),
]


def path_xy(e):
    return np.column_stack(e.path_line.get_data())


@pytest.mark.parametrize("make", EXPLORERS)
def test_browser_contract_classes_and_controls(make):
    e = make()
    assert "stepviz-explorer" in e._dom_classes
    lr = e.controls["lr"]
    assert isinstance(lr, widgets.FloatLogSlider) and "stepviz-lr" in lr._dom_classes
    sliders = [w for w in e.controls.values() if "stepviz-lr" in getattr(w, "_dom_classes", ())]
    assert sliders == [lr]  # exactly one step-size slider per explorer
    assert "stepviz-play" in e.controls["play"]._dom_classes
    assert "stepviz-iteration" in e.controls["iteration"]._dom_classes


@pytest.mark.parametrize("make", EXPLORERS)
def test_figure_made_once_and_not_tracked_by_pyplot(make):
    before = plt.get_fignums()
    e = make()
    fig, line = e.figure, e.path_line
    e.controls["lr"].value = e.controls["lr"].value * 1.5
    e.controls["steps"].value = 40
    assert e.figure is fig and e.path_line is line  # updated in place
    assert plt.get_fignums() == before
    e.figure.canvas.draw()


@pytest.mark.parametrize("make", EXPLORERS)
def test_iteration_slider_truncates_path_and_new_run_shows_all(make):
    e = make()
    e.controls["iteration"].value = 7
    np.testing.assert_array_equal(path_xy(e), e.trajectory.points[:8])
    assert "iteration 7" in e.status_text.get_text()
    e.controls["lr"].value = e.controls["lr"].value / 2
    assert len(path_xy(e)) == e.controls["steps"].value + 1


def test_png_fallback_in_display_bundle():
    data = live.saddle_explorer()._repr_mimebundle_()  # the base class's; the same for every explorer
    assert "image/png" in data and "application/vnd.jupyter.widget-view+json" in data


@pytest.mark.parametrize("make", EXPLORERS)
def test_every_control_at_both_ends_without_warnings(make):
    e = make()
    for name, w in e.controls.items():
        if name in ("play", "iteration") or not hasattr(w, "min"):
            continue
        for v in (w.min, w.max):
            w.value = v
            assert e.readout.value and e.trajectory.steps == e.controls["steps"].value
    e.figure.canvas.draw()


# --- LocalLimitExplorer -------------------------------------------------------------------------------

def test_local_limit_explorer_matches_run_and_theory():
    e = live.local_limit_explorer("rosenbrock", lr=1e-3, steps=300)
    e.controls["lr"].value = 3e-3
    r = sv.Rosenbrock()
    ref = sv.run(sv.GD(lr=3e-3), r, steps=300)
    np.testing.assert_array_equal(path_xy(e), ref.points)
    k, lim = e.limit_line.get_data()
    np.testing.assert_allclose(lim, sv.theory.local_lr_limit(r, ref.points))
    np.testing.assert_array_equal(e.alpha_line.get_ydata(), [3e-3, 3e-3])
    over_k, over_y = e.over_markers.get_data()
    np.testing.assert_array_equal(over_k, np.flatnonzero(3e-3 > sv.theory.local_lr_limit(r, ref.points)))
    assert len(over_k) > 0 and np.all(over_y == 3e-3)


def test_local_limit_explorer_diverged_readout():
    e = live.local_limit_explorer("rosenbrock", lr=1e-3, steps=300)
    e.controls["lr"].value = 0.03
    assert e.trajectory.diverged
    assert f"diverged at step {int(e.trajectory.diverged_at)}" in e.readout.value
    e.controls["iteration"].value = 300
    assert "diverged at step" in e.status_text.get_text()
    assert len(e.diverged_marker.get_xdata()) == 1


# --- SaddleExplorer -----------------------------------------------------------------------------------

def test_saddle_explorer_matches_run_and_prediction():
    e = live.saddle_explorer(lr=0.1, offset=1e-3, steps=100)
    e.controls["lr"].value = 0.3
    e.controls["offset"].value = 1e-5
    ref = sv.run(sv.GD(lr=0.3), sv.Saddle(), start=[1.8, 1e-5], steps=100)
    np.testing.assert_allclose(path_xy(e), ref.points)
    np.testing.assert_allclose(e.y_line.get_ydata(), np.abs(ref.points[:, 1]))
    k = np.arange(101)
    pred = e.prediction_line.get_ydata()
    shown = np.isfinite(pred)
    np.testing.assert_allclose(pred[shown], 1e-5 * 1.3 ** k[shown])
    first = int(np.argmax(np.abs(ref.points[:, 1]) >= 0.5))
    assert e.escape_step() == first
    assert f"escaped at step {first}" in e.readout.value


def test_saddle_explorer_on_the_stable_line_never_escapes():
    e = live.saddle_explorer(lr=0.1, offset=1e-3, steps=100)
    e.controls["on_line"].value = True
    assert e.controls["offset"].disabled
    assert np.all(e.trajectory.points[:, 1] == 0)
    assert e.escape_step() == -1
    assert "never escapes" in e.readout.value
    e.controls["on_line"].value = False
    assert not e.controls["offset"].disabled and e.escape_step() > 0


# --- ScheduleExplorer ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", SCHEDULE_KINDS)
def test_schedule_explorer_matches_run_with_each_schedule(kind):
    e = live.schedule_explorer("bowl", "inverse_time", lr=0.1, decay=0.05, steps=150, noise=0.5, seed=3)
    e.controls["schedule"].value = kind
    e.controls["decay"].value = 0.02
    sched = from_decay(kind, 0.1, 0.02, 150)
    bowl = sv.get_surface("bowl")
    ref = sv.run(sv.GD(lr=sched), bowl, steps=150, noise=0.5, seed=3)
    const = sv.run(sv.GD(lr=0.1), bowl, steps=150, noise=0.5, seed=3)
    np.testing.assert_array_equal(path_xy(e), ref.points)
    np.testing.assert_allclose(e.lr_line.get_ydata(), sched(np.arange(150)))
    np.testing.assert_allclose(e.loss_line.get_ydata(), np.where(ref.gap() > 0, ref.gap(), np.nan))
    np.testing.assert_allclose(e.reference_line.get_ydata(), np.where(const.gap() > 0, const.gap(), np.nan))
    assert e.controls["decay"].disabled == (kind in ("constant", "cosine"))
    assert "mean loss" in e.readout.value  # noisy: averaged, not a lucky single value


def test_schedule_explorer_readout_and_diverged():
    e = live.schedule_explorer("bowl", "constant", lr=0.1, steps=150)
    assert "reached 0.001 at step" in e.readout.value
    e.controls["lr"].value = 1.5
    assert e.trajectory.diverged
    assert "diverged at step" in e.readout.value
    e.controls["iteration"].value = 150
    assert "diverged at step" in e.status_text.get_text()


def test_schedule_dot_follows_iteration():
    e = live.schedule_explorer("bowl", "inverse_time", lr=0.1, decay=0.05, steps=150)
    e.controls["iteration"].value = 20
    assert e.lr_dot.get_xdata()[0] == 20
    assert e.lr_dot.get_ydata()[0] == pytest.approx(0.1 / (1 + 0.05 * 20))
    assert e.loss_iteration.get_xdata()[0] == 20


@pytest.mark.parametrize("make", EXPLORERS)
def test_cached_static_axes_render_the_same_pixels_as_a_full_draw(make):
    e = make()
    canvas = e.figure.canvas
    canvas.draw()
    e.controls["lr"].value = e.controls["lr"].value * 1.3
    e.controls["iteration"].value = 5
    canvas.draw()
    cached = np.asarray(canvas.buffer_rgba()).copy()
    e.static.invalidate()
    canvas.draw()
    np.testing.assert_array_equal(cached, np.asarray(canvas.buffer_rgba()))


@pytest.mark.parametrize("make", EXPLORERS)
def test_moving_artists_live_on_overlays_and_legends_name_them(make):
    e = make()
    assert e.path_line.axes is e.over[e.ax_path]
    labels = [t.get_text() for t in e.ax_path.get_legend().get_texts()]
    assert {"path", "start", "iteration k"} <= set(labels)
