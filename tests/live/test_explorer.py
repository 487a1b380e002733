"""The explorers, driven headlessly through Explorer.controls (Agg backend)."""
import itertools

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

import stepviz as sv
import stepviz.viz.figure
from stepviz import live
from stepviz.optim.schedules import inverse_time


@pytest.fixture
def explorer():
    return live.explore("bowl", "GD", lr=0.05, steps=80)


def expected_run(e):
    c = e.controls
    lr = c["lr"].value if c["decay"].value == 0 else inverse_time(c["lr"].value, c["decay"].value)
    opt = sv.make_optimizer(c["optimizer"].value, lr=lr, momentum=c["momentum"].value)
    surface = sv.get_surface(c["surface"].value)
    return sv.run(opt, surface, np.array([c["x0"].value, c["y0"].value]), c["steps"].value)


def path_xy(e):
    return np.column_stack(e.path_line.get_data())


def test_controls_named_in_design(explorer):
    for name in ("surface", "optimizer", "lr", "decay", "momentum", "steps", "x0", "y0", "iteration"):
        assert name in explorer.controls
    assert explorer.controls["lr"].__class__.__name__ == "FloatLogSlider"
    assert set(explorer.controls["optimizer"].options) == set(sv.OPTIMIZERS)
    assert set(explorer.controls["surface"].options) >= {"bowl", "rosenbrock", "saddle"}


def test_path_equals_run_for_same_settings(explorer):
    c = explorer.controls
    for settings in ({"lr": 0.13}, {"optimizer": "Momentum", "momentum": 0.5},
                     {"surface": "rosenbrock", "optimizer": "Adam", "lr": 0.02, "steps": 300},
                     {"decay": 0.05}, {"x0": 0.7, "y0": -1.2}):
        for k, v in settings.items():
            c[k].value = v
        ref = expected_run(explorer)
        np.testing.assert_array_equal(path_xy(explorer), ref.points)
        np.testing.assert_array_equal(explorer.loss_line.get_ydata()[:1], ref.losses[:1] - explorer.surface.f_min)


def test_iteration_slider_truncates_path(explorer):
    explorer.controls["iteration"].value = 10
    ref = expected_run(explorer)
    np.testing.assert_array_equal(path_xy(explorer), ref.points[:11])
    assert "iteration 10" in explorer.status_text.get_text()
    explorer.controls["lr"].value = 0.02  # a new run shows the whole path again
    assert len(path_xy(explorer)) == explorer.controls["steps"].value + 1


def test_readout_says_diverged_exactly_when_run_did(explorer):
    bowl = sv.QuadraticBowl()
    limit = sv.theory.lr_limit(bowl)
    for lr in (0.5 * limit, 0.99 * limit, 1.05 * limit, 1.5):
        explorer.controls["lr"].value = lr
        ref = expected_run(explorer)
        assert bool(explorer.trajectory.diverged) == bool(ref.diverged)
        assert ("diverged at step" in explorer.readout.value) == bool(ref.diverged)
        if ref.diverged:
            assert f"diverged at step {int(ref.diverged_at)}" in explorer.readout.value
            assert len(explorer.diverged_marker.get_xdata()) == 1


def test_readout_shows_measured_and_predicted_rate_on_bowl(explorer):
    explorer.controls["steps"].value = 200
    explorer.controls["lr"].value = sv.theory.optimal_lr(sv.QuadraticBowl())
    predicted = sv.theory.gd_rate(sv.QuadraticBowl(), explorer.controls["lr"].value)
    assert f"predicted {predicted:.3f}" in explorer.readout.value
    assert f"measured {predicted:.3f}" in explorer.readout.value


def test_limit_and_optimal_marked_on_step_size_strip(explorer):
    bowl = sv.QuadraticBowl()
    assert explorer.limit_line.get_xdata()[0] == pytest.approx(2 / bowl.L)
    assert explorer.optimal_line.get_xdata()[0] == pytest.approx(2 / (bowl.mu + bowl.L))
    explorer.controls["optimizer"].value = "Momentum"
    explorer.controls["momentum"].value = 0.5
    assert explorer.limit_line.get_xdata()[0] == pytest.approx((2 + 2 * 0.5) / bowl.L)
    assert explorer.lr_line.get_xdata()[0] == explorer.controls["lr"].value


def test_controls_that_do_not_apply_are_disabled(explorer):
    for name in sv.OPTIMIZERS:
        explorer.controls["optimizer"].value = name
        assert explorer.controls["momentum"].disabled == (name not in ("Momentum", "Nesterov"))
        assert not explorer.controls["lr"].disabled


def test_surface_change_resets_start_and_window(explorer):
    explorer.controls["surface"].value = "rosenbrock"
    r = sv.Rosenbrock()
    assert (explorer.controls["x0"].value, explorer.controls["y0"].value) == tuple(r.start)
    assert explorer.ax_path.get_xlim() == r.bounds[0] and explorer.ax_path.get_ylim() == r.bounds[1]
    assert (explorer.controls["y0"].min, explorer.controls["y0"].max) == r.bounds[1]


class Click:
    def __init__(self, ax, x, y, button=1):
        self.inaxes, self.xdata, self.ydata, self.button = ax, x, y, button


def test_click_on_contours_moves_start(explorer):
    explorer._on_click(Click(explorer.over_path, 0.5, -0.25))
    assert explorer.trajectory.points[0].tolist() == [0.5, -0.25]
    explorer._on_click(Click(explorer.over_loss, 9.0, 9.0))  # elsewhere: ignored
    assert explorer.trajectory.points[0].tolist() == [0.5, -0.25]


@pytest.mark.parametrize("surface", ["bowl", "rosenbrock", "saddle"])
def test_every_control_at_both_ends_for_every_optimizer(surface):
    """No exception, no warning (pytest runs with warnings as errors), path axes fixed to the window."""
    e = live.explore(surface, "GD", lr=0.01, steps=50)
    bounds = sv.get_surface(surface).bounds
    for name in sv.OPTIMIZERS:
        e.controls["optimizer"].value = name
        for control, end in itertools.product(("lr", "decay", "momentum", "steps", "x0", "y0"), ("min", "max")):
            w = e.controls[control]
            w.value = getattr(w, end) if control != "lr" else 10 ** getattr(w, end)
            assert e.ax_path.get_xlim() == bounds[0] and e.ax_path.get_ylim() == bounds[1]
            assert ("diverged at step" in e.readout.value) == bool(e.trajectory.diverged)
        e.figure.canvas.draw()
        e.controls["steps"].value = 50
        e.controls["decay"].value = 0.0


def test_cached_static_layer_renders_the_same_pixels_as_a_full_draw(explorer):
    canvas = explorer.figure.canvas
    canvas.draw()
    explorer.controls["lr"].value = 0.15
    canvas.draw()
    fast = np.asarray(canvas.buffer_rgba()).copy()
    explorer.static.invalidate()
    canvas.draw()
    full = np.asarray(canvas.buffer_rgba()).copy()
    np.testing.assert_array_equal(fast, full)
    explorer.controls["surface"].value = "saddle"  # new contours must show, not the cached bowl
    canvas.draw()
    saddle = np.asarray(canvas.buffer_rgba()).copy()
    explorer.static.invalidate()
    canvas.draw()
    np.testing.assert_array_equal(saddle, np.asarray(canvas.buffer_rgba()))
    assert not np.array_equal(saddle, full)


def test_static_png_fallback_in_display_bundle(explorer):
    data = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["image/png"][:8] == "iVBORw0K"  # base64 of the PNG signature


def test_bad_initial_values_raise():
    with pytest.raises(ValueError, match="unknown optimizer"):
        live.explore("bowl", "SGD2")
    with pytest.raises(ValueError, match="unknown surface"):
        live.explore("volcano")
    with pytest.raises(ValueError, match="lr must be"):
        live.explore("bowl", "GD", lr=-1)


def test_compare_runs_each_step_size():
    bowl = sv.QuadraticBowl()
    lrs = [0.01, 0.1, 0.19, 0.21]
    comp = live.compare(bowl, lrs=lrs, steps=60)
    for tr, lr in zip(comp.trajectories, lrs):
        np.testing.assert_array_equal(tr.points, sv.run(sv.GD(lr), bowl, steps=60).points)
    paths = [l for l in comp.ax_path.get_lines() if l.get_label().startswith("α =")]
    assert [l.get_label().split(" (")[0] for l in paths] == [f"α = {lr:.3g}" for lr in lrs]
    assert "diverged at step" in paths[-1].get_label()
    assert "diverged" in comp.summary().splitlines()[-1]
    with pytest.raises(ValueError, match="either"):
        live.compare(bowl)


def test_compare_optimizers():
    opts = [sv.GD(0.001), sv.Adam(0.05)]
    comp = live.compare("rosenbrock", opts, steps=40)
    assert len(comp.trajectories) == 2
    with pytest.raises(TypeError, match="stepviz optimizers"):
        live.compare("rosenbrock", ["GD"])


def test_explorer_figures_are_not_tracked_by_pyplot():
    before = plt.get_fignums()
    live.explore("bowl")
    assert plt.get_fignums() == before


# ipympl's own Toolbar passes traitlets a deprecated argument; nothing of ours warns.
@pytest.mark.filterwarnings("ignore::DeprecationWarning:traitlets")
def test_live_canvas_keeps_a_stored_picture_without_a_browser(monkeypatch, request):
    """Executed without a front end (nbconvert, nbval), the saved widget state must hold the figure."""
    import matplotlib

    backend = matplotlib.get_backend()
    request.addfinalizer(lambda: matplotlib.use(backend))  # importing ipympl switches the backend to itself
    monkeypatch.setattr(stepviz.viz.figure, "using_ipympl", lambda: True)
    e = live.explore("bowl", "GD", lr=0.05)
    canvas = e.figure.canvas
    assert isinstance(canvas, ipywidgets.DOMWidget) and canvas.syncing_data_url
    e._repr_mimebundle_()
    first = canvas._data_url
    assert first.startswith("data:image/png;base64,iVBORw0K")
    e.controls["lr"].value = 0.21  # a change after display updates the stored picture too
    assert canvas._data_url.startswith("data:image/png;base64,") and canvas._data_url != first


def test_browser_drag_is_coalesced_into_one_update(explorer):
    """Values from the front end (set_state, as ipywidgets applies a comm message) inside a running event
    loop are merged: one recomputation with the latest value, after DRAG_INTERVAL."""
    import asyncio

    calls = []
    original = explorer.update
    explorer.update = lambda: (calls.append(explorer.controls["lr"].value), original())

    async def drag():
        for v in (0.06, 0.07, 0.08, 0.09):
            explorer.controls["lr"].set_state({"value": v})
        assert calls == []  # nothing recomputed while the drag goes on
        await asyncio.sleep(live.explorer.DRAG_INTERVAL + 0.05)

    asyncio.run(drag())
    assert calls == [0.09]
    np.testing.assert_array_equal(path_xy(explorer), sv.run(sv.GD(0.09), sv.QuadraticBowl(), steps=80).points)


def test_front_end_change_without_event_loop_updates_at_once(explorer):
    explorer.controls["lr"].set_state({"value": 0.11})
    np.testing.assert_array_equal(path_xy(explorer), sv.run(sv.GD(0.11), sv.QuadraticBowl(), steps=80).points)
