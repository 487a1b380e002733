"""Issue 12 for the interactive layer: compare() and explorer arguments that cannot be drawn are named;
no warning leaks from a learner's function."""
import numpy as np
import pytest

import stepviz as sv
from tests.robust_helpers import close_figure, says


def test_5_a_nan_region_leaks_no_warning_from_explore():
    # sqrt(x) is NaN left of x = 0, where the default start (-1.2, 1.2) lies
    try:
        close_figure(sv.explore(sv.Surface.from_function(lambda x, y: np.sqrt(x) + y ** 2), "GD", lr=0.05))
    except ValueError as e:
        says(e, "f", "nan", "start")


@pytest.mark.parametrize("call, name", [
    (lambda: sv.compare("bowl", [sv.GD([0.1, 0.2])]), "GD"),
    (lambda: sv.compare("bowl", lrs=[0.1], start=np.ones((3, 2))), "start"),
    (lambda: sv.compare("bowl", lrs=[]), "lrs"),
    (lambda: sv.compare("bowl", lrs=[[0.1, 0.2]]), "lrs"),
], ids=["batched optimizer", "batched start", "no lrs", "nested lrs"])
def test_8_compare_refuses_what_it_cannot_draw(call, name):
    with pytest.raises(ValueError) as e:
        close_figure(call())
    says(e.value, name)


@pytest.mark.parametrize("call, name", [
    (lambda: sv.live.schedule_explorer(tol=0), "tol"),
    (lambda: sv.live.saddle_explorer(threshold=0), "threshold"),
    (lambda: sv.live.saddle_explorer(threshold=-1), "threshold"),
], ids=["schedule tol=0", "saddle threshold=0", "saddle threshold=-1"])
def test_9_explorer_arguments_give_an_error_not_a_warning(call, name):
    try:
        close_figure(call())
    except ValueError as e:
        says(e, name)


@pytest.mark.parametrize("surface", [
    lambda: sv.Surface.from_function(lambda p: np.exp(p[..., 0] ** 2 + p[..., 1] ** 2), name="exp"),
    lambda: sv.QuadraticBowl((1, 1e40)),
    lambda: sv.Rosenbrock(b=1e100),
    lambda: sv.Surface.from_function(lambda x, y: 1e306 * (x ** 2 + y ** 2), name="huge"),
], ids=["exp(x^2+y^2)", "bowl (1, 1e40)", "Rosenbrock b=1e100", "1e306 (x^2+y^2)"])
def test_18_10_huge_losses_are_drawn_without_a_warning_or_a_crash(surface):
    """Issue 18 item 10: 'overflow encountered in cast' (canvas.py), inf loss rows not drawn, 'Axis limits cannot
    be NaN or Inf'. Warnings are errors here; the explorer is made, its sweep sent, its fallback drawn."""
    try:
        e = sv.explore(surface(), "GD", lr=0.01, steps=30)
    except ValueError as err:  # a surface the course refuses up front, naming what is wrong, is fine too
        says(err, "window")
        return
    loss = e.canvas.arrays["loss"]
    sent = np.frombuffer(e.canvas.data, np.float32)
    assert not np.isnan(sent).all() and e.readout.value
    assert np.all(np.isnan(loss) | (loss > 0))  # a gap of +inf stays +inf: drawn at the top edge, not dropped
    e.fallback_png()
    e.close()
