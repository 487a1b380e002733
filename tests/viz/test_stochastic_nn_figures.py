"""Figures and numbers of lessons 08-09: artists carry the right data; the noise-ball prediction matches SGD."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import stepviz as sv
from stepviz import analysis, viz
from stepviz.lessons.stochastic_gradients import sgd_data


@pytest.fixture(scope="module")
def data():
    return sgd_data()


def test_sgd_data_is_seeded_and_windowed(data):
    again = sgd_data()
    np.testing.assert_array_equal(data.x, again.x)
    np.testing.assert_array_equal(data.start, [1.0, 0.0])
    (x0, x1), (y0, y1) = data.bounds
    assert x0 < data.start[0] < x1 and y0 < data.start[1] < y1


def test_stationary_small_step_formula(data):
    for b in (1, 10):
        C, excess = analysis.sgd_stationary(data, 1e-3, b)
        approx = 1e-3 * np.trace(data.minibatch_covariance(data.p_star, b)) / 4
        assert excess == pytest.approx(approx, rel=0.01)
        assert np.allclose(C, C.T) and np.all(np.linalg.eigvalsh(C) > 0)


def test_stationary_matches_simulation(data):
    for lr, b in ((0.1, 10), (0.2, 1)):
        predicted = analysis.sgd_stationary(data, lr, b)[1]
        measured = analysis.measured_floor(data, lr, b, steps=3000, runs=20, seed=1)
        assert measured == pytest.approx(predicted, rel=0.1)


def test_stationary_full_batch_and_unstable(data):
    assert analysis.sgd_stationary(data, 0.1, data.n)[1] == 0.0
    C, excess = analysis.sgd_stationary(data, 0.5, 1)  # below 2/L, yet unstable for batch 1
    assert 0.5 < 2 / data.L and excess == np.inf and np.isinf(C).all()
    assert analysis.measured_floor(data, 0.5, 1, steps=500, runs=5) == np.inf


def test_floor_grows_with_lr_and_shrinks_with_batch(data):
    f = {(lr, b): analysis.sgd_stationary(data, lr, b)[1] for lr in (0.05, 0.1) for b in (5, 20)}
    assert f[0.1, 5] > f[0.05, 5] and f[0.05, 5] > f[0.05, 20]


def test_noise_ellipse_covers_the_cloud(data):
    C, _ = analysis.sgd_stationary(data, 0.1, 10)
    e = analysis.noise_ellipse(C, data.p_star, k=2.0, n=200)
    d = e - data.p_star
    np.testing.assert_allclose(np.einsum("ni,ij,nj->n", d, np.linalg.inv(C), d), 4.0, rtol=1e-9)
    assert np.isnan(analysis.noise_ellipse(np.full((2, 2), np.inf), data.p_star)).all()


def test_plot_noise_floor_artists(data):
    fig, ax = plt.subplots()
    out = viz.plot_noise_floor(data, lrs=[0.02, 0.1], batch_sizes=(1, 10), steps=400, runs=4, ax=ax)
    dots = [l for l in ax.get_lines() if l.get_marker() == "o"]
    assert len(dots) == 2
    np.testing.assert_allclose(dots[1].get_ydata(), out["measured"][10])
    np.testing.assert_allclose(out["measured"][10], analysis.measured_floor(data, [0.02, 0.1], 10, steps=400, runs=4))
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() and ax.get_legend()
    plt.close(fig)


def test_plot_sgd_paths_equals_batched_run(data):
    fig, ax = plt.subplots()
    out = viz.plot_sgd_paths(data, 0.1, 10, steps=50, runs=3, seed=2, ax=ax)
    ref = sv.run(sv.GD(0.1), data, start=np.broadcast_to(data.start, (3, 2)), steps=50, batch_size=10, seed=2)
    for i, line in enumerate(out["paths"]):
        np.testing.assert_array_equal(np.column_stack(line.get_data()), ref.points[:, i])
    plt.close(fig)


def test_schedules_figure(data):
    fig, ax = plt.subplots()
    out = viz.plot_schedules_sgd(data, lr=0.2, batch_size=10, steps=1000, runs=4, ax=ax)
    const, rm, fast = out["curves"].values()
    assert rm[-200:].mean() < const[-200:].mean() < fast[-200:].mean()
    assert ax.get_xlim()[0] == 0
    plt.close(fig)


# --- neural networks ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def net():
    X, y = sv.spirals(n=100, seed=0)
    model = sv.MLP((2, 8, 8, 1), seed=0)
    return model, sv.NetworkLoss(model, X, y)


def test_lambda_max_equals_eigvalsh():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((80, 80))
    H = A + A.T
    assert analysis.lambda_max(H) == pytest.approx(np.linalg.eigvalsh(H)[-1], rel=1e-8)
    assert analysis.lambda_max(np.diag([1.0, 5.0, -9.0])) == pytest.approx(5.0)


def test_hessian_and_sharpness(net):
    model, loss = net
    th = model.init_params()
    H = analysis.hessian(loss, th)
    v = np.random.default_rng(1).standard_normal(model.n_params) * 1e-4
    fd = loss.grad(th + v) - loss.grad(th - v)
    np.testing.assert_allclose(H @ (2 * v), fd, rtol=1e-3, atol=1e-9)
    lam, layers = analysis.sharpness(loss, th, per_layer=True)
    assert lam == pytest.approx(np.linalg.eigvalsh(H)[-1], rel=1e-8)
    assert len(layers) == 3 and max(layers) <= lam + 1e-9


def test_plot_losses_and_range_test_of_a_network(net):
    model, loss = net
    res = sv.run(sv.GD(np.array([0.1, 1.0, 1e9])), loss, steps=20)
    fig, (a, b) = plt.subplots(1, 2)
    lines = viz.plot_losses(res, ax=a)
    np.testing.assert_array_equal(lines[1].get_ydata(), res.losses[:, 1])
    labels = [line.get_label() for line in lines]
    assert labels[:2] == ["α=0.1", "α=1"] and labels[2].startswith("α=1e+09 (diverged at step")
    rt = sv.lr_range_test("GD", loss, lr_min=1e-3, lr_max=100.0, steps=50)
    out = viz.plot_range_test(rt, ax=b)
    np.testing.assert_array_equal(out["loss"].get_xdata(), rt.lrs)
    assert b.get_legend() is not None
    plt.close(fig)


def test_sharpness_plot_and_layer_limits(net):
    model, loss = net
    res = sv.run(sv.GD(0.5), loss, steps=20)
    fig, (a, b) = plt.subplots(1, 2)
    out = viz.plot_sharpness(loss, [res], every=10, ax=a)
    k, lam = out["α = 0.5"]
    np.testing.assert_array_equal(k, [0, 10, 20])
    assert lam[1] == pytest.approx(analysis.sharpness(loss, res.points[10]))
    lim = viz.plot_layer_limits(loss, [res.points[0]], ["start"], ax=b)
    np.testing.assert_allclose(lim[0], [2 / v for v in analysis.sharpness(loss, res.points[0], True)[1]])
    plt.close(fig)


def test_loss_slice_plot_projects_paths(net):
    model, loss = net
    res = sv.run(sv.GD(0.5), loss, steps=30)
    d1, d2, _ = analysis.pca_directions(res.points)
    sl = analysis.loss_slice(loss, res.points[-1], d1, d2, extent=3.0, n=11)
    fig, ax = plt.subplots()
    out = viz.plot_loss_slice(sl, [res.points], ["GD"], ax=ax)
    np.testing.assert_allclose(np.column_stack(out["paths"][0].get_data()), sl.project(res.points))
    plt.close(fig)


def test_decision_boundary(net):
    model, loss = net
    fig, ax = plt.subplots()
    out = viz.plot_decision_boundary(loss, model.init_params(), ax=ax)
    assert len(out["points"]) == 2 and "accuracy" in ax.get_title()
    plt.close(fig)
