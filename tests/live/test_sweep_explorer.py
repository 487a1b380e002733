"""11's sweep explorer (issue 16 item 6): the loss and accuracy curves the browser is sent are those of single
sv.run calls at each of the sweep's step sizes; the slider's stops are the sweep's step sizes; a new number of
steps runs the sweep again; the readout states what 11's prose reads off the sweep."""
from __future__ import annotations

import re

import numpy as np
import pytest

import stepviz as sv
from stepviz import live
from stepviz.lessons import neural_networks as L11
from stepviz.live import render

from .browser import update

LOSS = L11.network_loss()
LRS = (0.1, 1.0, 10.0)
STEPS = 30


@pytest.fixture(scope="module")
def ex():
    e = live.sweep_explorer(sv.run(sv.GD(np.array(LRS)), LOSS, steps=STEPS))
    yield e
    e.close()


def sent(e, name):
    return render.row(e.canvas.arrays[name], e.controls["lr"].index)


def test_each_stop_is_a_single_run(ex):
    assert list(ex.controls["lr"].stops) == list(LRS) and ex.controls["lr"].value == 1.0
    for i, lr in enumerate(LRS):
        update(ex.controls["lr"], value=lr, index=i)  # the browser moves the slider to stop i
        one = sv.run(sv.GD(lr), LOSS, steps=STEPS)
        np.testing.assert_allclose(sent(ex, "loss"), one.losses, rtol=1e-5)
        np.testing.assert_allclose(sent(ex, "accuracy"), LOSS.accuracy(one.points), atol=1e-7)
        assert f"α = {sv.live.scene.fmt(lr)}: final loss {sv.live.scene.fmt(float(one.losses[-1]))}" in ex.readout.value


def test_a_value_between_the_stops_goes_to_the_nearest(ex):
    ex.controls["lr"].value = 0.5
    assert ex.controls["lr"].value == 1.0 and ex.trajectory.optimizer.lr[ex.controls["lr"].index] == 1.0


def test_new_steps_run_the_sweep_again(ex):
    update(ex.controls["steps"], value=12)
    assert ex.controls["iteration"].max == 12 and ex.sweep.steps == 12
    np.testing.assert_allclose(sent(ex, "loss"), sv.run(sv.GD(ex.controls["lr"].value), LOSS, steps=12).losses,
                               rtol=1e-5)


def test_a_shorter_training_is_the_first_steps_of_the_longest_and_a_longer_one_runs_again():
    """Fewer steps reuse the longest sweep run so far (each step depends only on those before it): what is sent
    equals a fresh run of that many steps, divergence included (alpha = 10 and 30 diverge here)."""
    e = live.sweep_explorer(sv.run(sv.GD(np.array((0.3, 10.0, 30.0))), LOSS, steps=40), lr=10.0)
    try:
        for steps in (25, 3, 40, 60, 50):
            runs_before = e._longest[0]
            update(e.controls["steps"], value=steps)
            fresh = sv.run(sv.GD(np.array((0.3, 10.0, 30.0))), LOSS, steps=steps)
            assert (e._longest[0] is runs_before) == (steps <= runs_before.steps)  # a run only when longer
            np.testing.assert_array_equal(e.sweep.losses, fresh.losses)
            np.testing.assert_array_equal(e.sweep.points, fresh.points)
            np.testing.assert_array_equal(e.sweep.diverged_at, fresh.diverged_at)
            np.testing.assert_array_equal(e.sweep.diverged, fresh.diverged)
            np.testing.assert_allclose(sent(e, "loss"), fresh.losses[:, 1], rtol=1e-5)
            np.testing.assert_allclose(sent(e, "accuracy"), LOSS.accuracy(fresh.points[:, 1]), atol=1e-7)
    finally:
        e.close()


def test_bad_sweeps_are_named():
    with pytest.raises(TypeError, match="sweep must be a stepviz Trajectory"):
        live.sweep_explorer([0.1, 1.0])
    with pytest.raises(ValueError, match="one run per step size"):
        live.sweep_explorer(sv.run(sv.GD(0.1), LOSS, steps=3))
    with pytest.raises(ValueError, match="lr must be one of the sweep's step sizes"):
        live.sweep_explorer(sv.run(sv.GD(np.array([0.1, 1.0])), LOSS, steps=3), lr=0.3)


def test_the_readout_states_what_11_reads_off_the_sweep():
    """11: 'alpha = 0.1 is slow: loss 0.47 and 78.5 % accuracy after 500 steps', read off the notebook's sweep."""
    sweep = sv.run(sv.GD(np.array(L11.SWEEP_LRS)), LOSS, steps=500)
    e = live.sweep_explorer(sweep, name="GD on the spirals")
    try:
        update(e.controls["lr"], value=0.1, index=0)
        m = re.search(r"final loss ([\d.]+), accuracy ([\d.]+) %", e.readout.value)
        assert m and float(m.group(1)) == pytest.approx(0.47, abs=0.005) and float(m.group(2)) == 78.5
        assert float(m.group(1)) == pytest.approx(float(sweep.losses[-1, 0]), rel=5e-3)
        assert e.text("title") == "GD, α = 0.1: GD on the spirals"
    finally:
        e.close()


def dense_sharpness(problem, theta, h=1e-5):
    """lambda_max of the Hessian by central differences of the gradient, written out (337 x 337)."""
    n = theta.size
    H = np.empty((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = h
        H[:, j] = (problem.grad(theta + e) - problem.grad(theta - e)) / (2 * h)
    return float(np.linalg.eigvalsh((H + H.T) / 2)[-1])


def test_sharpness_mode_sends_each_runs_sharpness_and_its_limit():
    """12's use: the sharpness along the run shown, every few steps, and its limit 2/alpha."""
    sweep = sv.run(sv.GD(np.array([0.3, 1.0])), LOSS, steps=20)
    e = live.sweep_explorer(sweep, lr=1.0, sharpness_every=10)
    try:
        lam = sent(e, "sharpness")
        assert lam.shape == (3,)  # steps 0, 10, 20
        for j, k in enumerate((0, 10, 20)):
            assert lam[j] == pytest.approx(dense_sharpness(LOSS, sweep.points[k, 1]), rel=1e-3)
        assert sent(e, "limit")[0] == pytest.approx(2.0)
        assert "against 2/α = 2" in e.readout.value and "accuracy" not in e.readout.value
        assert any(getattr(m, "at", None) == "limit" for m in e.canvas.scene.marks)
    finally:
        e.close()


def test_first_steps_equals_a_shorter_run_before_and_after_a_divergence():
    from stepviz.live.sweep_explorer import first_steps

    bowl = sv.QuadraticBowl((1.0, 10.0))
    long = sv.run(sv.GD(np.array((0.1, 0.3))), bowl, steps=400)
    k = int(long.diverged_at[1])
    assert 0 < k < 400  # alpha = 0.3 > 2/L diverges within the run
    for steps in (k - 1, k, k + 1, 400):
        fresh, cut = sv.run(sv.GD(np.array((0.1, 0.3))), bowl, steps=steps), first_steps(long, steps)
        for name in ("points", "losses", "lrs", "diverged", "diverged_at"):
            np.testing.assert_array_equal(getattr(cut, name), getattr(fresh, name), err_msg=f"{name} at {steps}")
        assert cut[1].summary() == fresh[1].summary()
