"""Figures of notebooks 03-05: the artists carry the data of independent runs and formulas."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import stepviz as sv
from stepviz import analysis, viz


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def labels_of(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def assert_labelled(ax):
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


# --- 03 -----------------------------------------------------------------------------------------------

def test_local_limits_are_two_over_largest_hessian_eigenvalue():
    r = sv.Rosenbrock()
    tr = sv.run(sv.GD(lr=1e-3), r, steps=50)
    lam = np.array([np.linalg.eigvalsh(r.hessian(p))[-1] for p in tr.points])
    np.testing.assert_allclose(analysis.local_limits(tr), 2 / lam)
    with pytest.raises(ValueError, match="single run"):
        analysis.local_limits(sv.run(sv.GD(lr=np.array([1e-3, 2e-3])), r, steps=5))


def test_local_limits_nan_after_divergence():
    tr = sv.run(sv.GD(lr=0.05), sv.Rosenbrock(), steps=30)
    assert tr.diverged
    lim = analysis.local_limits(tr)
    assert np.isnan(lim[int(tr.diverged_at):]).all() and np.isfinite(lim[0])


def test_plot_local_limit_marks_iterations_above_the_limit():
    tr = sv.run(sv.GD(lr=4e-3), sv.Rosenbrock(), steps=400)
    arts = viz.plot_local_limit(tr)
    lim = analysis.local_limits(tr)
    np.testing.assert_allclose(arts["limit"].get_ydata(), lim)
    np.testing.assert_allclose(arts["alpha"].get_ydata()[:-1], 4e-3)
    k, y = arts["over"].get_data()
    np.testing.assert_array_equal(k, np.flatnonzero(4e-3 > lim[:-1]))
    assert len(k) > 0
    ax = arts["limit"].axes
    assert_labelled(ax)
    assert len(labels_of(ax)) == 3 and ax.get_yscale() == "log"


def test_plot_local_limit_map_values():
    r = sv.Rosenbrock()
    arts = viz.plot_local_limit_map(r, n=20)
    (x0, x1), (y0, y1) = r.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, 20), np.linspace(y0, y1, 20))
    np.testing.assert_allclose(arts["values"], sv.theory.local_lr_limit(r, np.stack([X, Y], -1)))
    assert_labelled(arts["image"].axes)


def test_escape_steps_formula_and_stable_line():
    np.testing.assert_allclose(analysis.escape_steps(0.1, 1e-3), np.log(500) / np.log(1.1))
    np.testing.assert_allclose(analysis.escape_steps(np.array([0.1, 0.3]), 1e-3, 0.1),
                               np.log(100) / np.log([1.1, 1.3]))
    assert analysis.escape_steps(0.1, 0.0) == np.inf


def test_plot_escape_one_line_per_run():
    lrs = np.array([0.05, 0.1, 0.3])
    tr = sv.run(sv.GD(lr=lrs), sv.Saddle(), start=[1.8, 1e-3], steps=60)
    arts = viz.plot_escape(tr)
    assert len(arts["lines"]) == 3
    for i, line in enumerate(arts["lines"]):
        np.testing.assert_allclose(line.get_ydata(), np.abs(tr.points[:, i, 1]))
    ax = arts["threshold"].axes
    assert_labelled(ax)
    assert labels_of(ax)[:3] == ["α=0.05", "α=0.1", "α=0.3"]


def test_plot_escape_stable_line_drawn_at_zero_on_a_symlog_axis():
    """A run on the stable line has theta_2 = 0 exactly: it is drawn at 0 (not at a made-up floor on a log
    axis), on a symmetric-log axis whose linear part holds 0 and whose log part the other runs."""
    starts = np.array([[1.8, 0.0], [1.8, 1e-6]])
    tr = sv.run(sv.GD(lr=0.1), sv.Saddle(), start=starts, steps=20)
    arts = viz.plot_escape(tr, labels=["on the line", "off it"])
    assert np.all(arts["lines"][0].get_ydata() == 0.0)
    ax = arts["threshold"].axes
    assert ax.get_yscale() == "symlog"
    assert ax.get_ylim()[0] < 0.0 < 1e-6 < ax.get_ylim()[1]
    assert ax.yaxis.get_transform().linthresh < 1e-6  # the off-line run is on the log part


def test_plot_escape_without_a_run_on_the_line_is_log():
    tr = sv.run(sv.GD(lr=0.1), sv.Saddle(), start=[1.8, 1e-3], steps=20)
    assert viz.plot_escape(tr)["threshold"].axes.get_yscale() == "log"


# --- 04 -----------------------------------------------------------------------------------------------

def test_plot_grid_search_rounds_diverged_best_and_limit():
    bowl = sv.QuadraticBowl()
    res = sv.grid_search("GD", bowl, lrs=np.geomspace(1e-3, 10, 13), steps=50, refine=1, refine_points=4)
    arts = viz.plot_grid_search(res, surface=bowl)
    assert len(arts["rounds"]) == 2
    r0 = res.rounds[0]
    ok = np.isfinite(r0.final_losses)
    np.testing.assert_allclose(arts["rounds"][0].get_xdata(), r0.lrs[ok])
    np.testing.assert_allclose(arts["rounds"][0].get_ydata(), np.maximum(r0.final_losses[ok], 1e-300))
    n_div = sum(int(np.sum(~np.isfinite(r.final_losses))) for r in res.rounds)
    assert len(arts["diverged"].get_xdata()) == n_div > 0
    assert np.all(np.asarray(arts["diverged"].get_xdata()) > 2 / bowl.L)
    assert arts["best"].get_xdata()[0] == res.best_lr
    assert arts["limit"].get_xdata()[0] == pytest.approx(0.2)
    ax = arts["best"].axes
    assert_labelled(ax)
    assert "diverged" in labels_of(ax) and str(res.grad_evals) in ax.get_title()


def test_plot_grid_search_without_bowl_has_no_limit():
    res = sv.grid_search("GD", sv.Rosenbrock(), lrs=np.geomspace(1e-4, 1e-1, 7), steps=20)
    assert viz.plot_grid_search(res, surface=sv.Rosenbrock())["limit"] is None


def test_plot_range_test_marks():
    bowl = sv.QuadraticBowl()
    rt = sv.lr_range_test("GD", bowl)
    arts = viz.plot_range_test(rt, surface=bowl)
    np.testing.assert_allclose(arts["loss"].get_xdata(), rt.lrs)
    assert arts["suggested"].get_xdata()[0] == rt.suggested_lr
    assert arts["minimum"].get_xdata()[0] == rt.min_lr
    assert arts["blowup"].get_xdata()[0] == rt.blowup_lr
    assert arts["limit"].get_xdata()[0] == pytest.approx(2 / bowl.L)
    assert rt.suggested_lr < 2 / bowl.L < rt.min_lr  # what the notebook says about it
    assert_labelled(arts["loss"].axes)
    assert len(labels_of(arts["loss"].axes)) == 5


def _accepted(tr):
    """The step each iteration took, read off the path: |p_k - p_{k+1}| / |grad f(p_k)|."""
    g = tr.surface.grad(tr.points[:-1])
    return np.linalg.norm(tr.points[1:] - tr.points[:-1], axis=-1) / np.linalg.norm(g, axis=-1)


def test_plot_backtracking_accepted_steps():
    bowl = sv.QuadraticBowl()
    bt = sv.Backtracking(bowl, lr=1.0)
    tr = sv.run(bt, bowl, steps=30)
    arts = viz.plot_backtracking(tr)
    np.testing.assert_allclose(arts["accepted"].get_ydata()[:30], _accepted(tr), rtol=1e-9)
    np.testing.assert_allclose(arts["trial"].get_ydata(), 1.0)
    assert arts["limit"].get_ydata()[0] == pytest.approx(0.2)
    assert arts["inverse_L"].get_ydata()[0] == pytest.approx(0.1)
    assert_labelled(arts["trial"].axes)


def test_plot_backtracking_long_run_uses_dots_and_the_local_limit_off_a_bowl():
    r = sv.Rosenbrock()
    bt = sv.Backtracking(r, lr=1.0)
    tr = sv.run(bt, r, steps=150)
    arts = viz.plot_backtracking(tr)
    assert arts["accepted"].get_linestyle() == "None"
    np.testing.assert_allclose(arts["accepted"].get_ydata(), _accepted(tr), rtol=1e-6)
    assert arts["limit"] is None
    np.testing.assert_allclose(arts["local_limit"].get_ydata(), analysis.local_limits(tr))
    ax = arts["accepted"].axes
    assert ax.get_yscale() == "log" and ax.yaxis.get_transform().base == 2


def test_plot_loss_curves_one_line_per_run_and_marks():
    bowl = sv.QuadraticBowl()
    a, b = sv.run(sv.GD(lr=0.1), bowl, steps=20), sv.run(sv.Backtracking(bowl), bowl, steps=20)
    arts = viz.plot_loss_curves({"GD": a, "backtracking": b}, marks=[(5, "here")])
    np.testing.assert_allclose(arts["GD"].get_ydata(), a.gap())
    np.testing.assert_allclose(arts["backtracking"].get_ydata(), b.gap())
    assert arts["GD"].get_color() != arts["backtracking"].get_color()
    assert arts["marks"][0].get_xdata()[0] == 5
    assert labels_of(arts["GD"].axes) == ["GD", "backtracking"]
    with pytest.raises(TypeError):
        viz.plot_loss_curves({"batch": sv.run(sv.GD(lr=np.array([0.1, 0.2])), bowl, steps=5)})


def test_plot_costs_stacks_tuning_and_run_on_linear_axes_and_keeps_function_values_apart():
    arts = viz.plot_costs({"grid": {"tuning": 2600, "run": 100}, "range test": {"tuning": 100, "run": 100},
                           "backtracking": {"run": 100, "function values": 335}})
    assert [b.get_width() for b in arts["tuning"]] == [2600, 100, 0]
    assert [b.get_x() for b in arts["run"]] == [2600, 100, 0]  # stacked after the tuning
    assert [b.get_width() for b in arts["run"]] == [100, 100, 100]
    assert [t.get_text().strip() for t in arts["totals"]] == ["2,700", "200", "100"]
    assert [b.get_width() for b in arts["function values"]] == [0, 0, 335]
    ax_g, ax_f = arts["tuning"][0].axes, arts["function values"][0].axes
    assert ax_g is not ax_f and ax_g.get_xscale() == ax_f.get_xscale() == "linear"
    assert_labelled(ax_g)
    with pytest.raises(TypeError):
        viz.plot_costs({})
    with pytest.raises(TypeError):
        viz.plot_costs({"grid": 2600})
    with pytest.raises(ValueError):
        viz.plot_costs({"grid": {"tunign": 2600}})


# --- 05 -----------------------------------------------------------------------------------------------

def test_plot_schedules_lines():
    sch = {"1/t": sv.inverse_time(0.1, 0.05), "cos": sv.cosine(0.1, 50), "const": 0.05}
    arts = viz.plot_schedules(sch, 50)
    t = np.arange(50)
    np.testing.assert_allclose(arts["1/t"].get_ydata(), 0.1 / (1 + 0.05 * t))
    np.testing.assert_allclose(arts["cos"].get_ydata(), 0.05 * (1 + np.cos(np.pi * t / 50)))
    np.testing.assert_allclose(arts["const"].get_ydata(), 0.05)
    ax = arts["1/t"].axes
    assert_labelled(ax)
    assert labels_of(ax) == ["1/t", "cos", "const"]


def test_noisy_runs_are_independent_repeats():
    bowl = sv.QuadraticBowl()
    runs = analysis.noisy_runs(bowl, {"c": 0.1}, steps=20, noise=1.0, repeats=5, seed=1)
    tr = runs["c"]
    assert tr.batch_shape == (5,)
    ref = sv.run(sv.GD(lr=0.1), bowl, np.broadcast_to(bowl.start, (5, 2)), 20, noise=1.0, seed=1)
    np.testing.assert_array_equal(tr.points, ref.points)
    assert not np.allclose(tr.points[-1, 0], tr.points[-1, 1])


def test_plot_noisy_runs_mean_and_tolerance():
    bowl = sv.QuadraticBowl()
    runs = analysis.noisy_runs(bowl, {"constant": 0.1, "1/t": sv.inverse_time(0.1, 0.05)}, steps=100,
                               noise=1.0, repeats=10)
    arts = viz.plot_noisy_runs(runs, tol=1e-2)
    np.testing.assert_allclose(arts["constant"].get_ydata(), runs["constant"].gap().mean(axis=1))
    assert arts["tol"].get_ydata()[0] == 1e-2
    ax = arts["tol"].axes
    assert_labelled(ax)
    assert labels_of(ax) == ["constant", "1/t", "tolerance 0.01"]
    assert "10 runs" in ax.get_ylabel()


def test_noise_ball_of_constant_step_matches_formula():
    """The notebook's formula: mean excess loss = sum alpha sigma^2 / (2 (2 - alpha lambda))."""
    bowl = sv.QuadraticBowl()
    runs = analysis.noisy_runs(bowl, {"c": 0.1}, steps=400, noise=1.0, repeats=200, seed=0)
    measured = runs["c"].gap()[100:].mean()
    predicted = sum(0.1 / (2 * (2 - 0.1 * lam)) for lam in bowl.curvatures)
    assert measured == pytest.approx(predicted, rel=0.05)
