"""Heavy ball's regimes (theory against the roots, and against measured runs), the 2x2 matrix, the two
velocity forms, the preconditioning runs, loss spikes and stretches above a limit."""
import numpy as np
import pytest

import stepviz as sv
from stepviz.analysis import adaptive, curvature, momentum, quadratic, rates


def _by_roots(a, g):
    """The regime from the roots of z^2 - (1 + g - a) z + g, computed independently with np.roots."""
    roots = np.roots([1.0, -(1 + g - a), g])
    if np.max(np.abs(roots)) >= 1 - 1e-12:
        return 3
    if np.any(np.abs(roots.imag) > 1e-12):
        return 1
    return 0 if np.all(roots.real > 0) else 2


def test_regime_matches_the_roots():
    rng = np.random.default_rng(0)
    a, g = rng.uniform(0.01, 4.2, 400), rng.uniform(0.0, 0.98, 400)
    got = quadratic.momentum_regime(a, g)
    want = [_by_roots(x, y) for x, y in zip(a, g)]
    assert list(got) == want
    assert quadratic.momentum_regime(1.8, 0.1) == 2 and quadratic.momentum_regime(1.0, 0.5) == 1
    assert quadratic.momentum_regime(0.3, 0.1) == 0 and quadratic.momentum_regime(3.0, 0.4) == 3
    lo, hi, top = quadratic.momentum_regime_bounds(np.array([0.0, 0.25]))
    np.testing.assert_allclose([lo, hi, top], [[1.0, 0.25], [1.0, 2.25], [2.0, 2.5]])
    with pytest.raises(ValueError):
        quadratic.momentum_regime_bounds(1.5)


def test_momentum_matrix_is_one_step_of_the_velocity_form():
    M = quadratic.momentum_matrix(0.1, 0.7, 3.0)
    x, v = 0.8, -0.2
    v_new = 0.7 * v + 0.1 * 3.0 * x
    np.testing.assert_allclose(M @ [x, v], [x - v_new, v_new])
    with pytest.raises(ValueError):
        quadratic.momentum_matrix(-0.1, 0.7, 3.0)


def test_measured_regimes_classify_hand_written_runs():
    a = np.array([0.3, 1.0, 1.8, 3.4])
    g = np.array([0.1, 0.6, 0.1, 0.6])
    r = rates.measured_momentum_regimes(a, g, steps=200)
    assert list(r.measured) == [0, 1, 2, 3] and r.agree == r.count == 4
    x, v = 1.0, 0.0
    for _ in range(20):                         # the second run by hand
        v = 0.6 * v + 1.0 * x
        x = x - v
    assert r.x[20, 1] == pytest.approx(x)


def test_velocity_forms_same_path_for_a_constant_step_and_pytorch_by_hand():
    bowl = sv.QuadraticBowl((1.0, 20.0), angle=20)
    f = momentum.velocity_forms(bowl, 0.03, 0.8, steps=40)
    np.testing.assert_allclose(f["ours"].points, f["pytorch"].points, atol=1e-12)
    sched = sv.step_decay(0.03, 0.1, 10)
    g = momentum.velocity_forms(bowl, sched, 0.8, steps=15)
    p, v = np.array(bowl.start, float), np.zeros(2)
    for t in range(15):
        v = 0.8 * v + bowl.grad(p)
        p = p - sched(t) * v
    np.testing.assert_allclose(g["pytorch"].points[-1], p)
    assert np.abs(g["ours"].points[-1] - p).max() > 1e-3


def test_preconditioning_runs_turn_the_start_with_the_bowl():
    runs = adaptive.preconditioning_runs([sv.GD(0.035), sv.RMSprop(0.05)], angles=(0.0, 45.0), steps=600)
    gd0, gd45 = (r[next(iter(r))] for r in runs.values())
    assert gd0[1] == gd45[1] > 0
    np.testing.assert_allclose(np.linalg.norm(gd45[0].points, axis=-1), np.linalg.norm(gd0[0].points, axis=-1))
    np.testing.assert_allclose(adaptive.turned([1.0, 0.0], 90), [0.0, 1.0], atol=1e-15)


def test_loss_spikes_and_stretches_above():
    loss = np.array([1.0, 0.9, 0.8, 2.0, 0.7, 0.6, 0.65, 0.5, 3.0, 0.4])
    assert list(curvature.loss_spikes(loss)) == [3, 8]        # 0.65 is a bump, but not 1.3 x the low before it
    steps = np.arange(10)
    values = np.array([1, 3, 4, 1, 1, 5, 1, 6, 7, 1.0])
    assert curvature.stretches_above(steps, values, 2) == [(1, 2, 4.0), (5, 5, 5.0), (7, 8, 7.0)]
    assert curvature.stretches_above(steps, values, 10) == []
