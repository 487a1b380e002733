"""Tests of stepviz.problems.least_squares and of minibatch runs: the least-squares surface, its minibatch
gradients, and the minibatches the engine draws."""
import numpy as np
import pytest

from stepviz import GD, QuadraticBowl, inverse_time, run
from stepviz.problems.base import draw_minibatches
from stepviz.problems.least_squares import LeastSquares
from stepviz.problems.surfaces import Surface


@pytest.fixture(scope="module")
def data():
    return LeastSquares.synthetic(n=120, seed=3)


def direct_loss(data, p):
    """Reference: the loss straight from its definition, mean of 1/2 residual^2."""
    p = np.asarray(p, dtype=float)
    r = p[..., 0, None] * data.x + p[..., 1, None] - data.y
    return 0.5 * np.mean(r ** 2, axis=-1)


def direct_grad_on(data, p, idx):
    r = p[0] * data.x[idx] + p[1] - data.y[idx]
    return np.array([np.mean(r * data.x[idx]), np.mean(r)])


def test_is_surface_with_broadcasting_value(data):
    assert isinstance(data, Surface) and data.has_minibatches and data.n == 120
    pts = np.random.default_rng(0).normal(size=(3, 5, 2)) * 3
    assert data.value(pts).shape == (3, 5) and data.grad(pts).shape == (3, 5, 2)
    assert data.hessian(pts).shape == (3, 5, 2, 2)
    np.testing.assert_allclose(data.value(pts), direct_loss(data, pts), rtol=1e-12)
    np.testing.assert_allclose(data(pts[0, 0]), direct_loss(data, pts[0, 0]), rtol=1e-12)


def test_gradient_matches_finite_differences(data):
    rng = np.random.default_rng(1)
    h = 1e-6
    for p in rng.normal(size=(5, 2)) * 2:
        fd = [(direct_loss(data, p + e) - direct_loss(data, p - e)) / (2 * h) for e in np.eye(2) * h]
        np.testing.assert_allclose(data.grad(p), fd, rtol=1e-6, atol=1e-8)


def test_hessian_matches_finite_differences_and_data(data):
    p = np.array([0.3, -0.7])
    h = 1e-5
    fd = np.stack([(data.grad(p + e) - data.grad(p - e)) / (2 * h) for e in np.eye(2) * h], axis=-1)
    np.testing.assert_allclose(data.hessian(p), fd, rtol=1e-7)
    u = np.stack([data.x, np.ones(data.n)], axis=-1)
    np.testing.assert_allclose(data.hessian(p), u.T @ u / data.n, rtol=1e-12)
    eig = np.linalg.eigvalsh(u.T @ u / data.n)
    assert data.mu == pytest.approx(eig[0]) and data.L == pytest.approx(eig[1])
    assert data.condition_number == pytest.approx(eig[1] / eig[0])


def test_minimum_is_least_squares_solution(data):
    A = np.stack([data.x, np.ones(data.n)], axis=-1)
    ref, *_ = np.linalg.lstsq(A, data.y, rcond=None)
    np.testing.assert_allclose(data.minima, [ref], rtol=1e-12)
    np.testing.assert_allclose(data.grad(data.minima[0]), 0.0, atol=1e-13)
    assert data.f_min == pytest.approx(direct_loss(data, ref), rel=1e-12)
    # the window holds the minimum and the start
    (a0, a1), (b0, b1) = data.bounds
    for q in (ref, data.start):
        assert a0 < q[0] < a1 and b0 < q[1] < b1


def test_synthetic_is_seeded_and_recovers_the_line():
    a, b = LeastSquares.synthetic(seed=5), LeastSquares.synthetic(seed=5)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.y, LeastSquares.synthetic(seed=6).y)
    big = LeastSquares.synthetic(n=20000, slope=-1.5, intercept=0.5, noise=0.3, seed=0)
    np.testing.assert_allclose(big.minima[0], [-1.5, 0.5], atol=0.02)
    assert big.n == 20000 and big.x.shape == (20000,)
    centred = LeastSquares.synthetic(x_range=(-2, 2), n=5000)
    assert centred.condition_number < 1.5 < big.condition_number


def test_grad_on_matches_direct_sum(data):
    rng = np.random.default_rng(2)
    p = np.array([1.1, 0.4])
    idx = rng.choice(data.n, 7, replace=False)
    np.testing.assert_allclose(data.grad_on(p, idx), direct_grad_on(data, p, idx), rtol=1e-10)
    np.testing.assert_allclose(data.grad_on(p, np.arange(data.n)), data.grad(p), rtol=1e-10, atol=1e-14)
    # per-run batches: (3, 7) indices against points (3, 2)
    idx3 = np.stack([rng.choice(data.n, 7, replace=False) for _ in range(3)])
    pts = rng.normal(size=(3, 2))
    out = data.grad_on(pts, idx3)
    for k in range(3):
        np.testing.assert_allclose(out[k], direct_grad_on(data, pts[k], idx3[k]), rtol=1e-10)


def test_disjoint_batches_average_to_the_full_gradient_exactly(data):
    perm = np.random.default_rng(4).permutation(data.n)
    p = np.array([-0.5, 2.0])
    for b in (1, 6, 40):
        batches = perm.reshape(-1, b)  # n = 120 splits evenly
        np.testing.assert_allclose(data.grad_on(p, batches).mean(axis=0), data.grad(p), rtol=1e-12, atol=1e-13)


def test_full_batch_is_the_full_gradient(data):
    traj_full = run(GD(lr=0.1), data, steps=30, batch_size=data.n, seed=0)
    traj_ref = run(GD(lr=0.1), data, steps=30)
    np.testing.assert_array_equal(traj_full.points, traj_ref.points)


def test_a_minibatch_run_takes_each_step_on_a_fresh_batch(data):
    """Replay the engine's draws with the same seed: every step is GD on that step's minibatch."""
    steps, b, lr = 6, 5, 0.3
    start = np.array([[0.0, 0.0], [1.0, -1.0]])
    traj = run(GD(lr=lr), data, start, steps=steps, batch_size=b, seed=3)
    rng = np.random.default_rng(3)
    p = start.copy()
    for k in range(steps):
        idx = draw_minibatches(rng, data.n, b, (2,))
        p = p - lr * np.stack([direct_grad_on(data, p[i], idx[i]) for i in range(2)])
        np.testing.assert_allclose(traj.points[k + 1], p, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("b", [8, 60])  # the two sampling paths: b^2 <= n and b^2 > n
def test_minibatch_gradient_is_unbiased_with_the_predicted_covariance(data, b):
    runs = 40000
    rng = np.random.default_rng(11)
    p = np.array([0.5, 0.5])
    g = data.grad_on(np.broadcast_to(p, (runs, 2)), draw_minibatches(rng, data.n, b, (runs,)))
    assert g.shape == (runs, 2)
    se = g.std(axis=0) / np.sqrt(runs)
    assert np.all(np.abs(g.mean(axis=0) - data.grad(p)) < 4.5 * se)
    # independent reference for the covariance: per-point gradients and the finite-population correction
    r = p[0] * data.x + p[1] - data.y
    gi = np.stack([r * data.x, r], axis=-1)
    ref = np.cov(gi.T, bias=True) * (data.n - b) / (b * (data.n - 1))
    np.testing.assert_allclose(data.minibatch_covariance(p, b), ref, rtol=1e-10)
    np.testing.assert_allclose(np.cov(g.T), ref, rtol=0.05, atol=0.05 * np.abs(ref).max())
    np.testing.assert_allclose(data.minibatch_covariance(p, data.n), 0.0, atol=1e-14)


def test_minibatches_are_distinct_points_drawn_per_run(data):
    # with b = n - 1 each batch leaves out exactly one point: every draw is one of n leave-one-out gradients
    rng = np.random.default_rng(0)
    p = np.array([3.0, -2.0])
    g = data.grad_on(np.broadcast_to(p, (500, 2)), draw_minibatches(rng, data.n, data.n - 1, (500,)))
    loo = np.stack([direct_grad_on(data, p, np.delete(np.arange(data.n), i)) for i in range(data.n)])
    dist = np.abs(g[:, None, :] - loo[None]).max(axis=-1).min(axis=1)
    assert dist.max() < 1e-10
    # runs of a batch get different minibatches
    g2 = data.grad_on(np.zeros((6, 2)), draw_minibatches(np.random.default_rng(1), data.n, 5, (6,)))
    assert len(np.unique(g2[:, 0])) == 6


@pytest.mark.parametrize("b", [1, 3, 10, 11, 60, 119])
def test_drawn_minibatches_are_uniform_subsets(data, b):
    idx = draw_minibatches(np.random.default_rng(b), data.n, b, (3000, 2))
    assert idx.shape == (3000, 2, b) and idx.min() >= 0 and idx.max() < data.n
    s = np.sort(idx, axis=-1)
    assert (s[..., 1:] != s[..., :-1]).all()  # distinct within a batch
    # every point is equally likely: counts ~ Binomial(6000, b / n)
    counts = np.bincount(idx.ravel(), minlength=data.n)
    q = b / data.n
    expected, sd = 6000 * q, np.sqrt(6000 * q * (1 - q))
    assert np.abs(counts - expected).max() < 5 * sd
    # pairs too: how often points 0 and 1 share a batch, b (b - 1) / (n (n - 1)) of the time
    if b > 1:
        both = ((idx == 0).any(-1) & (idx == 1).any(-1)).mean()
        q2 = b * (b - 1) / (data.n * (data.n - 1))
        assert abs(both - q2) < 5 * np.sqrt(q2 * (1 - q2) / 6000) + 1e-4


def test_seeded_minibatch_runs_are_reproducible(data):
    t1 = run(GD(lr=0.2), data, steps=50, batch_size=4, seed=0)
    t2 = run(GD(lr=0.2), data, steps=50, batch_size=4, seed=0)
    t3 = run(GD(lr=0.2), data, steps=50, batch_size=4, seed=1)
    np.testing.assert_array_equal(t1.points, t2.points)
    assert not np.array_equal(t1.points, t3.points)


def _floor(traj, last=500):
    return traj.gap()[-last:].mean(axis=0)


def test_constant_step_stalls_where_robbins_monro_converges(data):
    start = np.broadcast_to(data.start, (16, 2))
    const = run(GD(lr=0.2), data, start, steps=4000, batch_size=2, seed=0)
    decay = run(GD(lr=inverse_time(0.2, 0.02)), data, start, steps=4000, batch_size=2, seed=0)
    assert not const.diverged.any() and not decay.diverged.any()
    f_const, f_decay = _floor(const).mean(), _floor(decay).mean()
    assert f_decay < f_const / 5
    # the constant step's floor does not shrink with more steps: it stalls
    assert const.gap()[-1000:-500].mean() == pytest.approx(const.gap()[-500:].mean(), rel=0.5)


def test_noise_ball_grows_with_lr_and_shrinks_with_batch_size(data):
    lrs = np.array([0.02, 0.08, 0.32])
    start = np.broadcast_to(data.minima[0], (8, 3, 2))
    floors = _floor(run(GD(lr=lrs), data, start, steps=2000, batch_size=4, seed=1)).mean(axis=0)
    assert np.all(np.diff(floors) > 0)
    by_b = [_floor(run(GD(lr=0.1), data, start[:, 0], steps=2000, batch_size=b, seed=2)).mean() for b in (2, 8, 32)]
    assert by_b[0] > by_b[1] > by_b[2]


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(x=np.ones((3, 2)), y=np.ones((3, 2))), ValueError, "x"),
    (dict(x=[1.0], y=[2.0]), ValueError, "x"),
    (dict(x=[1.0, 2.0, 3.0], y=[1.0, 2.0]), ValueError, "y"),
    (dict(x=[1.0, 1.0, 1.0], y=[1.0, 2.0, 3.0]), ValueError, "x"),
    (dict(x=[1.0, np.nan], y=[1.0, 2.0]), ValueError, "finite"),
    (dict(x="abc", y=[1.0]), TypeError, "x"),
])
def test_bad_data_raise(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        LeastSquares(**kwargs)


def test_bad_minibatch_arguments_raise(data):
    with pytest.raises(ValueError, match="batch_size"):
        run(GD(lr=0.1), data, batch_size=0)
    with pytest.raises(ValueError, match="batch_size"):
        run(GD(lr=0.1), data, batch_size=data.n + 1)
    with pytest.raises(TypeError, match="batch_size"):
        run(GD(lr=0.1), data, batch_size=2.5)
    with pytest.raises(ValueError, match="seed"):
        run(GD(lr=0.1), data, batch_size=3, seed=-1)
    with pytest.raises(ValueError, match="batch_size"):
        run(GD(lr=0.1), QuadraticBowl(), batch_size=3)  # one exact gradient: no examples to draw from
    with pytest.raises(ValueError, match="batch_size"):
        data.minibatch_covariance([0, 0], 0)
    with pytest.raises(ValueError, match="indices"):
        data.grad_on([0, 0], [0, data.n])
    with pytest.raises(TypeError, match="indices"):
        data.grad_on([0, 0], [0.5, 1.0])
    with pytest.raises(ValueError, match="noise"):
        LeastSquares.synthetic(noise=-1)
    with pytest.raises(ValueError, match="x_range"):
        LeastSquares.synthetic(x_range=(1, 1))


def test_subset_is_its_own_bowl(data):
    idx = np.arange(10)
    sub = data.subset(idx)
    A = np.stack([data.x[idx], np.ones(10)], axis=-1)
    ref, *_ = np.linalg.lstsq(A, data.y[idx], rcond=None)
    np.testing.assert_allclose(sub.minima[0], ref, rtol=1e-10)
    np.testing.assert_allclose(sub.grad([0.2, 0.1]), data.grad_on([0.2, 0.1], idx), rtol=1e-10)


def test_a_sweep_of_step_sizes_shares_its_minibatches_and_separate_starts_do_not(data):
    """Common random numbers: runs that differ only in the step size see the same minibatches (each equals
    its own run with the same seed); runs with start points of their own draw their own."""
    lrs = np.array([0.05, 0.1, 0.2])
    sweep = run(GD(lr=lrs), data, steps=40, batch_size=5, seed=7)
    for i, lr in enumerate(lrs):
        np.testing.assert_array_equal(sweep.points[:, i], run(GD(lr=lr), data, steps=40, batch_size=5, seed=7).points)
    starts = np.broadcast_to(data.start, (2, 2))
    own = run(GD(lr=0.1), data, starts, steps=40, batch_size=5, seed=7)
    assert not np.allclose(own.points[:, 0], own.points[:, 1])
    noisy = run(GD(lr=lrs), QuadraticBowl(), steps=20, noise=0.5, seed=3)
    np.testing.assert_array_equal(noisy.points[:, 1], run(GD(lr=0.1), QuadraticBowl(), steps=20, noise=0.5, seed=3).points)
