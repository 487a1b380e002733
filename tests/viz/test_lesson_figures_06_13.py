"""The figures added for notebooks 06-13: each draws the data it was given or computed, with short labels and
legends that leave the data free."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import stepviz as sv
from stepviz import viz
from stepviz.analysis import stochastic


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_short_label():
    assert viz.short_label(sv.Adam(0.1)) == "Adam, α = 0.1"
    assert viz.short_label(sv.Momentum(0.0614041, momentum=0.565807)) == "Momentum, α = 0.0614, γ = 0.566"
    assert viz.short_label(sv.Adadelta()) == "Adadelta" and viz.short_label(sv.Adadelta(lr=0.5)) == "Adadelta, α = 0.5"


def test_regime_map_draws_theory_and_measured_runs():
    fig = viz.plot_momentum_regimes(grid=(9, 6), steps=200)
    assert fig.measured.count == 54 and fig.agree == 54
    markers = [l for l in fig.ax.get_lines() if l.get_label().startswith("measured run")]
    assert sum(len(l.get_xdata()) for l in markers) == 54
    limit = [l for l in fig.ax.get_lines() if "limit" in l.get_label()][0]
    np.testing.assert_allclose(limit.get_xdata(), 2 + 2 * limit.get_ydata())
    for i, axi in enumerate(fig.trace_axes):
        np.testing.assert_allclose(axi.get_lines()[-1].get_ydata(), fig.examples.x[:, i])


def test_stability_map_colours_steps_per_digit():
    bowl = sv.QuadraticBowl((1.0, 10.0))
    sm = viz.stability_map(bowl, "Momentum", np.geomspace(0.01, 0.5, 8), np.linspace(0, 0.9, 5), steps=150)
    shown = np.ma.masked_invalid(sm.image.get_array()).reshape(5, 8)
    ok = ~sm.grid.diverged & (sm.grid.rates < 1)
    np.testing.assert_allclose(shown[ok], -1 / np.log10(sm.grid.rates[ok]))
    assert shown.mask[~ok].all()


def test_comparison_and_preconditioning_figures_carry_their_runs():
    opts = [sv.GD(0.1), sv.Adam(0.05)]
    fig = viz.plot_comparison("saddle", opts, start=[1.8, 0.001], steps=40)
    for o, tr, line in zip(opts, fig.trajectories, fig.ax_loss.get_lines()):
        np.testing.assert_allclose(tr.points, sv.run(o, sv.get_surface("saddle"), start=[1.8, 0.001], steps=40).points)
        assert line.get_label() == viz.short_label(o)
    assert fig.ax_path.get_legend() is None and len(fig.figure.legends) == 1
    pre = viz.plot_preconditioning([sv.GD(0.035), sv.RMSprop(0.05)], steps=300)
    texts = [t.get_text() for t in pre.axes[0].get_legend().get_texts()]
    k = [n for _, n in pre.runs[0.0].values()]
    assert texts == [f"GD, α = 0.035: {k[0]} steps", f"RMSprop, α = 0.05: {k[1]} steps"]


def test_velocity_forms_figure():
    bowl = sv.QuadraticBowl((1.0, 20.0))
    fig = viz.plot_velocity_forms(bowl, 0.03, 0.8, sv.step_decay(0.03, 0.1, 10), steps=20, schedule_label="cut")
    ours, torch = fig.axes[1].get_lines()[:2]
    np.testing.assert_allclose(ours.get_ydata(), viz.step_lengths(fig.runs["schedule"]["ours"]))
    np.testing.assert_allclose(torch.get_ydata(), viz.step_lengths(fig.runs["schedule"]["pytorch"]))
    assert fig.axes[2].get_title() == "loss, cut"


def test_rates_vs_theory_figure():
    bowl = sv.QuadraticBowl((1.0, 20.0))
    out = viz.plot_rates_vs_theory(bowl, ["Momentum", "Nesterov"], momentum=0.5, steps=200)
    ax = plt.gca()
    limits = [l for l in ax.get_lines() if "limit" in l.get_label()]
    assert [l.get_xdata()[0] for l in limits] == pytest.approx(
        [float(sv.theory.momentum_lr_limit(bowl, 0.5)), float(sv.theory.nesterov_lr_limit(bowl, 0.5))])
    dots = [l for l in ax.get_lines() if l.get_label() == "Nesterov: measured"][0]
    np.testing.assert_allclose(dots.get_ydata(), out["Nesterov"].measured[0])


def test_sgd_divergence_and_paths_figures():
    data = sv.lessons.stochastic_gradients.sgd_data()
    lrs = np.array([0.2, 0.45, 0.65])
    out = viz.plot_sgd_divergence(data, lrs, batch_sizes=(1,), runs=4, steps=100)
    line = [l for l in out["ax"].get_lines() if l.get_label().startswith("batch 1")][0]
    np.testing.assert_allclose(line.get_ydata(), stochastic.divergence_share(data, lrs, batch_size=1, runs=4, steps=100))
    assert out["limit"]["batch 1"] == pytest.approx(stochastic.mean_square_limit(data, 1))
    paths = viz.plot_sgd_paths(data, 0.1, 10, steps=30, runs=3, full_batch=True)
    np.testing.assert_allclose(paths["gd_line"].get_xydata(), paths["gd"].points)
    assert len({l.get_color() for l in paths["paths"]}) == 1
    assert viz.plot_sgd_paths(data, 0.1, 10, steps=10, runs=2)["gd"] is None


def test_sharpness_and_loss_figure_and_layer_dots():
    X, y = sv.spirals(n=60, seed=1)
    loss = sv.NetworkLoss(sv.MLP((2, 6, 1), seed=1), X, y)
    tr = sv.run(sv.GD(2.0), loss, steps=40)
    fig = viz.plot_sharpness_and_loss(loss, [tr], every=5, iters=10)
    k, lam = fig.sharpness["α = 2"]
    np.testing.assert_array_equal(k, np.arange(0, 41, 5))
    np.testing.assert_allclose(fig.axes[1].get_lines()[0].get_ydata(), tr.losses)
    assert fig.above["α = 2"] == sv.analysis.curvature.stretches_above(k, lam, 1.0)
    ax = plt.subplots()[1]
    lim = viz.plot_layer_limits(loss, [tr.points[0]], ["start"], ax=ax)
    assert not ax.patches and ax.get_yscale() == "log"
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), lim[0])
