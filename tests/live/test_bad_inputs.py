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
