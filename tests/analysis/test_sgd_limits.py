"""Minibatch SGD's mean-square limit and the share of runs that diverge."""
import numpy as np
import pytest

import stepviz as sv
from stepviz.analysis import stochastic


@pytest.fixture(scope="module")
def data():
    return sv.lessons.stochastic_gradients.sgd_data()


def test_mean_square_limit_is_where_the_stationary_moment_stops_existing(data):
    lim = stochastic.mean_square_limit(data, 1)
    assert np.isfinite(stochastic.sgd_stationary(data, lim * 0.999, 1)[1])
    assert np.isinf(stochastic.sgd_stationary(data, lim * 1.001, 1)[1])
    assert lim < stochastic.mean_square_limit(data, 10) < stochastic.mean_square_limit(data, 50) < 2 / data.L
    assert stochastic.mean_square_limit(data, data.n) == pytest.approx(2 / data.L, rel=1e-3)   # no noise: 2/L


def test_divergence_share_counts_separate_runs(data):
    lrs = np.array([0.2, 0.45])
    share = stochastic.divergence_share(data, lrs, batch_size=1, runs=6, steps=100, seed=3)
    tr = sv.run(sv.GD(lrs), data, start=np.broadcast_to(data.start, (6, 2, 2)), steps=100, batch_size=1, seed=3)
    np.testing.assert_allclose(share, tr.diverged.mean(axis=0))
    assert share[0] == 0
    noisy = stochastic.divergence_share(data, np.array([0.5, 0.7]), noise=1.4, runs=6, steps=300)
    assert noisy[0] == 0 and noisy[1] == 1   # added noise: still stable below 2/L, gone above


def test_gd_run_is_full_batch(data):
    tr = stochastic.gd_run(data, 0.1, steps=50)
    np.testing.assert_allclose(tr.points, sv.run(sv.GD(0.1), data, steps=50).points)
