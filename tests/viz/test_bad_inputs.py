"""Issue 12 for figures: odd functions draw, bad arguments are named, no matplotlib warning."""
import numpy as np
import pytest

import stepviz as sv
from tests.robust_helpers import BOWL, no_hang, says


ODD_FUNCTIONS = {   # name: (f, a start where f is finite)
    "constant": (lambda x, y: 0 * x + 1.0, (-1.0, 1.0)),
    "inf region": (lambda x, y: np.where(x > 0, np.inf, x ** 2 + y ** 2), (-1.0, 1.0)),
    "nan region": (lambda x, y: np.where(x > 0, np.nan, x ** 2 + y ** 2), (-1.0, 1.0)),
    "huge scale": (lambda x, y: 1e25 * (x ** 2 + y ** 2), (-1.0, 1.0)),   # 1e30 at most: see Surface.LARGEST_VALUE
    "sqrt of negative": (lambda x, y: np.sqrt(x) + y ** 2, (1.0, 1.0)),
}


@pytest.mark.parametrize("name", ODD_FUNCTIONS)
def test_5_odd_functions_draw_without_errors_or_warnings(name):
    plot_surface = sv.viz.plot_surface
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        f, start = ODD_FUNCTIONS[name]
        plot_surface(sv.Surface.from_function(f, start=start), ax)
        fig.canvas.draw()
    finally:
        plt.close(fig)


def test_8_stability_map_of_gd_draws_one_row_per_momentum_and_names_unknown_methods():
    import matplotlib.pyplot as plt

    smap = sv.viz.stability_map(BOWL, "GD", steps=60)   # used to fail deep inside pcolormesh
    try:
        rates = np.nan_to_num(smap.grid.rates, nan=-1.0)
        assert rates.shape == (100, 120) and (rates == rates[0]).all()   # GD has no momentum axis
        np.testing.assert_array_equal(smap.grid.diverged[0], sv.run(sv.GD(smap.grid.lrs), BOWL, steps=60).diverged)
    finally:
        plt.close(smap.ax.figure)
    with pytest.raises(ValueError) as e:
        sv.viz.stability_map(BOWL, "Adam")
    says(e.value, "'Adam'", "Momentum", "Nesterov")


@pytest.mark.parametrize("n", [0, 1, 2, -1, 2.5, 10 ** 9])
def test_8_plot_surface_grid_size_is_checked(n):
    plot_surface = sv.viz.plot_surface
    with no_hang(20), pytest.raises((ValueError, TypeError)) as e:
        plot_surface(BOWL, n=n)
    says(e.value, "n", "whole number")


def test_8_plot_path_labels_must_match_the_runs():
    plot_path = sv.viz.plot_path
    tr = sv.run(sv.GD(np.geomspace(0.01, 0.1, 50)), BOWL, steps=10)
    with pytest.raises(ValueError) as e:
        plot_path(tr, labels=["a"])
    says(e.value, "labels", "1", "50 runs")


def test_9_animating_a_batch_of_50_is_quiet():
    animate = sv.viz.animate
    import matplotlib.pyplot as plt

    tr = sv.run(sv.GD(np.geomspace(0.01, 0.1, 50)), BOWL, steps=10)
    anim = animate(tr, frames=3)
    anim.to_jshtml()
    plt.close(anim._fig)
