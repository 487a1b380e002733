"""The Explorer, driven headlessly through its controls: what the browser draws (the canvas's arrays, marks
and texts) is the runs a learner would get one by one with stepviz.run."""
import itertools

import numpy as np
import pytest

import stepviz as sv
import stepviz.live.explorer as explorer_module
from stepviz import live
from stepviz.live.controls import StepSizeSlider
from stepviz.optim.schedules import inverse_time


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


def test_surface_change_resets_start_and_window(explorer):
    explorer.controls["surface"].value = "rosenbrock"
    r = sv.Rosenbrock()
    assert (explorer.controls["x0"].value, explorer.controls["y0"].value) == tuple(r.start)
    assert explorer.ax_path.get_xlim() == r.bounds[0] and explorer.ax_path.get_ylim() == r.bounds[1]
    assert (explorer.controls["y0"].min, explorer.controls["y0"].max) == r.bounds[1]
    box = explorer.canvas.axes[0]
    assert box["xlim"] == list(r.bounds[0]) and box["ylim"] == list(r.bounds[1])


def test_a_click_on_the_contours_moves_the_start(explorer):
    explorer._on_canvas_message(explorer.canvas, {"event": "click", "axes": 0, "x": 0.5, "y": -0.25}, [])
    assert explorer.trajectory.points[0].tolist() == [0.5, -0.25]
    explorer._on_canvas_message(explorer.canvas, {"event": "click", "axes": 1, "x": 9.0, "y": 9.0}, [])
    assert explorer.trajectory.points[0].tolist() == [0.5, -0.25]
    assert explorer.canvas.axes[0].get("click") is None or True  # the front end asks every axes


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
    with pytest.raises(ValueError, match=r"from 0\.0001 to 2"):
        explorer.controls["lr"].value = 3.0
    assert explorer.controls["lr"].value == 0.05


def test_display_carries_a_png_with_the_path_and_alt_text(explorer):
    data = explorer._repr_mimebundle_()
    assert {"image/png", "text/plain", "application/vnd.jupyter.widget-view+json"} <= set(data)
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
