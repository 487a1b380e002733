"""09's effective-step explorer (issue 16 item 6): what the browser is sent is sv.run's path and each coordinate's
effective step as a hand-written loop of Adam's and Adadelta's formulas computes it, for the step size shown;
dragging alpha and switching the method (as the browser does) keep it so."""
from __future__ import annotations

import numpy as np
import pytest

import stepviz as sv
from stepviz import live
from stepviz.lessons import adam_and_adadelta as L9
from stepviz.live import render
from stepviz.live.scene import fmt

from .browser import update

BOWL = L9.bowl()
STEPS = 60


def adam_effective(lr, steps, beta1=0.9, beta2=0.999, eps=1e-8):
    """alpha / (sqrt(s_hat) + eps) per coordinate at every step: Adam written out."""
    p, m, s, out = BOWL.start.astype(float), np.zeros(2), np.zeros(2), []
    for t in range(steps):
        g = BOWL.grad(p)
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        m_hat, s_hat = m / (1 - beta1 ** (t + 1)), s / (1 - beta2 ** (t + 1))
        out.append(lr / (np.sqrt(s_hat) + eps))
        p = p - lr * m_hat / (np.sqrt(s_hat) + eps)
    return np.array(out)


def adadelta_effective(lr, steps, rho=0.9, eps=1e-6):
    """lr sqrt(u + eps) / sqrt(s + eps) per coordinate (u from before the step, s after): Adadelta written out."""
    p, s, u, out = BOWL.start.astype(float), np.zeros(2), np.zeros(2), []
    for _ in range(steps):
        g = BOWL.grad(p)
        s = rho * s + (1 - rho) * g * g
        factor = np.sqrt(u + eps) / np.sqrt(s + eps)
        d = factor * g
        u = rho * u + (1 - rho) * d * d
        out.append(lr * factor)
        p = p - lr * d
    return np.array(out)


def drag(e, lr):
    w = e.controls["lr"]
    i = int(np.argmin(np.abs(np.log(np.asarray(w.stops) / lr))))
    update(w, value=float(w.stops[i]), index=i)
    return float(w.stops[i])


@pytest.fixture(scope="module")
def ex():
    e = live.effective_step_explorer(BOWL, "Adam", lr=0.05, steps=STEPS)
    yield e
    e.close()


def sent(e, name):
    return render.row(e.canvas.arrays[name], e.controls["lr"].index)


def test_adam_path_and_effective_steps_are_sent(ex):
    for lr in (0.05, 0.5, 0.002):
        shown = drag(ex, lr)
        np.testing.assert_allclose(sent(ex, "path"), sv.run(sv.Adam(lr=shown), BOWL, steps=STEPS).points,
                                   rtol=1e-5, atol=1e-7)
        want = adam_effective(shown, STEPS)
        np.testing.assert_allclose(np.column_stack([sent(ex, "eff1"), sent(ex, "eff2")]), want, rtol=1e-5)
        ex.controls["iteration"].value = 10
        assert ex.text("steps") == (f"effective steps at k = 10: θ₁ {fmt(float(np.float32(want[10, 0])))}, "
                                    f"θ₂ {fmt(float(np.float32(want[10, 1])))}")


def test_adadelta_from_the_browser(ex):
    update(ex.controls["optimizer"], index=list(ex.controls["optimizer"].options).index("Adadelta"))
    shown = drag(ex, 1.0)
    want = adadelta_effective(shown, STEPS)
    np.testing.assert_allclose(np.column_stack([sent(ex, "eff1"), sent(ex, "eff2")]), want, rtol=1e-5)
    assert ex.text("title").startswith(f"Adadelta, α = {fmt(shown)}")
    update(ex.controls["optimizer"], index=list(ex.controls["optimizer"].options).index("Adam"))


def test_the_readout_states_the_ratio_09_prints():
    """09 prints θ₁'s effective step / θ₂'s for Adam(lr=0.05), 300 steps: the explorer's readout says the same."""
    e = live.effective_step_explorer(BOWL, "Adam", lr=0.05, steps=300)
    try:
        _, eff = sv.analysis.effective_steps(sv.Adam(lr=0.05), BOWL, steps=300)
        ratio = eff[:, 0] / eff[:, 1]
        assert f"θ₁'s / θ₂'s from {ratio.min():.1f} to {ratio.max():.1f}" in e.readout.value
        hb = e.shown("eff1")
        assert hb.shape == (300,)
    finally:
        e.close()


def test_only_methods_with_an_effective_step():
    with pytest.raises(ValueError, match="optimizer must be one of"):
        live.effective_step_explorer(BOWL, "Momentum")
