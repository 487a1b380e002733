"""The Explorer, driven headlessly through its controls: what the browser draws (the canvas's arrays, marks
and texts) is the runs a learner would get one by one with stepviz.run."""
import itertools

import numpy as np
import pytest

import stepviz as sv
import stepviz.live.explorer as explorer_module
from stepviz import live
from stepviz.engine import settled_at
from stepviz.live.sweep_controls import StepSizeSlider
from stepviz.optim.schedules import inverse_time

from .browser import Sent, custom, update


@pytest.fixture
def explorer():
    return live.explore("bowl", "GD", lr=0.05, steps=80)


def expected_run(e, lr=None):
    c = e.controls
    lr = c["lr"].value if lr is None else lr
    lr = lr if c["decay"].value == 0 else inverse_time(lr, c["decay"].value)
    opt = sv.make_optimizer(c["optimizer"].value, lr=lr, momentum=c["momentum"].value)
    surface = sv.get_surface(c["surface"].value)
    return sv.run(opt, surface, np.array([c["x0"].value, c["y0"].value]), c["steps"].value)


def test_controls_named_in_design(explorer):
    c = explorer.controls
    for name in ("surface", "optimizer", "lr", "decay", "momentum", "steps", "x0", "y0", "iteration", "play"):
        assert name in c
    assert isinstance(c["lr"], StepSizeSlider) and "stepviz-lr" in c["lr"]._dom_classes
    assert "stepviz-play" in c["play"]._dom_classes and "stepviz-iteration" in c["iteration"]._dom_classes
    assert "stepviz-explorer" in explorer._dom_classes
    assert set(c["optimizer"].options) == set(sv.OPTIMIZERS)
    assert set(c["surface"].options) >= {"bowl", "rosenbrock", "saddle"}
    assert c["lr"].min == pytest.approx(1e-4) and c["lr"].max == pytest.approx(2.0)


@pytest.mark.parametrize("settings", [{}, {"optimizer": "Momentum", "momentum": 0.5},
                                      {"surface": "rosenbrock", "optimizer": "Adam", "steps": 300},
                                      {"decay": 0.05}, {"x0": 0.7, "y0": -1.2}, {"optimizer": "Nesterov"}])
def test_every_stop_of_the_sweep_is_the_single_run(explorer, settings):
    for k, v in settings.items():
        explorer.controls[k].value = v
    stops = explorer.stops
    paths, loss = explorer.canvas.arrays["path"], explorer.canvas.arrays["loss"]
    f_min = explorer.surface.f_min
    for i in (0, len(stops) // 3, explorer.controls["lr"].index, len(stops) - 1):
        ref = expected_run(explorer, stops[i])
        np.testing.assert_allclose(paths[i], ref.points, rtol=1e-10, atol=1e-12)
        with np.errstate(invalid="ignore"):
            gap = np.where(ref.losses - f_min > 0, ref.losses - f_min, np.nan)
        np.testing.assert_allclose(loss[i], gap, rtol=1e-10, equal_nan=True)
        assert explorer.canvas.arrays["diverged"][i, 0] == ref.diverged_at


def test_a_step_size_set_from_python_is_shown_exactly(explorer):
    explorer.controls["lr"].value = 0.1234
    assert explorer.stops[explorer.controls["lr"].index] == 0.1234
    np.testing.assert_array_equal(explorer.trajectory.points, expected_run(explorer).points)
    np.testing.assert_array_equal(explorer.shown("path"), expected_run(explorer).points)
    assert explorer.text("title") == "GD, α = 0.123 on bowl"


def test_a_step_size_typed_in_the_browser_is_run_exactly():
    """Issue 15 item 4: 0.18 and 0.22 could not be hit; the number box sends the typed value."""
    e = live.explore("bowl", "GD", lr=0.05, steps=60)
    for typed in (0.18, 0.22):
        nearest = int(np.argmin(np.abs(np.log(e.stops / typed))))
        update(e.controls["lr"], value=typed, index=nearest)  # what controls.js sends on Enter
        assert e.controls["lr"].value == typed and e.stops[e.controls["lr"].index] == typed
        np.testing.assert_array_equal(e.trajectory.points, expected_run(e).points)
        np.testing.assert_array_equal(e.shown("path"), e.trajectory.points)
        assert e.text("title") == f"GD, α = {typed:g} on bowl"


def test_the_named_step_sizes_of_the_bowl_are_exact_stops_of_the_slider():
    """Issue 15 item 4: the slider snaps to 1/L, 2/(mu+L), 2/L (and 2/mu), shown as ticks."""
    e = live.explore(sv.QuadraticBowl((1, 10)), "GD", lr=0.05, steps=50, lr_range=(1e-3, 3.0))
    marks = {m["label"]: m["value"] for m in e.controls["lr"].marks}
    assert marks == pytest.approx({"1/L": 0.1, "2/(μ+L)": 2 / 11, "2/L": 0.2, "2/μ": 2.0})
    for v in marks.values():
        assert v in e.controls["lr"].stops
    i = e.controls["lr"].stops.index(2 / 11)
    update(e.controls["lr"], index=i, value=2 / 11)  # a drag that lands on the tick
    assert f"measured {9 / 11:.3f}, predicted {9 / 11:.3f}" in e.readout.value
    e.controls["optimizer"].value = "Momentum"
    marks = {m["label"]: m["value"] for m in e.controls["lr"].marks}
    assert marks == pytest.approx({"limit": (2 + 2 * 0.9) / 10, "optimal": sv.theory.optimal_momentum(e.surface)[0]})
    e.controls["optimizer"].value = "Adam"
    assert e.controls["lr"].marks == []


def test_one_batched_run_per_change_and_none_for_the_step_size(explorer, monkeypatch):
    calls = []
    real = explorer_module.run
    monkeypatch.setattr(explorer_module, "run", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    explorer.controls["lr"].value = explorer.stops[7]  # a stop the browser already has
    assert calls == []
    explorer.controls["steps"].value = 90
    assert len(calls) == 1 and np.shape(calls[0].lr) == (len(explorer.stops),)
    explorer.controls["iteration"].value = 3
    assert len(calls) == 1


def test_iteration_cuts_the_path_and_a_new_sweep_shows_it_whole(explorer):
    explorer.controls["iteration"].value = 10
    np.testing.assert_array_equal(explorer.shown("path"), expected_run(explorer).points[:11])
    assert explorer.text("status") == "iteration 10"
    assert explorer.shown("loss").shape == (81,)  # the loss curve does not follow the iteration
    explorer.controls["momentum"].value = 0.5  # any recomputation shows the whole run again
    assert explorer.controls["iteration"].value == explorer.controls["iteration"].max == 80


def test_readout_and_status_say_diverged_exactly_when_the_run_did(explorer):
    limit = sv.theory.lr_limit(sv.QuadraticBowl())
    for lr in (0.5 * limit, 0.99 * limit, 1.05 * limit, 1.5):
        explorer.controls["lr"].value = lr
        ref = expected_run(explorer)
        assert bool(explorer.trajectory.diverged) == bool(ref.diverged)
        assert ("diverged at step" in explorer.readout.value) == bool(ref.diverged)
        assert ("diverged at step" in explorer.text("status")) == bool(ref.diverged)
        if ref.diverged:
            assert f"diverged at step {int(ref.diverged_at)}" in explorer.readout.value


def test_readout_shows_measured_and_predicted_rate_on_the_bowl(explorer):
    explorer.controls["steps"].value = 200
    explorer.controls["lr"].value = sv.theory.optimal_lr(sv.QuadraticBowl())
    predicted = sv.theory.gd_rate(sv.QuadraticBowl(), explorer.controls["lr"].value)
    assert f"predicted {predicted:.3f}" in explorer.readout.value
    assert f"measured {predicted:.3f}" in explorer.readout.value
    rates = explorer.canvas.arrays["rate"][:, 0]
    np.testing.assert_allclose(rates, np.minimum(sv.theory.gd_rate(sv.QuadraticBowl(), explorer.stops), 1.6),
                               rtol=1e-6)


def test_a_start_on_an_eigen_axis_is_compared_with_the_rate_that_applies():
    """Issue 15 item 5: 02 with theta_2 = 0 printed 'measured 0.778, predicted 1.224' for a converging run."""
    bowl = sv.QuadraticBowl((1, 10))
    e = live.explore(bowl, "GD", lr=0.222, steps=60, start=(-1.5, 0.0), lr_range=(1e-3, 3.0))
    assert not e.trajectory.diverged
    text = e.readout.value
    assert "measured 0.778, predicted 0.778" in text and "1.22" not in text
    assert "start lies on the μ axis" in text and "L direction's rate does not apply" in text
    e.controller.set(y0=0.5, lr=0.15)  # off the axis: the worst direction's rate, no remark
    assert "predicted 0.850" in e.readout.value and "axis" not in e.readout.value
    e.controls["lr"].value = 0.222
    assert "diverged at step" in e.readout.value
    turned = live.explore(sv.QuadraticBowl((1, 10), angle=90), "GD", lr=0.05, start=(0.0, 1.0), steps=60)
    assert "on the μ axis" in turned.readout.value  # the axes are the bowl's eigenvectors, not x and y


def test_with_decay_the_readout_says_why_there_is_no_prediction(explorer):
    explorer.controller.set(decay=0.05, steps=100)
    assert "predicted" not in explorer.readout.value.replace("no predicted", "")
    assert "theory is for a constant α" in explorer.readout.value


def test_the_readout_says_from_which_step_the_run_stays_within_the_tolerance():
    """Issue 15 item 5: a heavy ball on (1, 10) dips below 1e-6 at step 112 and stays below only from 149; the
    readout named 112. It now says 'within 1e-6 from step k on' with k from which it stays."""
    bowl = sv.QuadraticBowl((1, 10))
    e = live.explore(bowl, "Momentum", lr=0.01, momentum=0.9, steps=300)
    update(e.controls["lr"], value=0.05, index=int(np.argmin(np.abs(np.log(e.stops / 0.05)))))  # typed, Enter
    assert e.controls["lr"].value == 0.05
    ref = expected_run(e)
    gap = ref.losses - bowl.f_min
    first = int(np.argmax(gap <= 1e-6))
    stays = int(settled_at(gap, 1e-6))
    assert first < stays  # a run that ripples: the two differ
    assert f"within 1e-6 from step {stays} on" in e.readout.value and f"step {first} " not in e.readout.value
    update(e.controls["steps"], value=20)
    assert "not within 1e-6 at step 20" in e.readout.value and "from step" not in e.readout.value


def test_limit_and_optimal_marked_on_the_strip(explorer):
    bowl = sv.QuadraticBowl()
    assert explorer.limit_line.get_xdata()[0] == pytest.approx(2 / bowl.L)
    assert explorer.optimal_line.get_xdata()[0] == pytest.approx(2 / (bowl.mu + bowl.L))
    explorer.controller.set(optimizer="Momentum", momentum=0.5)
    assert explorer.limit_line.get_xdata()[0] == pytest.approx((2 + 2 * 0.5) / bowl.L)
    stop_marks = [m for m in explorer.canvas.marks if m.get("at") == "stop" and m["axes"] == 2]
    assert stop_marks, "the step size is marked on the strip"


def test_controls_that_do_not_apply_are_disabled(explorer):
    for name in sv.OPTIMIZERS:
        explorer.controls["optimizer"].value = name
        assert explorer.controls["momentum"].disabled == (name not in ("Momentum", "Nesterov"))
        assert not explorer.controls["lr"].disabled


@pytest.mark.parametrize("how", ["python", "browser"])
def test_a_surface_switch_moves_the_start_sliders_the_run_and_the_label_together(how):
    """Issue 15 item 2: choosing rosenbrock left the start sliders, controls['x0'].value and the aria-label at
    (-1.50, 1.00) while the path started at (-1.20, 1.00)."""
    e = live.explore("bowl", "GD", lr=0.001, steps=50)
    sent = Sent(e.controls["x0"], e.controls["y0"])
    if how == "browser":
        update(e.controls["surface"], index=list(e.controls["surface"].options).index("rosenbrock"))
    else:
        e.controls["surface"].value = "rosenbrock"
    r = sv.Rosenbrock()
    assert (e.controls["x0"].value, e.controls["y0"].value) == tuple(r.start)
    assert e.trajectory.points[0].tolist() == list(r.start)
    assert "from (-1.20, 1.00)" in e.alt and e.alt == e.canvas.texts["alt"][e.controls["lr"].index]
    assert e.ax_path.get_xlim() == r.bounds[0] and e.ax_path.get_ylim() == r.bounds[1]
    assert (e.controls["y0"].min, e.controls["y0"].max) == r.bounds[1]
    box = e.canvas.axes[0]
    assert box["xlim"] == list(r.bounds[0]) and box["ylim"] == list(r.bounds[1])
    for w, start in ((e.controls["x0"], (-2.0, 2.0, -1.5)), (e.controls["y0"], (-2.0, 2.0, 1.0))):
        state = dict(zip(("min", "max", "value"), start))
        for change in sent.states(w):  # the browser, message by message: never a value outside the range
            state.update(change)
            assert state["min"] <= state["value"] <= state["max"], state
        assert (state["min"], state["max"], state["value"]) == (w.min, w.max, w.value)


def test_a_click_on_the_contours_from_the_browser_moves_the_start(explorer):
    """Issue 15 item 1: axes_box never sent 'click', so the front end ignored every click; the old test
    called the private handler and asserted '... is None or True'."""
    assert [a["click"] for a in explorer.canvas.axes] == [True, False, False]
    custom(explorer.canvas, {"event": "click", "axes": 0, "x": 0.5012, "y": -0.2488})
    assert (explorer.controls["x0"].value, explorer.controls["y0"].value) == (0.5, -0.25)  # the sliders' grid
    assert explorer.trajectory.points[0].tolist() == [0.5, -0.25]
    assert "from (0.50, -0.25)" in explorer.alt
    custom(explorer.canvas, {"event": "click", "axes": 1, "x": 9.0, "y": 9.0})  # the loss axes take no click
    custom(explorer.canvas, {"event": "click", "axes": 0, "x": 99.0, "y": -99.0})  # outside: to the edge
    assert explorer.trajectory.points[0].tolist() == [2.0, -2.0]


@pytest.mark.parametrize("surface", ["bowl", "rosenbrock", "saddle"])
def test_every_control_at_both_ends_for_every_optimizer(surface):
    e = live.explore(surface, "GD", steps=50)
    c = e.controls
    for name in sv.OPTIMIZERS:
        c["optimizer"].value = name
        for control, end in itertools.product(("lr", "decay", "momentum", "x0", "y0"), ("min", "max")):
            c[control].value = getattr(c[control], end)
            assert e.readout.value and e.trajectory.steps == 50
            assert ("diverged at step" in e.readout.value) == bool(e.trajectory.diverged)
    e.fallback_png()


def test_budget_keeps_the_stored_state_under_2_MB():
    e = live.explore("rosenbrock", "Adam", steps=1000)
    assert 11 <= len(e.stops) < 201
    assert e.canvas.stored_bytes() < 2_000_000
    e.controls["steps"].value = 100  # room again for the full sweep
    assert len(e.stops) == 201


def test_an_optimizer_instance_keeps_its_hyperparameters():
    e = live.explore("bowl", sv.Adam(lr=0.5, beta1=0.8))
    assert e.controls["lr"].value == 0.5 and e.controls["optimizer"].value == "Adam"
    assert e.trajectory.optimizer.beta1 == 0.8
    ref = sv.run(sv.Adam(lr=0.5, beta1=0.8), sv.QuadraticBowl(), steps=100)
    np.testing.assert_allclose(e.trajectory.points, ref.points, rtol=1e-12)
    m = live.explore("bowl", sv.Momentum(lr=0.02, momentum=0.3))
    assert (m.controls["lr"].value, m.controls["momentum"].value) == (0.02, 0.3)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"lr": 5}, ValueError, "from 0.0001 to 2"), ({"lr": 0}, ValueError, "from 0.0001 to 2"),
    ({"steps": 5000}, ValueError, "from 1 to 1000"), ({"steps": 2.5}, TypeError, "whole number"),
    ({"momentum": 1.5}, ValueError, "from 0 to 0.99"), ({"momentum": np.nan}, ValueError, "from 0 to 0.99"),
    ({"decay": -1}, ValueError, "from 0 to 0.2"), ({"start": (100, 100)}, ValueError, "window of bowl"),
    ({"start": (1, 2, 3)}, ValueError, "start"), ({"lr": [0.1, 0.2]}, TypeError, "single number"),
    ({"lr": sv.inverse_time(0.1, 0.01)}, TypeError, "single number"), ({"lr": "0.1"}, TypeError, "single number"),
    ({"optimizer": "adamw"}, ValueError, "choose one of"), ({"optimizer": 3}, TypeError, "one of"),
    ({"surface": "moon"}, ValueError, "surface"),
])
def test_out_of_range_arguments_raise_one_clean_error_that_says_the_range(kwargs, error, words):
    with pytest.raises(error, match=words):
        live.explore(**kwargs)


def test_the_step_size_slider_set_out_of_range_says_the_range(explorer):
    with pytest.raises(ValueError, match=r"from 1e-4 to 2"):
        explorer.controls["lr"].value = 3.0
    assert explorer.controls["lr"].value == 0.05


def test_display_carries_a_png_with_the_path_and_alt_text(explorer):
    data = explorer._repr_mimebundle_()
    assert {"image/png", "text/plain", "application/vnd.jupyter.widget-view+json"} <= set(data)
    assert data["image/png"] and data["image/png"] != explorer.canvas.picture
    # a page that cannot show the widget (its kernel is gone) shows the picture and one line that says so
    assert 'alt="Contour plot of bowl with the path of GD' in data["text/html"]
    assert "its controls need the kernel that made it" in data["text/html"]
    assert "Contour plot of bowl with the path of GD" in data["text/plain"]
    assert explorer.canvas.texts["alt"][explorer.controls["lr"].index].startswith("Contour plot of bowl")


def test_lr_range_sets_the_slider_ends_and_bad_ranges_say_what_is_allowed():
    e = live.explore("bowl", "GD", lr=0.15, lr_range=(1e-3, 3.0))
    stops = e.controls["lr"].stops
    assert stops[0] == pytest.approx(1e-3) and stops[-1] == pytest.approx(3.0) and e.lr_range == (1e-3, 3.0)
    with pytest.raises(ValueError, match="from 0.001 to 3"):
        live.explore("bowl", "GD", lr=5.0, lr_range=(1e-3, 3.0))
    for bad in [(2.0, 1.0), (0.0, 1.0), (1e-3,), (1e-3, 1e3)]:
        with pytest.raises(ValueError, match="lr_range"):
            live.explore("bowl", lr_range=bad)
    e.close()
