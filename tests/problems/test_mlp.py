"""Tests of stepviz.problems.mlp: data sets, the MLP and its gradients, and its loss trained by sv.run."""
import numpy as np
import pytest

from stepviz import GD, Adam, Momentum, Nesterov, lr_range_test, run
from stepviz.problems.mlp import MLP, NetworkLoss, spirals, two_moons


@pytest.fixture(scope="module")
def moons():
    return two_moons(n=200, noise=0.1, seed=0)


def reference_logits(sizes, activation, theta, X):
    """Independent forward pass for one theta: layers laid out as W (in, out) row-major, then b."""
    a, off = X, 0
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        W = theta[off:off + n_in * n_out].reshape(n_in, n_out)
        off += n_in * n_out
        b = theta[off:off + n_out]
        off += n_out
        z = a @ W + b
        a = z if i == len(sizes) - 2 else (np.tanh(z) if activation == "tanh" else np.maximum(z, 0))
    assert off == len(theta)
    return a[:, 0]


def reference_loss(z, y):
    return np.mean(np.logaddexp(0.0, z) - y * z)


# --- data sets -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [two_moons, spirals])
def test_data_sets_are_seeded_and_shaped(make):
    X, y = make(n=101, seed=4)
    assert X.shape == (101, 2) and X.dtype == np.float64 and y.shape == (101,)
    assert set(np.unique(y)) == {0, 1} and abs(int(y.sum()) - 50.5) <= 1
    X2, y2 = make(n=101, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, make(n=101, seed=5)[0])


def test_noise_free_moons_lie_on_their_half_circles():
    X, y = two_moons(n=60, noise=0.0)
    np.testing.assert_allclose(np.hypot(*X[y == 0].T), 1.0)
    assert (X[y == 0, 1] >= -1e-12).all()
    np.testing.assert_allclose(np.hypot(X[y == 1, 0] - 1, X[y == 1, 1] - 0.5), 1.0)
    assert (X[y == 1, 1] <= 0.5 + 1e-12).all()


def test_noise_free_spirals_have_radius_in_range():
    X, y = spirals(n=80, noise=0.0, turns=1.5)
    r = np.hypot(*X.T)
    assert r.min() == pytest.approx(0.1) and r.max() == pytest.approx(1.0)
    # the two classes are point reflections of each other
    a = np.sort(np.round(X[y == 0], 9), axis=0)
    b = np.sort(np.round(-X[y == 1], 9), axis=0)
    np.testing.assert_allclose(a, b, atol=1e-9)


# --- the network ---------------------------------------------------------------------------------------
def test_layout_and_init():
    m = MLP((2, 8, 4, 1), activation="relu", seed=3)
    assert m.n_params == 2 * 8 + 8 + 8 * 4 + 4 + 4 * 1 + 1
    th = m.init_params()
    np.testing.assert_array_equal(th, MLP((2, 8, 4, 1), activation="relu", seed=3).init_params())
    assert not np.array_equal(th, m.init_params(seed=4))
    (W0, b0), (W1, b1), (W2, b2) = m.unpack(th)
    assert W0.shape == (2, 8) and W1.shape == (8, 4) and b2.shape == (1,)
    assert not b0.any() and not b1.any()
    big = MLP((400, 300, 1), activation="relu").init_params()
    assert np.std(big[:400 * 300]) == pytest.approx(np.sqrt(2 / 400), rel=0.02)


@pytest.mark.parametrize("sizes, act", [((2, 16, 1), "tanh"), ((2, 6, 5, 1), "relu"), ((2, 1), "tanh")])
def test_forward_and_loss_match_reference(moons, sizes, act):
    X, y = moons
    m = MLP(sizes, activation=act)
    thetas = np.random.default_rng(0).normal(size=(3, 2, m.n_params))
    losses = m.loss(thetas, X, y)
    assert losses.shape == (3, 2)
    for idx in np.ndindex(3, 2):
        z = reference_logits(sizes, act, thetas[idx], X)
        np.testing.assert_allclose(m.logits(thetas[idx], X), z, rtol=1e-12)
        assert losses[idx] == pytest.approx(reference_loss(z, y), rel=1e-12)
    acc = m.accuracy(thetas, X, y)
    ref = np.mean((reference_logits(sizes, act, thetas[1, 0], X) > 0) == y)
    assert acc[1, 0] == ref
    np.testing.assert_array_equal(m.predict(thetas[0, 0], X), (m.predict_proba(thetas[0, 0], X) > 0.5))


def test_loss_is_stable_for_huge_logits():
    m = MLP((1, 1))
    X = np.array([[1.0], [-1.0]])
    y = np.array([1.0, 1.0])
    theta = np.array([1000.0, 0.0])  # z = +-1000
    assert m.loss(theta, X, y) == pytest.approx(1000.0 / 2)
    np.testing.assert_allclose(m.grad(theta, X, y), [0.5, -0.5])
    np.testing.assert_allclose(m.predict_proba(theta, X), [1.0, 0.0])


@pytest.mark.parametrize("sizes, act", [((2, 16, 1), "tanh"), ((2, 7, 5, 1), "relu"), ((2, 5, 5, 1), "tanh")])
def test_gradient_matches_central_finite_differences(moons, sizes, act):
    X, y = moons
    m = MLP(sizes, activation=act)
    rng = np.random.default_rng(1)
    h = 1e-6
    for theta in rng.normal(size=(2, m.n_params)):
        g = m.grad(theta, X, y)
        fd = np.array([(reference_loss(reference_logits(sizes, act, theta + e, X), y)
                        - reference_loss(reference_logits(sizes, act, theta - e, X), y)) / (2 * h)
                       for e in np.eye(m.n_params) * h])
        np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-8)
    # batched gradient equals the stacked single ones; loss_and_grad agrees
    thetas = rng.normal(size=(4, m.n_params))
    G = m.grad(thetas, X, y)
    for k in range(4):
        np.testing.assert_allclose(G[k], m.grad(thetas[k], X, y), rtol=1e-12, atol=1e-15)
    L, G2 = m.loss_and_grad(thetas, X, y)
    np.testing.assert_allclose(L, m.loss(thetas, X, y), rtol=1e-12)
    np.testing.assert_allclose(G2, G, rtol=1e-12)


# --- training ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("opt", [GD(lr=1.0), Momentum(lr=0.1, momentum=0.9), Nesterov(lr=0.1), Adam(lr=0.03)])
def test_training_reduces_the_loss(moons, opt):
    X, y = moons
    m = MLP()
    loss = NetworkLoss(m, X, y)
    res = run(opt, loss, steps=400)
    assert res.losses.shape == (401,) and res.final_loss < 0.15 * res.losses[0]
    assert loss.accuracy(res.points[-1]) >= 0.95 and not res.diverged
    assert res.final_loss == pytest.approx(m.loss(res.points[-1], X, y), rel=1e-10)


def test_train_follows_the_update_rule(moons):
    X, y = moons
    m = MLP((2, 4, 1))
    th0 = m.init_params()
    res = run(GD(lr=0.5), NetworkLoss(m, X, y), steps=3)
    np.testing.assert_array_equal(res.points[0], th0)
    th = th0
    for k in range(3):
        th = th - 0.5 * m.grad(th, X, y)
        np.testing.assert_allclose(res.points[k + 1], th, rtol=1e-12)
        assert res.losses[k + 1] == pytest.approx(m.loss(th, X, y), rel=1e-12)


def test_a_sweep_of_step_sizes_equals_separate_runs(moons):
    X, y = moons
    m = MLP((2, 8, 1))
    lrs = np.array([0.03, 0.3, 3.0])
    loss = NetworkLoss(m, X, y)
    res = run(Momentum(lr=lrs, momentum=0.5), loss, steps=60)
    assert res.losses.shape == (61, 3) and res.points.shape == (61, 3, m.n_params) and res.lrs.shape == (60, 3)
    for k, lr in enumerate(lrs):
        one = run(Momentum(lr=lr, momentum=0.5), loss, steps=60)
        np.testing.assert_allclose(res.losses[:, k], one.losses, rtol=1e-10)
        np.testing.assert_allclose(res[k].points, one.points, rtol=1e-10, atol=1e-14)
    # several starts x several step sizes: start (2, 1, P) against lr (3,) gives a (2, 3) batch
    starts = np.stack([m.init_params(seed=s) for s in (0, 1)])[:, None]
    grid = run(GD(lr=lrs), loss, starts, steps=5)
    assert grid.losses.shape == (6, 2, 3) and grid.lrs.shape == (5, 2, 3)
    np.testing.assert_array_equal(grid.lrs[:, 1, 2], 3.0)
    np.testing.assert_allclose(grid.losses[:, 1, 0], run(GD(lr=0.03), loss, starts[1, 0], 5).losses)


def test_minibatch_training_is_seeded_and_learns(moons):
    X, y = moons
    loss = NetworkLoss(MLP(), X, y)
    a = run(Adam(lr=0.03), loss, steps=300, batch_size=16, seed=1)
    b = run(Adam(lr=0.03), loss, steps=300, batch_size=16, seed=1)
    c = run(Adam(lr=0.03), loss, steps=300, batch_size=16, seed=2)
    np.testing.assert_array_equal(a.losses, b.losses)
    assert not np.array_equal(a.losses, c.losses)
    assert a.final_loss < 0.3 * a.losses[0]
    full = run(Adam(lr=0.03), loss, steps=20, batch_size=len(y), seed=1)
    np.testing.assert_allclose(full.losses, run(Adam(lr=0.03), loss, steps=20).losses, rtol=1e-12)


def test_minibatch_gradient_is_the_gradient_on_those_examples(moons):
    X, y = moons
    m = MLP((2, 6, 1))
    loss = NetworkLoss(m, X, y)
    th = np.stack([m.init_params(seed=s) for s in (0, 1, 2)])
    idx = np.array([[0, 5, 7], [1, 2, 3], [10, 11, 199]])  # one batch per run
    g = loss.grad_on(th, idx)
    for k in range(3):
        np.testing.assert_allclose(g[k], m.grad(th[k], X[idx[k]], y[idx[k]]), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(loss.grad_on(th[0], np.arange(len(y))), m.grad(th[0], X, y), rtol=1e-12)


def test_divergence_is_a_result_not_an_error(moons):
    X, y = moons
    loss = NetworkLoss(MLP((2, 16, 16, 1), activation="relu"), X, y)
    res = run(GD(lr=np.array([0.1, 1e9])), loss, steps=50)  # warnings are errors under pytest
    assert res.diverged.tolist() == [False, True]
    k = res.diverged_at[1]
    assert 0 < k <= 50 and np.isnan(res.losses[k:, 1]).all() and np.isfinite(res.losses[:k, 1]).all()
    acc = loss.accuracy(res.points[-1])
    assert np.isnan(res.points[-1, 1]).all() and np.isnan(acc[1]) and acc[0] > 0.5


def test_range_test_sweeps_the_step_size(moons):
    X, y = moons
    rt = lr_range_test("GD", NetworkLoss(MLP(), X, y), lr_min=1e-3, lr_max=1e3, steps=80)
    np.testing.assert_allclose(np.diff(np.log(rt.lrs)), np.log(1e6) / 80)
    assert 1e-3 < rt.lrs[0] < 1e-3 * 1e6 ** (1 / 80) and rt.lrs[-1] < 1e3
    np.testing.assert_allclose(rt.lrs, rt.trajectory.lrs)
    assert rt.losses.shape == (80,)
    # reference: the blow-up is the first loss above 4 x the lowest loss so far (incl. the start)
    l0 = rt.trajectory.losses[0]
    blown = [t for t in range(80) if not rt.losses[t] <= 4 * min(l0, np.nanmin(rt.losses[:t + 1]))]
    assert blown and rt.blowup_step == blown[0] and rt.blowup_lr == rt.lrs[blown[0]]
    i = int(np.argmin(rt.losses[:blown[0]]))
    assert rt.min_lr == rt.lrs[i] and rt.suggested_lr == pytest.approx(rt.lrs[i] / 10)
    assert rt.losses[i] < 0.7 * l0 and 1e-2 < rt.min_lr < rt.blowup_lr
    adam = lr_range_test(Adam, NetworkLoss(MLP(), X, y), lr_min=1e-4, lr_max=10.0, steps=60, beta1=0.8)
    assert adam.trajectory.optimizer.beta1 == 0.8 and np.isfinite(adam.min_lr)


# --- bad input -----------------------------------------------------------------------------------------
def test_bad_input_raises_naming_the_argument(moons):
    X, y = moons
    m = MLP()
    th = m.init_params()
    cases = [
        (lambda: MLP((2, 16, 2)), ValueError, "sizes"),
        (lambda: MLP((2,)), ValueError, "sizes"),
        (lambda: MLP((2, 0, 1)), ValueError, r"sizes\[1\]"),
        (lambda: MLP((2, 4.5, 1)), TypeError, r"sizes\[1\]"),
        (lambda: MLP("2-16-1"), TypeError, "sizes"),
        (lambda: MLP(activation="softsign"), ValueError, "activation"),
        (lambda: m.loss(th[:-1], X, y), ValueError, "theta"),
        (lambda: m.loss(th, X[:, :1], y), ValueError, "X"),
        (lambda: m.loss(th, X, y[:-1]), ValueError, "y"),
        (lambda: m.loss(th, X, y + 1), ValueError, "y"),
        (lambda: m.loss("theta", X, y), TypeError, "theta"),
        (lambda: run("GD", NetworkLoss(m, X, y)), TypeError, "optimizer"),
        (lambda: NetworkLoss("mlp", X, y), TypeError, "model"),
        (lambda: run(GD(lr=0.1), NetworkLoss(m, X, y), steps=-1), ValueError, "steps"),
        (lambda: run(GD(lr=0.1), NetworkLoss(m, X, y), batch_size=0), ValueError, "batch_size"),
        (lambda: run(GD(lr=0.1), NetworkLoss(m, X, y), batch_size=len(y) + 1), ValueError, "batch_size"),
        (lambda: run(GD(lr=0.1), NetworkLoss(m, X, y), np.full(m.n_params, np.nan)), ValueError, "start"),
        (lambda: NetworkLoss(m, X, y, start=th[:-1]), ValueError, "start"),
        (lambda: NetworkLoss(m, X, y).grad_on(th, np.array([0, len(y)])), ValueError, "indices"),
        (lambda: two_moons(n=1), ValueError, "n"),
        (lambda: two_moons(noise=-0.1), ValueError, "noise"),
        (lambda: spirals(turns=0), ValueError, "turns"),
        (lambda: lr_range_test("GD", NetworkLoss(m, X, y), lr_min=1.0, lr_max=0.1), ValueError, "lr_min"),
    ]
    for fn, exc, word in cases:
        with pytest.raises(exc, match=word):
            fn()
