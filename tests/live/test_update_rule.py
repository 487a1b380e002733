"""The 1-D update-rule explorer: its sweep is the closed form theta_k = (1 - alpha lambda)^k theta_0."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import live
from stepviz.live.sweep_controls import StepSizeSlider
from stepviz.live.scene import fmt


@pytest.fixture
def e():
    return live.explore_update_rule(lam=1.0, lr=0.3, theta0=1.5, steps=20)


def closed_form(lr, lam, theta0, steps):
    return (1 - lr * lam) ** np.arange(steps + 1) * theta0


def test_classes_and_controls(e):
    assert "stepviz-explorer" in e._dom_classes
    assert isinstance(e.controls["lr"], StepSizeSlider)
    assert "stepviz-play" in e.controls["play"]._dom_classes
    lo, hi = e.controls["lr"].min, e.controls["lr"].max
    for lam in (e.controls["lam"].min, e.controls["lam"].max):
        assert lo < 0.1 / lam and 2 / lam < hi  # every regime is reachable at every curvature


def test_lambda_one_and_alpha_one_are_exact_and_alpha_one_lands_in_one_step():
    """Issue 15 item 4: 01 passed lam=1.0 but the lambda slider showed 0.995 (a log slider's grid); Try this 2
    types alpha = 1 into the number box and asks for the steps to the minimum."""
    from .browser import update

    e = live.explore_update_rule(lam=1.0, lr=0.3, theta0=1.5, steps=20)
    assert e.controls["lam"].value == 1.0 and e.controls["lam"].min <= 1.0 - e.controls["lam"].step
    update(e.controls["lam"], value=1.0)  # typed into the lambda readout
    assert e.controls["lam"].value == 1.0
    marks = {m["label"]: m["value"] for m in e.controls["lr"].marks}
    assert marks == {"1/λ": 1.0, "2/λ": 2.0} and 1.0 in e.controls["lr"].stops
    update(e.controls["lr"], value=1.0, index=e.controls["lr"].stops.index(1.0))
    assert e.trajectory.points[1, 0] == 0.0 and e.regime == "smooth"
    assert "|θ| within 1e-6 from step 1 on" in e.readout.value
    update(e.controls["lam"], value=2.5)
    assert {m["label"]: m["value"] for m in e.controls["lr"].marks} == {"1/λ": 0.4, "2/λ": 0.8}


@pytest.mark.parametrize("settings", [{"lr": 0.05}, {"lr": 1.0}, {"lr": 1.7}, {"lam": 3.0, "lr": 0.5},
                                      {"theta0": -0.8, "steps": 40}, {"lam": 0.3, "lr": 6.0}])
def test_every_stop_is_the_closed_form(e, settings):
    e.controller.set(**settings)
    c = e.controls
    lam, theta0, steps = c["lam"].value, c["theta0"].value, c["steps"].value
    theta, curve, env = e.canvas.arrays["theta"], e.canvas.arrays["curve"], e.canvas.arrays["env"]
    for i in (0, len(e.stops) // 2, c["lr"].index, len(e.stops) - 1):
        th = closed_form(e.stops[i], lam, theta0, steps)
        ok = np.abs(th) < 150  # beyond 100 plot windows the run is declared diverged (NaN from there on)
        np.testing.assert_allclose(theta[i][ok], th[ok], rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(curve[i][ok], np.stack([th, 0.5 * lam * th ** 2], -1)[ok], rtol=1e-5, atol=1e-8)
        bound = np.abs(1 - e.stops[i] * lam) ** np.arange(steps + 1) * abs(theta0)
        np.testing.assert_allclose(env[i][bound < 1e6], bound[bound < 1e6], rtol=1e-5)
    lr = c["lr"].value
    assert e.regime == sv.analysis.regime(lr, lam)
    assert e.readout.value.startswith(f"{e.regime} · ")
    assert f"factor 1 − αλ = {fmt(1 - lr * lam)}" in e.readout.value
    assert e.text("title").endswith(e.regime)
    assert e.one_line.get_xdata()[0] == pytest.approx(1 / lam) and e.two_line.get_xdata()[0] == pytest.approx(2 / lam)


def test_regime_spans_follow_lambda(e):
    e.controls["lam"].value = 2.0
    bounds = sv.analysis.regime_bounds(2.0, (1e-3, 10.0))
    for name, span, _ in e.spans:
        a, b = bounds[name]
        assert span.get_x() == pytest.approx(a) and span.get_width() == pytest.approx(b - a)


def test_status_names_theta_k_and_when_it_leaves_the_plot(e):
    e.controls["iteration"].value = 4
    th = closed_form(0.3, 1.0, 1.5, 20)
    assert e.text("status") == f"iteration 4 · θ_k = {fmt(th[4])}"
    e.controller.set(lr=2.1, steps=30)  # |1 - alpha lambda| = 1.1: out of the window after a while
    k_off = int(np.argmax(np.abs(closed_form(2.1, 1.0, 1.5, 30)) > 2.6))
    e.controls["iteration"].value = k_off
    assert e.text("status").endswith("(off the plot)")


def test_divergence_is_a_message(e):
    e.controller.set(steps=60, lr=2.5)
    ref = sv.analysis.parabola_run(1.0, 2.5, 1.5, 60)
    assert ref.diverged and e.regime == "diverging"
    assert f"diverged at step {int(ref.diverged_at)}" in e.readout.value
    assert "diverged at step" in e.text("status")
    e.controls["lr"].value = 0.3
    assert "diverged" not in e.readout.value


@pytest.mark.parametrize("kwargs, error", [({"lr": -0.1}, ValueError), ({"lr": 50.0}, ValueError),
                                           ({"lam": 0.0}, ValueError), ({"theta0": 5.0}, ValueError),
                                           ({"steps": 2.5}, TypeError), ({"steps": 500}, ValueError),
                                           ({"lr": "big"}, TypeError), ({"lr": [0.1, 0.2]}, TypeError)])
def test_bad_arguments_say_the_range(kwargs, error):
    with pytest.raises(error, match="from .* to"):
        live.explore_update_rule(**kwargs)
