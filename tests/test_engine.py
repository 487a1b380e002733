"""run(): shapes, start broadcasting, closed-form paths, noise, divergence and bad input."""
import warnings

import numpy as np
import pytest

import stepviz as sv
from stepviz.problems.surfaces import DIVERGENCE_FACTOR


def rotation(deg):
    a = np.deg2rad(deg)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])


def bowl_H(curv, angle):
    return rotation(angle) @ np.diag(curv) @ rotation(angle).T


def divergence_limit(surface):
    """The documented bound: a coordinate beyond DIVERGENCE_FACTOR plot-window sizes."""
    return DIVERGENCE_FACTOR * np.max(np.abs(np.asarray(surface.bounds, dtype=float)))


RNG = np.random.default_rng(7)

SHAPE_CASES = [
    # (start, lr, expected batch)
    ((0.5, -1.0), 0.1, ()),
    (RNG.uniform(-1, 1, (5, 2)), 0.1, (5,)),
    (RNG.uniform(-1, 1, (3, 4, 2)), 0.1, (3, 4)),
    ((0.5, -1.0), np.linspace(0.01, 0.15, 6), (6,)),
    (RNG.uniform(-1, 1, (3, 1, 2)), np.linspace(0.01, 0.15, 6), (3, 6)),
    (RNG.uniform(-1, 1, (3, 4, 2)), np.array([0.01, 0.05, 0.1, 0.15]), (3, 4)),
    (RNG.uniform(-1, 1, (2, 2)), sv.inverse_time(0.1, 0.5), (2,)),
    (RNG.uniform(-1, 1, (2, 3, 1, 2)), sv.exponential(np.array([0.05, 0.1]), 0.9), (2, 3, 2)),
]


@pytest.mark.parametrize("steps", [0, 1, 13])
@pytest.mark.parametrize("case", range(len(SHAPE_CASES)))
def test_trajectory_shapes(case, steps):
    start, lr, batch = SHAPE_CASES[case]
    traj = sv.run(sv.Momentum(lr=lr, momentum=0.5), sv.QuadraticBowl(angle=20), start=start, steps=steps)
    assert traj.points.shape == (steps + 1,) + batch + (2,)
    assert traj.losses.shape == (steps + 1,) + batch
    assert traj.lrs.shape == (steps,) + batch
    assert traj.diverged.shape == batch and traj.diverged.dtype == bool
    assert traj.diverged_at.shape == batch and np.issubdtype(traj.diverged_at.dtype, np.integer)
    assert not traj.diverged.any() and (traj.diverged_at == -1).all()
    # the start broadcasts over the batch
    np.testing.assert_array_equal(traj.points[0], np.broadcast_to(start, batch + (2,)))
    assert traj.points.dtype == np.float64
    assert traj.steps == steps and traj.batch_shape == batch


def test_steps_zero_keeps_only_the_start():
    bowl = sv.QuadraticBowl((1.0, 10.0), angle=30.0)
    traj = sv.run(sv.GD(lr=np.array([0.1, 0.2])), bowl, start=(1.0, 2.0), steps=0)
    np.testing.assert_array_equal(traj.points, [[[1.0, 2.0], [1.0, 2.0]]])
    H = bowl_H((1.0, 10.0), 30.0)
    np.testing.assert_allclose(traj.losses, [[0.5 * np.array([1.0, 2.0]) @ H @ np.array([1.0, 2.0])] * 2])


def test_default_start_is_the_surface_start():
    for surface in (sv.QuadraticBowl(), sv.Rosenbrock(), sv.Saddle()):
        traj = sv.run(sv.GD(lr=1e-3), surface, steps=3)
        np.testing.assert_array_equal(traj.points[0], surface.start)
        traj = sv.run(sv.GD(lr=np.array([1e-3, 2e-3])), surface, steps=3)
        np.testing.assert_array_equal(traj.points[0], [surface.start, surface.start])


def test_gd_on_a_rotated_bowl_follows_the_closed_form():
    """p_k = (I - lr H)^k p_0, for a (3, 4) batch of starts x step sizes."""
    curv, angle = (1.0, 10.0), 30.0
    H = bowl_H(curv, angle)
    lrs = np.array([0.01, 0.05, 0.1, 0.19])
    starts = np.array([[[-1.5, 1.0]], [[0.3, 0.7]], [[2.0, -2.0]]])
    steps = 25
    traj = sv.run(sv.GD(lr=lrs), sv.QuadraticBowl(curv, angle=angle), start=starts, steps=steps)
    for i in range(3):
        for j in range(4):
            M = np.eye(2) - lrs[j] * H
            ref = np.array([np.linalg.matrix_power(M, k) @ starts[i, 0] for k in range(steps + 1)])
            np.testing.assert_allclose(traj.points[:, i, j], ref, rtol=1e-10, atol=1e-14)
            np.testing.assert_allclose(traj.losses[:, i, j], 0.5 * np.einsum("ki,ij,kj->k", ref, H, ref),
                                       rtol=1e-10, atol=1e-14)
            np.testing.assert_array_equal(traj.lrs[:, i, j], lrs[j])


def test_losses_are_the_surface_values():
    r = sv.Rosenbrock()
    traj = sv.run(sv.Adam(lr=0.05), r, start=np.array([[-1.2, 1.0], [0.0, 0.0]]), steps=30)
    x, y = traj.points[..., 0], traj.points[..., 1]
    np.testing.assert_allclose(traj.losses, (1 - x) ** 2 + 100 * (y - x ** 2) ** 2, rtol=1e-12)


def test_lrs_record_the_schedule():
    steps = 12
    traj = sv.run(sv.GD(lr=sv.exponential(0.1, 0.9)), sv.QuadraticBowl(), start=np.zeros((3, 2)) + 1, steps=steps)
    np.testing.assert_allclose(traj.lrs, np.broadcast_to((0.1 * 0.9 ** np.arange(steps))[:, None], (steps, 3)),
                               rtol=1e-13)
    traj = sv.run(sv.Adam(lr=lambda t: 0.1 / (1 + t)), sv.Rosenbrock(), steps=steps)
    np.testing.assert_allclose(traj.lrs, 0.1 / (1 + np.arange(steps)), rtol=1e-13)


def test_batched_run_equals_separate_runs_for_a_batch_of_starts():
    starts = np.array([[-1.2, 1.0], [0.0, 2.0], [1.5, -0.5]])
    opt = sv.Nesterov(lr=1e-3, momentum=0.8)
    traj = sv.run(opt, sv.Rosenbrock(), start=starts, steps=40)
    for i, s in enumerate(starts):
        np.testing.assert_allclose(traj.points[:, i], sv.run(opt, sv.Rosenbrock(), start=s, steps=40).points,
                                   rtol=1e-13, atol=1e-15)
        sub = traj[i]
        np.testing.assert_array_equal(sub.points, traj.points[:, i])


# ---------------------------------------------------------------- noise

FLAT = sv.Surface.from_function(lambda p: 0.0 * p[..., 0], grad=lambda p: np.zeros_like(p), name="flat")


def test_noise_is_reproducible_with_a_seed():
    opt, bowl = sv.GD(lr=0.05), sv.QuadraticBowl()
    a = sv.run(opt, bowl, start=np.ones((4, 2)), steps=30, noise=0.3, seed=11)
    b = sv.run(opt, bowl, start=np.ones((4, 2)), steps=30, noise=0.3, seed=11)
    c = sv.run(opt, bowl, start=np.ones((4, 2)), steps=30, noise=0.3, seed=12)
    d = sv.run(opt, bowl, start=np.ones((4, 2)), steps=30)
    np.testing.assert_array_equal(a.points, b.points)
    assert np.abs(a.points[1:] - c.points[1:]).min() > 0
    assert np.abs(a.points[1:] - d.points[1:]).min() > 0
    # noise = 0 is the deterministic run, with or without a seed
    np.testing.assert_array_equal(sv.run(opt, bowl, start=np.ones((4, 2)), steps=30, noise=0.0, seed=3).points,
                                  d.points)
    # the runs of a batch get independent noise
    assert np.abs(a.points[1:, 0] - a.points[1:, 1]).min() > 0


def test_noise_without_a_seed_runs():
    traj = sv.run(sv.GD(lr=0.05), sv.QuadraticBowl(), steps=10, noise=0.1)
    assert np.isfinite(traj.points).all()


@pytest.mark.parametrize("sigma", [0.5, 2.0])
def test_noise_is_zero_mean_gaussian_of_the_given_std(sigma):
    """On a flat surface GD with lr = 1 moves by exactly minus the noise: the increments are the noise."""
    n, steps = 2000, 10
    traj = sv.run(sv.GD(lr=1.0), FLAT, start=np.zeros((n, 2)), steps=steps, noise=sigma, seed=5)
    inc = -np.diff(traj.points, axis=0).reshape(-1)
    m = inc.size
    assert abs(inc.mean()) < 5 * sigma / np.sqrt(m)
    assert inc.std() == pytest.approx(sigma, rel=0.03)
    # roughly Gaussian: 68% within one sigma, 95% within two
    assert np.mean(np.abs(inc) < sigma) == pytest.approx(0.6827, abs=0.02)
    assert np.mean(np.abs(inc) < 2 * sigma) == pytest.approx(0.9545, abs=0.01)


def test_noise_array_gives_each_run_its_std():
    sigmas = np.array([0.1, 1.0, 3.0])
    traj = sv.run(sv.GD(lr=1.0), FLAT, start=np.zeros((500, 1, 2)), steps=20, noise=sigmas, seed=2)
    assert traj.points.shape == (21, 500, 3, 2)
    assert not traj.diverged.any()
    inc = -np.diff(traj.points, axis=0)
    np.testing.assert_allclose(inc.std(axis=(0, 1, 3)), sigmas, rtol=0.03)


# ---------------------------------------------------------------- divergence

def check_divergence_against(traj, ref_points, ref_losses, limit):
    """ref_* are the formula's iterates computed independently (without any NaN masking)."""
    with np.errstate(all="ignore"):
        bad = ~((np.abs(ref_points) <= limit).all(axis=-1) & np.isfinite(ref_losses))
    expected_at = np.where(bad.any(axis=0), np.argmax(bad, axis=0), -1)
    np.testing.assert_array_equal(traj.diverged_at, expected_at)
    np.testing.assert_array_equal(traj.diverged, expected_at >= 0)
    k = np.arange(traj.points.shape[0]).reshape((-1,) + (1,) * traj.diverged.ndim)
    after = traj.diverged & (k >= traj.diverged_at)
    before = ~after
    assert np.isnan(traj.points[after]).all() and np.isnan(traj.losses[after]).all()
    assert np.isfinite(traj.points[before]).all() and np.isfinite(traj.losses[before]).all()
    np.testing.assert_allclose(traj.points[before], ref_points[before], rtol=1e-10, atol=1e-250)
    return expected_at


def test_divergence_of_gd_on_a_bowl():
    """x_k = (1 - lr)^k x_0 and y_k = (1 - 10 lr)^k y_0 on the axis-aligned bowl (1, 10)."""
    bowl = sv.QuadraticBowl((1.0, 10.0))
    lrs = np.array([0.05, 0.19, 0.199, 0.201, 0.21, 0.3, 1.0, 5.0, 100.0])
    start = np.array([0.7, 1.3])
    steps = 1500  # enough for lr = 0.201, |1 - 10 lr| = 1.01, to leave the bound
    traj = sv.run(sv.GD(lr=lrs), bowl, start=start, steps=steps)
    k = np.arange(steps + 1)[:, None]
    with np.errstate(all="ignore"):
        ref = np.stack([(1 - lrs) ** k * start[0], (1 - 10 * lrs) ** k * start[1]], axis=-1)
        ref_losses = 0.5 * (ref[..., 0] ** 2 + 10 * ref[..., 1] ** 2)
    at = check_divergence_against(traj, ref, ref_losses, divergence_limit(bowl))
    # theory: diverges iff lr > 2 / L = 0.2
    np.testing.assert_array_equal(traj.diverged, lrs > 0.2)
    assert (at[lrs > 0.2] > 0).all()


def test_divergence_on_the_unbounded_saddle():
    """Saddle(0): y_k = (1 + lr)^k y_0 grows without bound while the loss stays finite."""
    s = sv.Saddle(quartic=0.0)
    lr, start, steps = 0.1, np.array([1.0, 1e-3]), 300
    traj = sv.run(sv.GD(lr=lr), s, start=start, steps=steps)
    k = np.arange(steps + 1)
    ref = np.stack([(1 - lr) ** k * start[0], (1 + lr) ** k * start[1]], axis=-1)
    limit = divergence_limit(s)
    expected = int(np.argmax(np.abs(ref[:, 1]) > limit))
    assert expected > 0
    assert traj.diverged and traj.diverged_at == expected
    check_divergence_against(traj, ref, 0.5 * ref[:, 0] ** 2 - 0.5 * ref[:, 1] ** 2, limit)
    assert "diverged" in traj.summary()


def test_divergence_when_the_loss_stops_being_finite():
    """f = log(3 - x) + y^2 is NaN past x = 3, far inside the bound: that also counts as divergence."""
    surface = sv.Surface.from_function(lambda x, y: np.log(3 - x) + y ** 2,
                                       grad=lambda x, y: (-1 / (3 - x), 2 * y), bounds=((-4, 4), (-4, 4)))
    lrs = np.array([0.3, 0.5, 0.9])
    steps = 60
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = sv.run(sv.GD(lr=lrs), surface, start=(0.0, 1.0), steps=steps)
    # the formula by hand, without any masking
    ref = np.empty((steps + 1, 3, 2))
    ref[0] = (0.0, 1.0)
    with np.errstate(all="ignore"):
        for t in range(steps):
            x, y = ref[t, :, 0], ref[t, :, 1]
            ref[t + 1] = np.stack([x - lrs * (-1 / (3 - x)), y - lrs * 2 * y], -1)
        ref_losses = np.log(3 - ref[..., 0]) + ref[..., 1] ** 2
    at = check_divergence_against(traj, ref, ref_losses, divergence_limit(surface))
    assert traj.diverged.all()
    # it broke down through a non-finite loss, not through the bound
    for j in range(3):
        assert np.abs(ref[at[j], j]).max() < 10


RULES = list(sv.OPTIMIZERS.values())


@pytest.mark.parametrize("cls", RULES)
def test_no_warning_escapes_a_divergent_run(cls):
    """Huge step sizes overflow; the run flags the divergence and no numpy warning escapes."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="warn"):  # even when numpy is set to warn, run() keeps quiet
            for surface in (sv.Rosenbrock(), sv.Saddle(quartic=0.0), sv.QuadraticBowl((1.0, 1e3))):
                traj = sv.run(cls(lr=np.array([1.0, 1e3, 1e9])), surface,
                              start=np.array([[-1.2, 1.0], [2.0, 1.5]])[:, None], steps=300)
                assert traj.diverged[:, -1].all()
                for idx in np.ndindex(*traj.batch_shape):
                    sub = traj[idx]
                    if sub.diverged:
                        k = int(sub.diverged_at)
                        assert k >= 1
                        assert np.isfinite(sub.points[:k]).all() and np.isfinite(sub.losses[:k]).all()
                        assert np.isnan(sub.points[k:]).all() and np.isnan(sub.losses[k:]).all()
                    else:
                        assert np.isfinite(sub.points).all()
                        assert sub.diverged_at == -1


def test_divergence_is_a_result_not_an_error():
    traj = sv.run(sv.GD(lr=1.0), sv.Rosenbrock(), steps=50)
    assert traj.diverged
    assert np.isnan(traj.final_loss)


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("start", [(1.0,), (1.0, 2.0, 3.0), np.zeros((4, 3)), 1.0, [[1.0], [2.0]]], ids=repr)
def test_start_of_the_wrong_shape(start):
    with pytest.raises(ValueError, match=r"\bstart\b.*shape"):
        sv.run(sv.GD(lr=0.1), sv.QuadraticBowl(), start=start)


@pytest.mark.parametrize("start", [(np.nan, 1.0), (1.0, np.inf), np.array([[0.0, 0.0], [-np.inf, 0.0]])], ids=repr)
def test_start_not_finite(start):
    with pytest.raises(ValueError, match=r"\bstart\b.*finite"):
        sv.run(sv.GD(lr=0.1), sv.QuadraticBowl(), start=start)


@pytest.mark.parametrize("start", ["origin", (1.0, "a")], ids=repr)
def test_start_not_numbers(start):
    with pytest.raises((TypeError, ValueError), match=r"\bstart\b"):
        sv.run(sv.GD(lr=0.1), sv.QuadraticBowl(), start=start)


@pytest.mark.parametrize("steps", [-1, -100])
def test_negative_steps(steps):
    with pytest.raises(ValueError, match=r"\bsteps\b"):
        sv.run(sv.GD(lr=0.1), sv.QuadraticBowl(), steps=steps)


@pytest.mark.parametrize("steps", [2.5, 10.0, "10", None, True, np.float64(3.0)], ids=repr)
def test_non_integer_steps(steps):
    with pytest.raises(TypeError, match=r"\bsteps\b"):
        sv.run(sv.GD(lr=0.1), sv.QuadraticBowl(), steps=steps)


def test_numpy_integer_steps_are_fine():
    assert sv.run(sv.GD(lr=0.1), sv.QuadraticBowl(), steps=np.int64(3)).points.shape == (4, 2)


@pytest.mark.parametrize("noise", [-0.1, np.nan, np.inf])
def test_bad_noise(noise):
    with pytest.raises(ValueError, match=r"\bnoise\b"):
        sv.run(sv.GD(lr=0.1), sv.QuadraticBowl(), noise=noise)


def test_wrong_optimizer_or_surface():
    with pytest.raises(TypeError, match="optimizer"):
        sv.run("GD", sv.QuadraticBowl())
    with pytest.raises(TypeError, match="optimizer"):
        sv.run(sv.GD, sv.QuadraticBowl())
    with pytest.raises(TypeError, match="problem"):
        sv.run(sv.GD(lr=0.1), "bowl")


def test_steps_to_counts_from_where_the_gap_stays_below():
    """A rippling run that dips below the tolerance and climbs out again has not arrived (issue 15/17)."""
    bowl = sv.QuadraticBowl((1.0, 10.0))
    tr = sv.run(sv.Nesterov(lr=0.1, momentum=0.9), bowl, steps=300)
    gap = tr.gap()
    tol = 1e-6
    stays = next(k for k in range(len(gap)) if all(g <= tol for g in gap[k:]))
    first = next(k for k in range(len(gap)) if gap[k] <= tol)
    assert first < stays  # the run ripples: its first crossing comes early
    assert tr.steps_to(tol) == stays
    short = sv.run(sv.GD(lr=0.01), bowl, steps=5)
    assert short.steps_to(tol) == -1  # not within tol at the end


def test_settled_at_edge_cases():
    from stepviz.engine import settled_at

    col = lambda *v: np.array(v, dtype=float)[:, None]  # noqa: E731
    assert settled_at(col(5, 0.5, 2, 0.5, 0.1), 1.0)[0] == 3
    assert settled_at(col(0.1, 0.2), 1.0)[0] == 0
    assert settled_at(col(0.1, 3.0), 1.0)[0] == -1
    assert settled_at(col(0.1, np.nan), 1.0)[0] == -1


def test_a_batch_of_no_runs_is_an_empty_result():
    """A start of shape (0, 2): nothing to run, nothing diverges (the loop's quick check has no max to take)."""
    tr = sv.run(sv.GD(lr=0.1), sv.QuadraticBowl(), start=np.empty((0, 2)), steps=3)
    assert tr.points.shape == (4, 0, 2) and tr.losses.shape == (4, 0) and tr.diverged.shape == (0,)


def test_the_step_a_run_leaves_is_found_whatever_the_runs_before_it():
    """The loop checks every run only once one has left: a run leaving at step k is caught at k whether it is
    the first to leave or a later one, and the runs that stay are untouched (a hand-written loop of GD)."""
    bowl = sv.QuadraticBowl((1.0, 10.0))
    lrs = np.array([0.05, 0.25, 0.21, 0.1, 0.3])  # three leave, at different steps
    start, steps = np.array([0.7, 1.3]), 400
    tr = sv.run(sv.GD(lr=lrs), bowl, start=start, steps=steps)
    limit = divergence_limit(bowl)
    for j, lr in enumerate(lrs):
        p, at = start.copy(), -1
        for t in range(steps):
            p = p - lr * (bowl.H @ p)
            if np.abs(p).max() > limit:
                at = t + 1
                break
        assert tr.diverged_at[j] == at
        if at < 0:
            np.testing.assert_allclose(tr.points[-1, j], p, rtol=1e-12, atol=1e-300)
        else:
            assert np.isnan(tr.points[at:, j]).all() and np.isfinite(tr.points[:at, j]).all()
    assert (tr.diverged_at[[1, 2, 4]] > 0).all() and len(set(tr.diverged_at[[1, 2, 4]])) == 3


def test_the_rate_measures_lengths_within_an_ulp_of_hypot():
    """The rate's lengths (sqrt(x^2 + y^2), 10x faster than np.hypot) agree with np.hypot to an ulp, and where the
    squares would overflow or underflow, or are not finite, they are hypot's."""
    from stepviz.engine import _norm2

    rng = np.random.default_rng(5)
    d = rng.normal(size=(2000, 2)) * 10.0 ** rng.uniform(-200, 200, size=(2000, 1))
    edges = [[np.nan, 1], [np.inf, 1], [-np.inf, np.nan], [0, 0], [1e-170, 0], [3e-160, 4e-160], [3e160, 4e160]]
    d = np.concatenate([d, edges])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = _norm2(d)
    want = np.hypot(d[:, 0], d[:, 1])
    np.testing.assert_allclose(got, want, rtol=2.3e-16, atol=0)
    np.testing.assert_array_equal(got[-len(edges):], want[-len(edges):])
