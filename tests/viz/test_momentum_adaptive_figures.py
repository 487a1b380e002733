"""Figures of notebooks 06 (momentum, Nesterov) and 07 (adaptive methods): artists carry the right data."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import stepviz as sv
from stepviz import analysis, theory, viz

BOWL = sv.QuadraticBowl((1.0, 25.0), angle=30)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_lookahead_points_are_where_nesterov_takes_its_gradients():
    seen = []
    opt = sv.Nesterov(0.02, momentum=0.8)
    p = BOWL.start.copy()
    state = opt.init(p)
    for t in range(30):
        p, state = opt.step(p, lambda q: (seen.append(q.copy()), BOWL.grad(q))[1], state, t)
    traj = sv.run(sv.Nesterov(0.02, momentum=0.8), BOWL, steps=30)
    np.testing.assert_allclose(analysis.lookahead_points(traj), np.array(seen), rtol=1e-12, atol=1e-14)
    assert not np.allclose(analysis.lookahead_points(traj)[1:], traj.points[1:-1])  # really ahead of the path


def test_velocities_match_the_momentum_state():
    opt = sv.Momentum(0.03, momentum=0.7)
    traj = sv.run(opt, BOWL, steps=20)
    p, state = BOWL.start.copy(), opt.init(BOWL.start)
    v = analysis.velocities(traj)
    np.testing.assert_array_equal(v[0], 0)
    for t in range(20):
        p, state = opt.step(p, BOWL.grad, state, t)
        np.testing.assert_allclose(v[t + 1], state["v"], atol=1e-14)


def test_lookahead_needs_a_momentum():
    with pytest.raises(ValueError, match="momentum"):
        analysis.lookahead_points(sv.run(sv.GD(0.01), BOWL, steps=3))
    assert analysis.lookahead_points(sv.run(sv.GD(0.01), BOWL, steps=3), momentum=0.5).shape == (3, 2)


def test_momentum_rates_measured_close_to_theory_where_converging():
    fig, ax = plt.subplots()
    res = viz.plot_momentum_rates(BOWL, momenta=(0.0, 0.5, 0.8), steps=400, ax=ax)
    np.testing.assert_allclose(res.predicted, theory.momentum_rate(BOWL, res.lrs[None, :], res.momenta[:, None]))
    ok = np.isfinite(res.measured) & (res.predicted < 0.97) & (res.predicted > 0.05)
    assert ok.sum() > 30
    np.testing.assert_allclose(res.measured[ok], res.predicted[ok], atol=0.03)
    assert np.isnan(res.measured[res.predicted > 1.05]).all()  # diverged runs are not drawn as dots
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() and ax.get_legend() is not None
    dots = [l for l in ax.get_lines() if l.get_marker() == "o"]
    np.testing.assert_array_equal(dots[1].get_ydata(), res.measured[1])


def test_ripple_momentum_is_where_roots_turn_complex():
    lr = 0.02
    g = analysis.ripple_momentum(BOWL, lr)
    a = lr * BOWL.mu
    for gamma, complex_ in ((g - 0.01, False), (g + 0.01, True)):
        disc = (1 + gamma - a) ** 2 - 4 * gamma
        assert (disc < 0) == complex_
    # once complex, the rate in that direction is sqrt(gamma)
    assert theory.momentum_rate(sv.QuadraticBowl((1.0, 1.0)), lr, 0.95) == pytest.approx(np.sqrt(0.95))


def test_momentum_ripples_figure_shows_one_batched_run():
    fig = viz.plot_momentum_ripples(BOWL, 0.02, momenta=(0.0, 0.9), steps=60)
    ref = sv.run(sv.Momentum(0.02, momentum=0.9), BOWL, steps=60)
    lines = fig.ax_path.get_lines()
    paths = [l for l in lines if l.get_label() == "γ = 0.9"]
    np.testing.assert_array_equal(np.column_stack(paths[0].get_data()), ref.points)
    assert fig.ax_loss.get_legend() is not None and fig.ax_path.get_title()


# --- adaptive ---------------------------------------------------------------------------------------------

def hand_effective(name, grads, lr):
    """Effective steps from the formulas in ARCHITECTURE.md, written out per step."""
    s = np.zeros(2)
    u = np.zeros(2)
    out = []
    for k, g in enumerate(grads, start=1):
        if name == "Adagrad":
            s = s + g * g
            out.append(lr / (np.sqrt(s) + 1e-10))
        elif name == "RMSprop":
            s = 0.99 * s + 0.01 * g * g
            out.append(lr / (np.sqrt(s) + 1e-8))
        elif name == "Adam":
            s = 0.999 * s + 0.001 * g * g
            out.append(lr / (np.sqrt(s / (1 - 0.999 ** k)) + 1e-8))
        elif name == "Adadelta":
            s = 0.9 * s + 0.1 * g * g
            e = lr * np.sqrt(u + 1e-6) / np.sqrt(s + 1e-6)
            d = e * g
            u = 0.9 * u + 0.1 * d * d
            out.append(e)
        else:
            out.append(np.full(2, lr))
    return np.array(out)


@pytest.mark.parametrize("name,lr", [("Adagrad", 0.3), ("RMSprop", 0.01), ("Adam", 0.05), ("Adadelta", 1.0),
                                     ("GD", 0.001), ("Momentum", 0.001)])
def test_effective_steps_match_hand_written_loop(name, lr):
    surface = sv.Rosenbrock()
    traj, eff = analysis.effective_steps(sv.make_optimizer(name, lr=lr), surface, steps=50)
    np.testing.assert_array_equal(traj.points, sv.run(sv.make_optimizer(name, lr=lr), surface, steps=50).points)
    grads = surface.grad(traj.points[:-1])
    np.testing.assert_allclose(eff, hand_effective(name, grads, lr), rtol=1e-10)
    # the effective step times the gradient is the step taken (for the methods without a first moment)
    if name in ("Adagrad", "RMSprop", "GD", "Adadelta"):
        np.testing.assert_allclose(traj.points[:-1] - traj.points[1:], eff * grads, rtol=1e-9, atol=1e-15)


def test_effective_steps_batched_and_nan_after_divergence():
    lrs = np.array([0.01, 50.0])
    traj, eff = analysis.effective_steps(sv.RMSprop(lrs), sv.QuadraticBowl(), steps=40)
    assert eff.shape == (40, 2, 2)
    single = analysis.effective_steps(sv.RMSprop(0.01), sv.QuadraticBowl(), steps=40)[1]
    np.testing.assert_allclose(eff[:, 0], single)
    gd, eff_gd = analysis.effective_steps(sv.GD(np.array([0.1, 0.5])), sv.QuadraticBowl(), steps=40)
    k = int(gd.diverged_at[1])
    assert gd.diverged[1] and np.isnan(eff_gd[k - 1:, 1]).all() and np.isfinite(eff_gd[: k - 1, 1]).all()


def test_plot_effective_steps_lines_carry_the_data():
    opts = [sv.Adagrad(0.3), sv.Adam(0.05)]
    fig = viz.plot_effective_steps(opts, "rosenbrock", steps=40)
    assert fig.axes.shape == (2, 2)
    for j, opt in enumerate(opts):
        _, eff = analysis.effective_steps(opt, "rosenbrock", steps=40)
        ax = fig.axes[1, j]
        l1, l2 = ax.get_lines()[:2]
        np.testing.assert_array_equal(l1.get_xdata(), np.arange(1, 41))
        np.testing.assert_allclose(l1.get_ydata(), eff[:, 0])
        np.testing.assert_allclose(l2.get_ydata(), eff[:, 1])
        assert ax.get_yscale() == "log" and ax.get_xlabel() and fig.figure.legends
        assert fig.axes[0, j].get_title() == viz.short_label(opt)


def test_lr_sensitivity_is_one_batched_run_per_method():
    lrs = np.geomspace(1e-3, 1.0, 7)
    sens = analysis.lr_sensitivity("bowl", ("GD", "Adam"), lrs, steps=100, good=1e-4)
    for name in ("GD", "Adam"):
        for i, lr in enumerate(lrs):
            tr = sv.run(sv.make_optimizer(name, lr=lr), sv.QuadraticBowl(), steps=100)
            if tr.diverged:
                assert sens.diverged[name][i] and np.isnan(sens.final[name][i])
            else:
                assert sens.final[name][i] == pytest.approx(float(tr.gap()[-1]), rel=1e-9, abs=1e-300)
    ok = sens.final["GD"] <= 1e-4
    assert sens.good_range("GD") == (lrs[ok].min(), lrs[ok].max())
    assert sens.decades("GD") == pytest.approx(np.log10(lrs[ok].max() / lrs[ok].min()))
    assert sens.diverged["GD"][-1]  # alpha = 1 > 2 / L = 0.2


def test_plot_lr_sensitivity_legend_names_good_ranges():
    sens = viz.plot_lr_sensitivity("bowl", ("GD", "RMSprop"), np.geomspace(1e-3, 1.0, 9), steps=100)
    texts = [t.get_text() for t in plt.gca().get_legend().get_texts()]
    assert any(t.startswith("GD (good over") for t in texts)
    line = [l for l in plt.gca().get_lines() if l.get_label().startswith("RMSprop")][0]
    np.testing.assert_allclose(line.get_ydata(), np.maximum(sens.final["RMSprop"], 1e-14))
    assert plt.gca().get_title() and plt.gca().get_xscale() == "log"


def test_scaled_surface_scales_loss_and_gradient():
    for base in (sv.QuadraticBowl((1.0, 10.0), 20), sv.Rosenbrock()):
        s = analysis.scaled_surface(base, 100.0)
        p = np.array([[0.3, -0.7], [1.2, 0.4]])
        np.testing.assert_allclose(s.value(p), 100 * base.value(p))
        np.testing.assert_allclose(s.grad(p), 100 * base.grad(p))
        np.testing.assert_allclose(s.minima, base.minima)


def test_loss_scale_figure_adam_paths_coincide_gd_paths_do_not():
    fig = viz.plot_loss_scale([sv.GD(0.01), sv.Adam(0.05)], "bowl", factors=(1, 100), steps=50)
    gd1, gd100 = fig.trajectories["GD"]
    a1, a100 = fig.trajectories["Adam"]
    assert gd100.diverged and not gd1.diverged
    np.testing.assert_allclose(a1.points, a100.points, atol=1e-6)
    assert all(ax.get_legend() is not None for ax in fig.axes.ravel())
