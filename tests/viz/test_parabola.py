"""Figures of notebooks 01-02: the artists carry the data of independent runs and formulas."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import stepviz as sv
from stepviz import analysis, viz


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_iterates_follow_the_factor():
    lam, theta0, steps = 2.0, 1.5, 15
    lrs = np.array([0.02, 0.3, 0.8, 0.95])
    th = analysis.iterates(lam, lrs, theta0, steps)
    k = np.arange(steps + 1)[:, None]
    np.testing.assert_allclose(th, (1 - lrs * lam) ** k * theta0, rtol=1e-10, atol=1e-14)
    ref = sv.run(sv.GD(0.3), sv.QuadraticBowl((lam, 7.0)), np.array([theta0, 0.0]), steps)  # any slice
    np.testing.assert_allclose(th[:, 1], ref.points[:, 0])


def test_diverging_iterates_are_flagged_not_raised():
    tr = analysis.parabola_run(1.0, 2.5, 1.5, 200)
    assert tr.diverged and np.isnan(tr.points[-1, 0])


@pytest.mark.parametrize("a, name", [(0.01, "creeping"), (0.099, "creeping"), (0.1, "smooth"), (1.0, "smooth"),
                                     (1.01, "oscillating"), (1.99, "oscillating"), (2.0, "diverging"), (5, "diverging")])
def test_regime_boundaries(a, name):
    for lam in (0.5, 1.0, 3.0):
        assert analysis.regime(a / lam, lam) == name
    assert set(analysis.REGIMES) == {"creeping", "smooth", "oscillating", "diverging"}


def test_regime_rejects_bad_input():
    with pytest.raises(ValueError):
        analysis.regime(-0.1, 1.0)
    with pytest.raises(TypeError):
        analysis.regime("big", 1.0)


def test_regime_bounds_tile_the_axis():
    b = analysis.regime_bounds(2.0, (1e-3, 10.0))
    assert b["creeping"] == (1e-3, 0.05) and b["smooth"] == (0.05, 0.5)
    assert b["oscillating"] == (0.5, 1.0) and b["diverging"] == (1.0, 10.0)


def test_plot_parabola_path_data():
    fig, ax = plt.subplots()
    arts = viz.plot_parabola_path(2.0, 0.7, 1.2, 8, ax)
    th = (1 - 1.4) ** np.arange(9) * 1.2
    x, y = arts["path"].get_data()
    np.testing.assert_allclose(x, th)
    np.testing.assert_allclose(y, 0.5 * 2.0 * th ** 2)
    cx, cy = arts["curve"].get_data()
    np.testing.assert_allclose(cy, cx ** 2)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_plot_iterates_lines_and_legend():
    fig, ax = plt.subplots()
    lrs = [0.05, 0.5, 1.6, 2.1]
    lines = viz.plot_iterates(1.0, lrs, 1.5, 12, ax)
    assert len(lines) == 4
    for line, a in zip(lines, lrs):
        np.testing.assert_allclose(line.get_ydata(), (1 - a) ** np.arange(13) * 1.5)
        assert analysis.regime(a, 1.0) in line.get_label()
    assert ax.get_legend() is not None and ax.get_title() and ax.get_xlabel() == "iteration k"


def test_plot_regimes_one_panel_each():
    fig, axes = viz.plot_regimes(2.0)
    assert len(axes) == 4
    titles = [ax.get_title() for ax in axes]
    for name, t in zip(analysis.REGIMES, titles):
        assert t.startswith(name)
    assert fig.get_suptitle()


def test_plot_factor_marks():
    fig, ax = plt.subplots()
    arts = viz.plot_factor(4.0, ax, lr=0.3)
    assert arts["one"].get_xdata()[0] == 0.25 and arts["two"].get_xdata()[0] == 0.5
    assert arts["lr"].get_xdata()[0] == 0.3
    a, f = arts["curve"].get_data()
    np.testing.assert_allclose(f, np.abs(1 - 4.0 * a))
    assert ax.get_legend() is not None


def test_rate_vs_kappa_matches_prediction():
    fig, ax = plt.subplots()
    measured, predicted, _ = viz.plot_rate_vs_kappa((2, 10, 50), ax=ax)
    np.testing.assert_allclose(predicted, [1 / 3, 9 / 11, 49 / 51])
    np.testing.assert_allclose(measured, predicted, atol=2e-3)
    assert ax.get_legend() is not None and ax.get_xlabel() and ax.get_ylabel()


def test_rate_vs_lr_matches_theory_where_converging():
    fig, ax = plt.subplots()
    bowl = sv.QuadraticBowl((1.0, 10.0))
    lrs, measured, _ = viz.plot_rate_vs_lr(bowl, np.array([0.02, 0.1, 0.15, 0.19, 0.25]), ax=ax)
    ok = lrs < 0.19
    np.testing.assert_allclose(measured[ok], sv.theory.gd_rate(bowl, lrs[ok]), atol=2e-3)
    assert np.isnan(measured[-1])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("2/L" in t for t in labels) and any("2/(μ+L)" in t for t in labels) and "diverged" in labels
