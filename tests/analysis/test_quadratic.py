"""Closed forms on quadratic bowls: against explicit iteration matrices and against simulation."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import theory

BOWLS = [sv.QuadraticBowl((1.0, 10.0), angle=30.0), sv.QuadraticBowl((0.5, 20.0), angle=-65.0),
         sv.QuadraticBowl((3.0, 4.0), angle=10.0)]
IDS = [repr(b) for b in BOWLS]


def hessian_by_hand(bowl):
    a = np.deg2rad(bowl.angle)
    R = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return R @ np.diag(bowl.curvatures) @ R.T


def kappa(bowl):
    return max(bowl.curvatures) / min(bowl.curvatures)


def spectral_radius(M):
    return np.max(np.abs(np.linalg.eigvals(M)))


def gd_matrix(H, lr):
    return np.eye(2) - lr * H


def heavy_ball_matrix(H, lr, gamma):
    """(x, v) -> (x', v') for v' = gamma v + lr H x, x' = x - v'."""
    I = np.eye(2)
    return np.block([[I - lr * H, -gamma * I], [lr * H, gamma * I]])


def nesterov_matrix(H, lr, gamma):
    """(x, v) -> (x', v') for v' = gamma v + lr H (x - gamma v), x' = x - v'."""
    I = np.eye(2)
    return np.block([[I - lr * H, -gamma * (I - lr * H)], [lr * H, gamma * (I - lr * H)]])


def per_eigenvalue_2x2(lam, lr, gamma, kind):
    if kind == "momentum":
        return np.array([[1 - lr * lam, -gamma], [lr * lam, gamma]])
    return np.array([[1 - lr * lam, -gamma * (1 - lr * lam)], [lr * lam, gamma * (1 - lr * lam)]])


# ---------------------------------------------------------------- closed forms

@pytest.mark.parametrize("bowl", BOWLS, ids=IDS)
def test_lr_limit_and_optimal_lr(bowl):
    L, mu = max(bowl.curvatures), min(bowl.curvatures)
    assert theory.lr_limit(bowl) == pytest.approx(2 / L, rel=1e-15)
    assert theory.optimal_lr(bowl) == pytest.approx(2 / (mu + L), rel=1e-15)
    k = kappa(bowl)
    assert theory.gd_rate(bowl, theory.optimal_lr(bowl)) == pytest.approx((k - 1) / (k + 1), rel=1e-12)
    # optimal_lr is the best constant step: no lr on a fine grid beats it
    grid = np.linspace(1e-4, 2 / L, 20001)
    assert theory.gd_rate(bowl, grid).min() >= theory.gd_rate(bowl, theory.optimal_lr(bowl)) - 1e-12


@pytest.mark.parametrize("bowl", BOWLS, ids=IDS)
@pytest.mark.parametrize("lr", [0.01, np.linspace(0.005, 0.25, 9), np.array([[0.01, 0.1, 0.3], [0.05, 0.15, 1.0]])],
                         ids=["scalar", "(9,)", "(2,3)"])
def test_gd_rate_is_the_spectral_radius(bowl, lr):
    H = hessian_by_hand(bowl)
    out = theory.gd_rate(bowl, lr)
    assert np.shape(out) == np.shape(lr)
    ref = np.vectorize(lambda a: spectral_radius(gd_matrix(H, a)))(lr)
    np.testing.assert_allclose(out, ref, rtol=1e-12)


@pytest.mark.parametrize("kind, fn, matrix", [("momentum", theory.momentum_rate, heavy_ball_matrix),
                                              ("nesterov", theory.nesterov_rate, nesterov_matrix)])
@pytest.mark.parametrize("bowl", BOWLS, ids=IDS)
def test_momentum_and_nesterov_rates_are_spectral_radii(bowl, kind, fn, matrix):
    H = hessian_by_hand(bowl)
    lr = np.array([0.005, 0.02, 0.08, 0.15, 0.3])[:, None]   # (5, 1)
    gamma = np.array([0.0, 0.3, 0.6, 0.9, 0.99])             # (5,)
    out = fn(bowl, lr, gamma)
    assert out.shape == (5, 5)
    for i in range(5):
        for j in range(5):
            a, g = lr[i, 0], gamma[j]
            full = spectral_radius(matrix(H, a, g))  # the whole 4x4 iteration on (x, v)
            per_eig = max(spectral_radius(per_eigenvalue_2x2(lam, a, g, kind)) for lam in bowl.curvatures)
            assert out[i, j] == pytest.approx(full, rel=1e-7, abs=1e-9)
            assert out[i, j] == pytest.approx(per_eig, rel=1e-7, abs=1e-9)
    # scalars in, scalar out
    assert np.ndim(fn(bowl, 0.05, 0.5)) == 0
    assert float(fn(bowl, 0.05, 0.5)) == pytest.approx(spectral_radius(matrix(H, 0.05, 0.5)), rel=1e-7)
    # momentum 0 is gradient descent
    np.testing.assert_allclose(fn(bowl, lr[:, 0], 0.0), theory.gd_rate(bowl, lr[:, 0]), rtol=1e-7)


@pytest.mark.parametrize("bowl", BOWLS, ids=IDS)
def test_optimal_momentum(bowl):
    L, mu = max(bowl.curvatures), min(bowl.curvatures)
    lr, gamma = theory.optimal_momentum(bowl)
    assert lr == pytest.approx(4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, rel=1e-14)
    assert gamma == pytest.approx(((np.sqrt(L) - np.sqrt(mu)) / (np.sqrt(L) + np.sqrt(mu))) ** 2, rel=1e-14)
    sk = np.sqrt(kappa(bowl))
    best = (sk - 1) / (sk + 1)
    assert float(theory.momentum_rate(bowl, lr, gamma)) == pytest.approx(best, rel=1e-6)
    # the spectral radius at the optimum, from the explicit matrix (a double eigenvalue: loose tolerance)
    assert spectral_radius(heavy_ball_matrix(hessian_by_hand(bowl), lr, gamma)) == pytest.approx(best, rel=1e-4)
    # and nothing on a grid around it does better
    lrs = np.linspace(0.2, 1.8, 81)[:, None] * lr
    gammas = np.linspace(0.0, 0.99, 100)
    assert theory.momentum_rate(bowl, lrs, gammas).min() >= best - 1e-6


@pytest.mark.parametrize("bowl", BOWLS, ids=IDS)
def test_momentum_lr_limit(bowl):
    gamma = np.array([0.0, 0.5, 0.9])
    np.testing.assert_allclose(theory.momentum_lr_limit(bowl, gamma), (2 + 2 * gamma) / max(bowl.curvatures),
                               rtol=1e-14)


def test_local_lr_limit():
    bowl = BOWLS[0]
    np.testing.assert_allclose(theory.local_lr_limit(bowl, np.zeros((3, 2))), 2 / 10.0)
    r = sv.Rosenbrock()
    p = np.array([[-1.2, 1.0], [1.0, 1.0], [0.3, -0.5]])
    x, y = p[:, 0], p[:, 1]
    H = np.stack([np.stack([2 - 400 * y + 1200 * x ** 2, -400 * x], -1), np.stack([-400 * x, np.full(3, 200.0)], -1)], -2)
    np.testing.assert_allclose(theory.local_lr_limit(r, p), 2 / np.linalg.eigvalsh(H)[:, -1], rtol=1e-12)
    assert theory.local_lr_limit(sv.Saddle(quartic=0.0), (0.0, 0.0)) == pytest.approx(2.0)
    cap = sv.Surface.from_function(lambda x, y: -(x ** 2) - y ** 2, grad=lambda x, y: (-2 * x, -2 * y))
    assert theory.local_lr_limit(cap, (0.3, 0.1)) == np.inf


# ---------------------------------------------------------------- theory vs simulation

@pytest.mark.parametrize("bowl", BOWLS, ids=IDS)
def test_gd_converges_just_below_2_over_L_and_diverges_just_above(bowl):
    limit = 2 / max(bowl.curvatures)
    lrs = np.array([0.5, 0.99, 1.01, 1.5]) * limit
    traj = sv.run(sv.GD(lr=lrs), bowl, start=(-1.5, 1.0), steps=2000)
    np.testing.assert_array_equal(traj.diverged, [False, False, True, True])
    assert (traj.diverged_at[2:] > 0).all()
    dist = np.linalg.norm(traj.points[-1, :2], axis=-1)
    assert (dist < 1e-6).all()


@pytest.mark.parametrize("bowl", BOWLS, ids=IDS)
def test_measured_rate_at_optimal_lr(bowl):
    """At 2 / (mu + L) both eigen-directions shrink by exactly (kappa - 1) / (kappa + 1) per step."""
    k = kappa(bowl)
    traj = sv.run(sv.GD(lr=theory.optimal_lr(bowl)), bowl, start=(-1.5, 1.0), steps=60)
    assert float(traj.rate()) == pytest.approx((k - 1) / (k + 1), rel=1e-6)
    # the same from the raw distances, without rate()
    e = np.linalg.norm(traj.points, axis=-1)
    np.testing.assert_allclose(e[1:] / e[:-1], (k - 1) / (k + 1), rtol=1e-6)


@pytest.mark.parametrize("bowl", BOWLS, ids=IDS)
def test_measured_rate_matches_gd_rate(bowl):
    lrs = np.array([0.2, 0.5, 0.8]) * theory.optimal_lr(bowl)
    traj = sv.run(sv.GD(lr=lrs), bowl, start=(-1.5, 1.0), steps=300)
    np.testing.assert_allclose(traj.rate(), theory.gd_rate(bowl, lrs), rtol=1e-3)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 0.9])
@pytest.mark.parametrize("bowl", BOWLS[:2], ids=IDS[:2])
def test_heavy_ball_stability_edge(bowl, gamma):
    """Heavy ball on a bowl is stable iff lr L < 2 + 2 momentum."""
    edge = (2 + 2 * gamma) / max(bowl.curvatures)
    lrs = np.array([0.99, 1.01]) * edge
    traj = sv.run(sv.Momentum(lr=lrs, momentum=gamma), bowl, start=(-1.5, 1.0), steps=3000)
    np.testing.assert_array_equal(traj.diverged, [False, True])
    assert np.linalg.norm(traj.points[-1, 0]) < 1e-6
    rates = theory.momentum_rate(bowl, lrs, gamma)
    assert rates[0] < 1 < rates[1]


@pytest.mark.parametrize("bowl", BOWLS, ids=IDS)
def test_measured_rate_at_optimal_momentum(bowl):
    lr, gamma = theory.optimal_momentum(bowl)
    sk = np.sqrt(kappa(bowl))
    best = (sk - 1) / (sk + 1)
    assert float(theory.momentum_rate(bowl, lr, gamma)) == pytest.approx(best, rel=1e-6)
    traj = sv.run(sv.Momentum(lr=lr, momentum=gamma), bowl, start=(-1.5, 1.0), steps=2000)
    assert not traj.diverged
    # a double eigenvalue: the error decays like k best^k, so the measured rate is close, not equal; the
    # longer the measured window, the closer (with kappa = 4/3 the default window is only ~12 steps)
    if kappa(bowl) >= 10:
        assert float(traj.rate()) == pytest.approx(best, rel=0.05)
    assert float(traj.rate(floor=1e-100)) == pytest.approx(best, rel=0.02)
    # and heavy ball beats the best plain gradient descent
    k = kappa(bowl)
    if k > 1.5:
        assert float(traj.rate()) < (k - 1) / (k + 1)


@pytest.mark.parametrize("bowl", BOWLS[:2], ids=IDS[:2])
def test_measured_rate_matches_momentum_and_nesterov_rate(bowl):
    lr = 0.6 * theory.optimal_lr(bowl)
    gamma = np.array([0.3, 0.7])
    for cls, fn in ((sv.Momentum, theory.momentum_rate), (sv.Nesterov, theory.nesterov_rate)):
        traj = sv.run(cls(lr=lr, momentum=gamma), bowl, start=(-1.5, 1.0), steps=3000)
        np.testing.assert_allclose(traj.rate(floor=1e-100), fn(bowl, lr, gamma), rtol=0.01)


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("fn", [theory.lr_limit, theory.optimal_lr, theory.optimal_momentum])
def test_closed_forms_need_a_bowl(fn):
    with pytest.raises(TypeError, match="QuadraticBowl"):
        fn(sv.Rosenbrock())


def test_rates_reject_bad_hyperparameters():
    bowl = BOWLS[0]
    for bad in (0.0, -0.1, np.nan, np.array([0.1, -0.1])):
        with pytest.raises(ValueError, match=r"\blr\b"):
            theory.gd_rate(bowl, bad)
        with pytest.raises(ValueError, match=r"\blr\b"):
            theory.momentum_rate(bowl, bad, 0.5)
        with pytest.raises(ValueError, match=r"\blr\b"):
            theory.nesterov_rate(bowl, bad, 0.5)
    for bad in (-0.1, 1.0, np.nan):
        with pytest.raises(ValueError, match=r"\bmomentum\b"):
            theory.momentum_rate(bowl, 0.1, bad)
        with pytest.raises(ValueError, match=r"\bmomentum\b"):
            theory.nesterov_rate(bowl, 0.1, bad)
        with pytest.raises(ValueError, match=r"\bmomentum\b"):
            theory.momentum_lr_limit(bowl, bad)
    with pytest.raises(TypeError, match="QuadraticBowl"):
        theory.gd_rate(sv.Saddle(), 0.1)


def test_nesterov_lr_limit_is_where_nesterov_rate_reaches_one():
    import numpy as np

    import stepviz as sv
    bowl = sv.QuadraticBowl((2.0, 8.0), angle=20)
    for g in (0.0, 0.3, 0.9):
        edge = sv.theory.nesterov_lr_limit(bowl, g)
        assert sv.theory.nesterov_rate(bowl, 0.999 * edge, g) < 1 < sv.theory.nesterov_rate(bowl, 1.001 * edge, g)
    assert np.isclose(sv.theory.nesterov_lr_limit(bowl, 0.0), sv.theory.lr_limit(bowl))
