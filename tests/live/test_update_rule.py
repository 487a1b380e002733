"""The 1-D update-rule explorer, driven headlessly through its controls (Agg backend)."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import live


@pytest.fixture
def e():
    return live.explore_update_rule(lam=1.0, lr=0.3, theta0=1.5, steps=20)


def closed_form(e):
    c = e.controls
    return (1 - c["lr"].value * c["lam"].value) ** np.arange(c["steps"].value + 1) * c["theta0"].value


def test_classes_and_controls(e):
    assert "stepviz-explorer" in e._dom_classes
    assert "stepviz-lr" in e.controls["lr"]._dom_classes
    assert "stepviz-play" in e.controls["play"]._dom_classes
    assert "stepviz-iteration" in e.controls["iteration"]._dom_classes
    assert type(e.controls["lr"]).__name__ == "FloatLogSlider"
    lo, hi = 10 ** e.controls["lr"].min, 10 ** e.controls["lr"].max
    for lam in (10 ** e.controls["lam"].min, 10 ** e.controls["lam"].max):
        assert lo < 0.1 / lam and 2 / lam < hi  # every regime is reachable at every curvature


@pytest.mark.parametrize("settings", [{"lr": 0.05}, {"lr": 1.0}, {"lr": 1.7}, {"lam": 3.0, "lr": 0.5},
                                      {"theta0": -0.8, "steps": 40}, {"lam": 0.3, "lr": 6.0}])
def test_artists_equal_the_formula(e, settings):
    figure = e.figure
    for k, v in settings.items():
        e.controls[k].value = v
    assert e.figure is figure
    th = closed_form(e)
    lam, lr = e.controls["lam"].value, e.controls["lr"].value
    np.testing.assert_allclose(e.iterates_line.get_ydata(), th, rtol=1e-9, atol=1e-12)
    x, y = e.path_line.get_data()
    np.testing.assert_allclose(x, th, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(y, 0.5 * lam * th ** 2, rtol=1e-9, atol=1e-12)
    assert e.one_line.get_xdata()[0] == pytest.approx(1 / lam)
    assert e.two_line.get_xdata()[0] == pytest.approx(2 / lam)
    assert e.lr_line.get_xdata()[0] == lr
    assert e.regime == sv.analysis.regime(lr, lam)
    assert f"<b>{e.regime}</b>" in e.readout.value
    assert f"factor 1 − αλ = {1 - lr * lam:.3g}" in e.readout.value
    cx, cy = e.curve.get_data()
    np.testing.assert_allclose(cy, 0.5 * lam * cx ** 2)
    e.figure.canvas.draw()


def test_regime_spans_follow_lambda(e):
    e.controls["lam"].value = 2.0
    bounds = sv.analysis.regime_bounds(2.0, e._lr_range)
    for name, span, _ in e.spans:
        a, b = bounds[name]
        assert span.get_x() == pytest.approx(a) and span.get_width() == pytest.approx(b - a)


def test_iteration_truncates(e):
    e.controls["iteration"].value = 4
    np.testing.assert_allclose(e.iterates_line.get_ydata(), closed_form(e)[:5])
    assert "iteration 4" in e.status_text.get_text()
    e.controls["lr"].value = 0.1
    assert len(e.iterates_line.get_ydata()) == e.controls["steps"].value + 1


def test_divergence_is_a_message(e):
    e.controls["steps"].value = 60
    e.controls["lr"].value = 2.5
    ref = sv.analysis.parabola_run(1.0, 2.5, 1.5, 60)
    assert ref.diverged
    assert f"diverged at step {int(ref.diverged_at)}" in e.readout.value
    assert "diverged at step" in e.status_text.get_text()
    assert e.regime == "diverging"
    e.figure.canvas.draw()
    e.controls["lr"].value = 0.3
    assert "diverged" not in e.readout.value


def test_png_fallback_and_repr(e):
    data = e._repr_mimebundle_()
    assert "image/png" in data and "smooth" in data["text/plain"]


@pytest.mark.parametrize("kwargs, error", [({"lr": -0.1}, ValueError), ({"lr": 50.0}, ValueError),
                                           ({"lam": 0.0}, ValueError), ({"theta0": 5.0}, ValueError),
                                           ({"steps": 2.5}, TypeError), ({"steps": 500}, ValueError),
                                           ({"lr": "big"}, TypeError)])
def test_bad_arguments_say_what_is_allowed(kwargs, error):
    with pytest.raises(error, match="must be"):
        live.explore_update_rule(**kwargs)
