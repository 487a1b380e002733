"""The momentum explorer (notebook 06), driven headlessly through its controls."""
import ipywidgets as widgets
import numpy as np
import pytest

import stepviz as sv
from stepviz import theory
from stepviz.analysis.quadratic import heavy_ball_preset
from stepviz.live import momentum_explorer

BOWL = sv.QuadraticBowl((1.0, 50.0), angle=30)


@pytest.fixture
def mx():
    return momentum_explorer(BOWL, "Momentum", lr=0.01, momentum=0.5, steps=60)


def lookahead_xy(w):
    return np.column_stack(w.lookahead_line.get_data())


def test_structure_and_css_classes(mx):
    assert isinstance(mx, widgets.VBox) and "stepviz-explorer" in mx._dom_classes
    assert isinstance(mx.controls["lr"], widgets.FloatLogSlider) and "stepviz-lr" in mx.controls["lr"]._dom_classes
    assert mx.preset.description == "heavy-ball optimum" and not mx.preset.disabled
    assert mx.explorer in mx.children


def test_preset_sets_theory_optimum_on_a_bowl(mx):
    mx.controls["optimizer"].value = "GD"
    mx.preset.click()
    lr, gamma = theory.optimal_momentum(BOWL)
    assert mx.controls["optimizer"].value == "Momentum"
    assert mx.controls["lr"].value == pytest.approx(lr, rel=1e-9)
    assert mx.controls["momentum"].value == pytest.approx(gamma, rel=1e-9)
    ref = sv.run(sv.Momentum(lr, momentum=gamma), BOWL, steps=60)
    np.testing.assert_allclose(mx.trajectory.points, ref.points)
    assert f"{lr:.3g}" in mx.note.value and "exact" in mx.note.value
    assert float(mx.trajectory.rate()) == pytest.approx(float(theory.momentum_rate(BOWL, lr, gamma)), abs=0.03)


def test_preset_on_rosenbrock_is_local_and_converges(mx):
    mx.controls["surface"].value = "rosenbrock"
    mx.controls["steps"].value = 400
    assert not mx.preset.disabled
    mx.preset.click()
    lr, gamma, mu, L, local = heavy_ball_preset(sv.Rosenbrock(), sv.Rosenbrock().start)
    assert local and mu == pytest.approx(np.linalg.eigvalsh(sv.Rosenbrock().hessian(np.array([1.0, 1.0])))[0])
    assert mx.controls["lr"].value == pytest.approx(lr) and "local" in mx.note.value
    assert not mx.trajectory.diverged and float(mx.trajectory.gap()[-1]) < 1e-6


def test_preset_disabled_without_a_minimum():
    w = momentum_explorer(sv.Saddle(quartic=0.0), lr=0.01)
    assert w.preset.disabled
    assert heavy_ball_preset(sv.Saddle(quartic=0.0)) is None


def test_lookahead_points_follow_the_controls(mx):
    assert lookahead_xy(mx).size == 0  # off by default
    mx.lookahead.value = True
    c = mx.controls
    for settings in ({}, {"optimizer": "Nesterov"}, {"momentum": 0.9, "lr": 0.005}, {"x0": 1.0, "y0": -1.5},
                     {"steps": 30}):
        for k, v in settings.items():
            c[k].value = v
        gamma = c["momentum"].value
        # hand-written velocity-form loop: look-ahead p_k - gamma v_k
        opt = sv.make_optimizer(c["optimizer"].value, lr=c["lr"].value, momentum=gamma)
        p = np.array([c["x0"].value, c["y0"].value])
        state, expected = opt.init(p), []
        for t in range(c["steps"].value):
            expected.append(p - gamma * state["v"])
            p, state = opt.step(p, BOWL.grad, state, t)
        np.testing.assert_allclose(lookahead_xy(mx), np.array(expected), atol=1e-12)
        assert mx._legend.get_visible()
    c["iteration"].value = 7
    assert len(lookahead_xy(mx)) == 7
    c["optimizer"].value = "Adam"  # no momentum: nothing to look ahead with
    assert lookahead_xy(mx).size == 0 and not mx._legend.get_visible()
    c["optimizer"].value = "Nesterov"
    mx.lookahead.value = False
    assert lookahead_xy(mx).size == 0


def test_diverging_setting_shows_message_not_crash(mx):
    mx.lookahead.value = True
    mx.controls["lr"].value = 1.5
    assert mx.trajectory.diverged
    assert "diverged at step" in mx.explorer.readout.value
    assert np.isfinite(lookahead_xy(mx)).any()
    mx.figure.canvas.draw()


def test_mimebundle_has_png_fallback(mx):
    data = mx._repr_mimebundle_()
    data = data[0] if isinstance(data, tuple) else data
    assert "image/png" in data and "application/vnd.jupyter.widget-view+json" in data
