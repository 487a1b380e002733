"""Tests of stepviz.tuning: grid search, the learning-rate range test, backtracking line search.

References are independent of the code under test: single runs, bowl theory (2/L, 2/(mu+L)), a hand-written
gradient-descent loop, and surfaces instrumented to count the evaluations they serve.
"""
import numpy as np
import pytest

import stepviz as sv

from stepviz import (
    GD,
    Backtracking,
    Momentum,
    Nesterov,
    QuadraticBowl,
    Rosenbrock,
    Saddle,
    Surface,
    run,
    theory,
)
from stepviz.analysis.tuning import (
    GridSearchResult,
    RangeTestResult,
    grid_search,
    lr_range_test,
)

BOWLS = [QuadraticBowl((1.0, 10.0)), QuadraticBowl((1.0, 10.0), 30.0), QuadraticBowl((0.1, 10.0)),
         QuadraticBowl((1.0, 100.0), 20.0), QuadraticBowl((2.0, 3.0), 45.0), QuadraticBowl((0.01, 1.0), 60.0)]


class Counting(Surface):
    """A surface that counts the points at which its value and gradient are evaluated."""

    def __init__(self, inner):
        self.inner, self.value_points, self.grad_points = inner, 0, 0
        for k in ("name", "bounds", "minima", "start"):
            setattr(self, k, getattr(inner, k))

    def value(self, p):
        self.value_points += int(np.prod(np.shape(p)[:-1]))
        return self.inner.value(p)

    def grad(self, p):
        self.grad_points += int(np.prod(np.shape(p)[:-1]))
        return self.inner.grad(p)


# ---------------------------------------------------------------- grid search

@pytest.mark.parametrize("name, cls, extra", [("GD", GD, {}), ("Momentum", Momentum, {"momentum": 0.5}),
                                              ("nesterov", Nesterov, {"momentum": 0.8})])
def test_grid_search_batched_equals_single_runs(name, cls, extra):
    bowl = QuadraticBowl((1.0, 10.0), 25.0)
    lrs = np.geomspace(1e-3, 1.0, 13)  # the upper end diverges
    res = grid_search(name, bowl, lrs, steps=40, **extra)
    assert isinstance(res, GridSearchResult)
    expected = []
    for lr in lrs:
        t = run(cls(lr=float(lr), **extra), bowl, steps=40)
        expected.append(np.inf if t.diverged else float(t.final_loss))
    np.testing.assert_allclose(res.final_losses, expected, rtol=1e-12, atol=0)
    assert np.isinf(res.final_losses).any() and np.isfinite(res.final_losses).any()
    np.testing.assert_array_equal(res.lrs, lrs)
    k = int(np.nanargmin(np.where(np.isinf(expected), np.nan, expected)))
    assert res.best_lr == lrs[k] and res.best_loss == expected[k]
    assert res.best_trajectory.final_loss == res.best_loss
    assert res.trajectory.batch_shape == (13,) and res.trajectory.surface is bowl


def test_grid_search_accepts_class_and_factory():
    bowl = QuadraticBowl((1.0, 4.0))
    lrs = [0.05, 0.1, 0.2, 0.4]
    by_name = grid_search("Momentum", bowl, lrs, steps=30, momentum=0.5)
    by_class = grid_search(Momentum, bowl, lrs, steps=30, momentum=0.5)
    by_factory = grid_search(lambda lr: Momentum(lr, momentum=0.5), bowl, lrs, steps=30)
    np.testing.assert_array_equal(by_name.final_losses, by_class.final_losses)
    np.testing.assert_array_equal(by_name.final_losses, by_factory.final_losses)
    by_surface_name = grid_search("GD", "rosenbrock", [1e-4, 1e-3], steps=10)
    assert by_surface_name.trajectory.surface.name == "rosenbrock"


@pytest.mark.parametrize("bowl", BOWLS[:5])
def test_grid_search_best_lr_is_near_the_optimal_step(bowl):
    lrs = np.geomspace(1e-3, 1.0, 61)  # spacing factor 10 ** 0.05 = 1.122
    res = grid_search("GD", bowl, lrs, steps=400)
    assert res.best_lr < theory.lr_limit(bowl)
    assert abs(np.log(res.best_lr / theory.optimal_lr(bowl))) <= np.log(1.122) * 1.01


@pytest.mark.parametrize("bowl", BOWLS)
def test_grid_search_best_lr_is_stable_with_few_steps(bowl):
    res = grid_search("GD", bowl, np.geomspace(1e-4, 100.0, 31), steps=20)
    assert 0 < res.best_lr < theory.lr_limit(bowl)
    assert theory.gd_rate(bowl, res.best_lr) < 1


def test_coarse_to_fine_improves_or_keeps_the_loss():
    bowl = QuadraticBowl((1.0, 10.0), 30.0)
    coarse = grid_search("GD", bowl, np.geomspace(1e-3, 1.0, 7), steps=200)
    fine = grid_search("GD", bowl, np.geomspace(1e-3, 1.0, 7), steps=200, refine=2, refine_points=9)
    assert fine.best_loss <= coarse.best_loss
    assert fine.best_loss < 1e-3 * coarse.best_loss  # the coarse grid misses the optimum badly
    assert len(fine.rounds) == 3 and [r.lrs.size for r in fine.rounds] == [7, 9, 9]
    opt = theory.optimal_lr(bowl)
    assert abs(np.log(fine.best_lr / opt)) < abs(np.log(coarse.best_lr / opt))
    for k in (1, 2):  # each new grid lies strictly between the neighbours of the best tried so far
        tried = np.concatenate([r.lrs for r in fine.rounds[:k]])
        scores = np.concatenate([r.final_losses for r in fine.rounds[:k]])
        order = np.argsort(tried)
        tried, scores = tried[order], scores[order]
        i = int(np.argmin(scores))
        assert tried[i - 1] < fine.rounds[k].lrs.min() and fine.rounds[k].lrs.max() < tried[i + 1]
    assert np.all(np.diff(fine.lrs) >= 0) and fine.lrs.size == 7 + 9 + 9
    assert fine.grad_evals == (7 + 9 + 9) * 200


def test_refinement_extends_past_the_edge_of_the_grid():
    bowl = QuadraticBowl((1.0, 10.0))  # optimal step 0.18 lies above the whole grid
    res = grid_search("GD", bowl, [0.01, 0.02, 0.04], steps=100, refine=3, refine_points=3)
    assert res.lrs.max() > 0.04 and res.best_lr > 0.04


def test_grid_search_when_every_run_diverges():
    res = grid_search("GD", QuadraticBowl((1.0, 10.0)), [10.0, 100.0], steps=50, refine=2)
    assert np.isnan(res.best_lr) and res.best_loss == np.inf and len(res.rounds) == 1
    assert np.all(np.isinf(res.final_losses))
    with pytest.raises(ValueError, match="diverged"):
        res.best_trajectory


def test_grid_search_of_backtracking_initial_steps():
    bowl = QuadraticBowl((1.0, 50.0), 10.0)
    res = grid_search(Backtracking, bowl, [0.1, 1.0, 10.0, 100.0], steps=300)
    assert np.all(res.final_losses < 1e-8)  # insensitive to its initial trial step, never diverges
    assert res.value_evals > res.grad_evals == 4 * 300


# ---------------------------------------------------------------- range test

@pytest.mark.parametrize("bowl", BOWLS)
@pytest.mark.parametrize("lr_min, lr_max, steps", [(1e-5, 10.0, 100), (1e-6, 100.0, 200), (1e-4, 1e3, 60),
                                                   (1e-5, 10.0, 500)])
def test_range_test_suggestion_lies_below_the_edge_of_stability(bowl, lr_min, lr_max, steps):
    res = lr_range_test("GD", bowl, lr_min, lr_max, steps)
    assert isinstance(res, RangeTestResult)
    edge = theory.lr_limit(bowl)
    assert edge / 20 < res.suggested_lr < edge
    assert res.min_lr == pytest.approx(10 * res.suggested_lr)
    # below 2/L every mode of GD shrinks, so the loss cannot blow up there
    assert np.isnan(res.blowup_lr) or res.blowup_lr > edge


def test_range_test_matches_a_hand_written_loop():
    bowl = QuadraticBowl((1.0, 10.0), 30.0)
    res = lr_range_test("GD", bowl, 1e-4, 10.0, 80)
    ratios = res.lrs[1:] / res.lrs[:-1]
    np.testing.assert_allclose(ratios, (10.0 / 1e-4) ** (1 / 80), rtol=1e-12)
    assert 1e-4 < res.lrs[0] < res.lrs[-1] < 10.0
    np.testing.assert_allclose(res.trajectory.lrs, res.lrs, rtol=1e-15)
    p, losses = bowl.start.copy(), []
    with np.errstate(all="ignore"):
        for lr in res.lrs:
            p = p - lr * (bowl.H @ p)
            losses.append(0.5 * p @ bowl.H @ p)
    losses = np.array(losses)
    k = res.trajectory.diverged_at - 1 if res.trajectory.diverged else len(losses)
    np.testing.assert_allclose(res.losses[:k], losses[:k], rtol=1e-9)
    np.testing.assert_array_equal(res.smoothed[:k], res.losses[:k])  # smooth=0: raw losses
    start = bowl.value(bowl.start)
    b = res.blowup_step
    assert b >= 0 and res.smoothed[b] > 4 * min(start, np.min(res.smoothed[:b]))
    assert np.all(res.smoothed[:b] <= 4 * np.minimum(np.minimum.accumulate(res.smoothed[:b]), start))
    assert res.blowup_lr == res.lrs[b]
    assert res.min_lr == res.lrs[int(np.argmin(losses[:b]))]


def test_steepest_rule_can_overshoot_the_edge_on_an_ill_conditioned_bowl():
    bowl = QuadraticBowl((0.1, 1.0))
    steep = lr_range_test("GD", bowl, rule="steepest")
    minimum = lr_range_test("GD", bowl)
    assert steep.suggested_lr > theory.lr_limit(bowl) > minimum.suggested_lr


def test_range_test_with_noise_smoothing_and_other_optimizers():
    rb = Rosenbrock()
    res = lr_range_test("Adam", rb, 1e-4, 10.0, 150, smooth=0.9, noise=1.0, seed=0)
    assert np.isfinite(res.suggested_lr) and 1e-4 < res.suggested_lr < 10.0
    res2 = lr_range_test(Momentum, QuadraticBowl((1.0, 10.0)), momentum=0.5)
    edge = theory.momentum_lr_limit(QuadraticBowl((1.0, 10.0)), 0.5)
    assert res2.suggested_lr < edge  # (momentum's loss is not monotone: it may rise 4x below the edge)


def test_range_test_takes_one_noise_level():
    with pytest.raises(TypeError, match="noise must be a single number"):   # was numpy's 'setting an array element with a sequence'
        lr_range_test("GD", QuadraticBowl(), steps=30, noise=[0.0])


def test_range_test_blowing_up_at_once():
    res = lr_range_test("GD", QuadraticBowl((1.0, 10.0)), 100.0, 1e4, 10)
    assert res.blowup_step == 0 and np.isnan(res.suggested_lr) and np.isnan(res.min_lr)


# ---------------------------------------------------------------- backtracking

def _check_armijo(bt, traj, surface):
    """Sufficient decrease at every accepted step (the trajectory's step sizes), and each accepted step the
    largest trial that passes."""
    a = traj.lrs
    p, f = traj.points, traj.losses
    g = surface.grad(p[:-1])
    gg = np.sum(g * g, axis=-1)
    assert np.all(f[1:] <= f[:-1] - bt.c * a * gg)
    np.testing.assert_array_equal(p[1:], np.where((a > 0)[..., None], p[:-1] - a[..., None] * g, p[:-1]))
    larger = a / bt.shrink  # the trial rejected just before the accepted one
    tried = (a > 0) & (a < bt.lr)
    with np.errstate(all="ignore"):
        f_larger = surface.value(p[:-1] - larger[..., None] * g)
    assert np.all(~(f_larger <= f[:-1] - bt.c * larger * gg)[tried])
    assert tried.any()


@pytest.mark.parametrize("surface", [Rosenbrock(), QuadraticBowl((1.0, 100.0), 20.0), Saddle()])
def test_armijo_sufficient_decrease_holds_at_every_accepted_step(surface):
    starts = np.array([[-1.2, 1.0], [0.5, -0.8], [1.8, 1.8], [-0.3, 0.1]])
    bt = Backtracking(surface, lr=np.array([1.0, 0.5, 2.0, 0.05]), c=np.array([1e-4, 0.3, 0.1, 0.5]))
    traj = run(bt, surface, starts, steps=200)
    assert traj.lrs.shape == (200, 4) and not traj.diverged.any()
    _check_armijo(bt, traj, surface)
    assert np.all(np.diff(traj.losses, axis=0) <= 0)


def test_backtracking_batched_equals_per_run():
    rb = Rosenbrock()
    starts = np.array([[-1.2, 1.0], [0.5, -0.8], [1.8, 1.8]])
    lrs, shrinks = np.array([1.0, 0.3, 3.0]), np.array([0.5, 0.8, 0.3])
    bt = Backtracking(rb, lr=lrs, shrink=shrinks)
    batched = run(bt, rb, starts, steps=150)
    for i in range(3):
        one = Backtracking(rb, lr=float(lrs[i]), shrink=float(shrinks[i]))
        single = run(one, rb, starts[i], steps=150)
        np.testing.assert_array_equal(batched.points[:, i], single.points)
        np.testing.assert_array_equal(batched.lrs[:, i], single.lrs)
        assert batched.state["value_evals"][i] == single.state["value_evals"] == batched[i].state["value_evals"]
        assert batched.state["grad_evals"][i] == single.state["grad_evals"] == 150


def test_backtracking_is_pure_its_state_is_in_the_state():
    """A step changes neither the optimizer nor the state it was given; interleaved runs of one instance
    are the runs of two instances."""
    rb = Rosenbrock()
    bt = Backtracking(rb, lr=np.array([1.0, 0.3]))
    before = {k: v for k, v in vars(bt).items() if k != "_hp_memo"}
    p = np.array([[-1.2, 1.0], [0.5, -0.8]])
    s0 = bt.init(p)
    frozen = {k: np.copy(v) for k, v in s0.items()}
    p1, s1 = bt.step(p, rb.grad, s0, 0)
    p2, s2 = bt.step(p1, rb.grad, s1, 1)
    for k in s0:
        np.testing.assert_array_equal(s0[k], frozen[k])
    assert s1 is not s0 and s2 is not s1 and s1["x"] is not p1
    np.testing.assert_array_equal(bt.step(p1, rb.grad, s1, 1)[0], p2)   # the same state gives the same step
    assert {k: v for k, v in vars(bt).items() if k != "_hp_memo"} == before
    a, b = run(bt, rb, p, steps=30), run(Backtracking(rb, lr=np.array([1.0, 0.3])), rb, p, steps=30)
    np.testing.assert_array_equal(a.points, b.points)
    np.testing.assert_array_equal(a.state["value_evals"], b.state["value_evals"])


def test_backtracking_converges_without_tuning():
    rb = Rosenbrock()
    traj = run(Backtracking(rb), rb, steps=3000)
    assert traj.losses[-1] < 1e-4 and traj.distance_to_minimum()[-1] < 0.02
    best_fixed = grid_search("GD", rb, np.geomspace(1e-5, 1e-2, 31), steps=3000)
    assert traj.losses[-1] < best_fixed.best_loss  # beats the best tuned constant step
    bowl = QuadraticBowl((1.0, 100.0), 20.0)
    traj = run(Backtracking(bowl), bowl, steps=1000)
    assert traj.distance_to_minimum()[-1] < 1e-8


def test_backtracking_evaluation_counts_match_an_instrumented_surface():
    inner = Rosenbrock()
    for_search, for_run = Counting(inner), Counting(inner)
    starts = np.array([[-1.2, 1.0], [0.5, -0.8], [1.8, 1.8]])
    bt = Backtracking(for_search, lr=np.array([1.0, 0.1, 0.001]))
    traj = run(bt, for_run, starts, steps=60)
    assert for_search.value_points == int(traj.state["value_evals"].sum()) and for_search.grad_points == 0
    assert for_run.grad_points == int(traj.state["grad_evals"].sum()) == 3 * 60
    # by hand: f(p0) once, then per step the trials lr, lr shrink, ..., down to the accepted one
    trials = np.round(np.log(traj.lrs / bt.lr) / np.log(bt.shrink)) + 1
    np.testing.assert_array_equal(traj.state["value_evals"], 1 + trials.sum(axis=0))
    again = run(bt, inner, starts, steps=5)  # a new run starts its own count: nothing is kept on the optimizer
    assert again.lrs.shape == (5, 3) and again.state["grad_evals"].tolist() == [5] * 3


def test_grid_and_range_test_counts_match_an_instrumented_surface():
    counting = Counting(QuadraticBowl((1.0, 10.0)))
    res = grid_search("Nesterov", counting, np.geomspace(1e-3, 1.0, 9), steps=25, refine=1, refine_points=4)
    assert res.grad_evals == counting.grad_points == (9 + 4) * 25 and res.value_evals == 0
    counting = Counting(Rosenbrock())
    rt = lr_range_test("GD", counting, steps=70)
    assert rt.grad_evals == counting.grad_points == 70


def test_backtracking_works_on_parameter_vectors_of_any_length():
    d = np.array([1.0, 5.0, 10.0, 2.0, 4.0])

    def f(p):
        return 0.5 * np.sum(d * p * p, axis=-1)

    bt = Backtracking(f)
    p = np.ones((3, 5)) * np.array([[1.0], [-2.0], [0.5]])
    state = bt.init(p)
    for t in range(300):
        p, state = bt.step(p, lambda q: d * q, state, t)
        assert state["lr"].shape == (3,)
    assert np.max(np.abs(p)) < 1e-6 and state["grad_evals"].tolist() == [300] * 3


def test_backtracking_stays_put_when_no_trial_passes():
    bowl = QuadraticBowl((1.0, 10.0))
    bt = Backtracking(bowl, lr=10.0, shrink=0.9, max_backtracks=2)  # 10, 9, 8.1: all too long
    traj = run(bt, bowl, steps=3)
    assert np.all(traj.lrs == 0) and np.all(traj.points == bowl.start)
    assert traj.state["value_evals"] == 1 + 3 * 3


def test_backtracking_on_an_unbounded_surface_raises_no_warning():
    s = Saddle(quartic=0.0)
    traj = run(Backtracking(s), s, steps=200)
    assert traj.diverged  # f -> -inf: divergence is a result, not an error or a warning


def test_repr():
    r = repr(Backtracking(QuadraticBowl(), lr=np.array([1.0, 2.0])))
    assert r.startswith("Backtracking(surface=QuadraticBowl(") and "shrink=0.5" in r and "c=0.0001" in r


# ---------------------------------------------------------------- bad input

BOWL = QuadraticBowl()


@pytest.mark.parametrize("call, exc, match", [
    (lambda: grid_search("Foo", BOWL, [0.1]), ValueError, "Foo"),
    (lambda: grid_search(GD(0.1), BOWL, [0.1]), TypeError, "instance"),
    (lambda: grid_search(42, BOWL, [0.1]), TypeError, "42"),
    (lambda: grid_search(lambda lr: 3, BOWL, [0.1]), TypeError, "must return"),
    (lambda: grid_search("GD", BOWL, [0.1, -1.0]), ValueError, "lrs.*-1.0"),
    (lambda: grid_search("GD", BOWL, []), ValueError, "lrs"),
    (lambda: grid_search("GD", BOWL, [[0.1, 0.2]]), ValueError, "lrs.*1-D"),
    (lambda: grid_search("GD", BOWL, "fast"), TypeError, "lrs"),
    (lambda: grid_search("GD", BOWL, [0.1], steps=0), ValueError, "steps"),
    (lambda: grid_search("GD", BOWL, [0.1], refine=-1), ValueError, "refine"),
    (lambda: grid_search("GD", BOWL, [0.1], refine=1), ValueError, "refine"),
    (lambda: grid_search("GD", BOWL, [0.1, 0.2], refine=1, refine_points=0), ValueError, "refine_points"),
    (lambda: grid_search("Momentum", BOWL, [0.1], momentun=0.9), TypeError, "momentun"),
    (lambda: grid_search("GD", BOWL, [0.1], lr=0.1), TypeError, "lr"),
    (lambda: grid_search("Momentum", BOWL, [0.1, 0.2], momentum=np.array([0.5, 0.9, 0.1])), ValueError,
     "single numbers"),
    (lambda: grid_search("Momentum", BOWL, [0.1], momentum=1.5), ValueError, "momentum"),
    (lambda: grid_search("GD", 3.0, [0.1]), TypeError, "surface"),
    (lambda: grid_search("GD", "volcano", [0.1]), ValueError, "volcano"),
    (lambda: grid_search("GD", BOWL, [0.1], start=(1.0, 2.0, 3.0)), ValueError, "start"),
    (lambda: grid_search("GD", BOWL, [0.1], start=[[1.0, 2.0], [0.0, 1.0]]), ValueError, "single point"),
    (lambda: lr_range_test("GD", BOWL, 1.0, 0.1), ValueError, "lr_min < lr_max"),
    (lambda: lr_range_test("GD", BOWL, 0.0, 1.0), ValueError, "lr_min"),
    (lambda: lr_range_test("GD", BOWL, 1e-3, np.inf), ValueError, "lr_max"),
    (lambda: lr_range_test("GD", BOWL, steps=1), ValueError, "steps"),
    (lambda: lr_range_test("GD", BOWL, rule="valley"), ValueError, "rule.*valley"),
    (lambda: lr_range_test("GD", BOWL, divisor=0.5), ValueError, "divisor"),
    (lambda: lr_range_test("GD", BOWL, stop_factor=1.0), ValueError, "stop_factor"),
    (lambda: lr_range_test("GD", BOWL, smooth=1.0), ValueError, "smooth"),
    (lambda: lr_range_test("Adam", BOWL, lr=0.1), TypeError, "lr"),
    (lambda: Backtracking(None), TypeError, "surface"),
    (lambda: Backtracking(BOWL, lr=-1.0), ValueError, "lr"),
    (lambda: Backtracking(BOWL, shrink=1.0), ValueError, "shrink.*\\(0, 1\\)"),
    (lambda: Backtracking(BOWL, shrink=0.0), ValueError, "shrink"),
    (lambda: Backtracking(BOWL, c=0.0), ValueError, "c must"),
    (lambda: Backtracking(BOWL, c=np.array([0.1, 1.0])), ValueError, "c must"),
    (lambda: Backtracking(BOWL, max_backtracks=-1), ValueError, "max_backtracks"),
    (lambda: Backtracking(BOWL, max_backtracks=2.5), TypeError, "max_backtracks"),
])
def test_bad_input_raises_with_a_message(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_sensitivity_good_range_is_the_unbroken_run_around_the_best_step():
    from stepviz.analysis.sensitivity import Sensitivity
    lrs = np.geomspace(1e-3, 1e2, 6)
    # good at 1e-2, 1e-1 (best), 1e0 fails, good again at 1e1 and 1e2 (the grid's edge)
    final = {"A": np.array([1.0, 1e-5, 1e-9, 1.0, 1e-4, 1e-4]), "B": np.array([1e-6, 1e-7, 1.0, np.nan, 1.0, 1.0]),
             "C": np.ones(6)}
    sens = Sensitivity(lrs, final, {k: ~np.isfinite(v) for k, v in final.items()}, good=1e-3)
    assert sens.good_range("A") == (lrs[1], lrs[2])
    assert sens.decades("A") == pytest.approx(1.0)
    assert sens.at_edge("A") == (False, False)
    assert sens.good_range("B") == (lrs[0], lrs[1]) and sens.at_edge("B") == (True, False)
    assert "≥ 1.0 decades" in sens.describe("B")
    assert sens.good_range("C") is None and sens.describe("C") == "no good α" and sens.decades("C") == 0.0


def test_step_counts_counts_each_accepted_step_as_plain_numbers():
    counts = sv.analysis.step_counts(np.array([0.25, 0.125, 0.25, 0.5, 0.25]))
    assert counts == {0.125: 1, 0.25: 3, 0.5: 1}
    assert list(counts) == sorted(counts) and all(type(k) is float and type(v) is int for k, v in counts.items())
    bowl = sv.QuadraticBowl()
    traj = sv.run(sv.Backtracking(bowl, lr=1.0), bowl, steps=40)
    assert sum(sv.analysis.step_counts(traj.lrs).values()) == 40
