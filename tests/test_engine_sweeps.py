"""Sweeps over the engine (issue 18 items 6 and 14): a grid search with repeated step sizes, and one rule for
optimizer names wherever a name is accepted."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import stepviz as sv
from tests.robust_helpers import says

BOWL = sv.QuadraticBowl((1.0, 10.0))


# --- item 6 ------------------------------------------------------------------------------------------------

def test_6_refining_a_grid_of_one_distinct_step_size_is_refused_naming_lrs():
    with pytest.raises(ValueError) as e:
        sv.grid_search("GD", BOWL, lrs=[0.1, 0.1], steps=10, refine=1)
    says(e.value, "lrs", "2 different")


def test_6_repeated_step_sizes_are_tried_once():
    res = sv.grid_search("GD", BOWL, lrs=[0.05, 0.1, 0.1, 0.05, 0.15], steps=10, refine=1, refine_points=3)
    assert res.rounds[0].lrs.tolist() == [0.05, 0.1, 0.15]
    assert res.lrs.size == 6 and np.all(np.diff(res.lrs) >= 0)
    # the best of the grid, checked by hand: GD's final loss on the bowl after 10 steps
    final = {lr: float(sv.run(sv.GD(lr), BOWL, steps=10).final_loss) for lr in res.lrs}
    assert res.best_lr == min(final, key=final.get)


# --- item 14: one rule for optimizer names ----------------------------------------------------------------

def _explore(name):
    e = sv.explore("bowl", name)
    try:
        return e.controls["optimizer"].value
    finally:
        e.close()


def _compare(name):
    c = sv.compare(BOWL, lrs=[0.01, 0.1], optimizer=name, steps=5)
    plt.close(c.figure)
    return type(c.trajectories[0].optimizer).__name__


ENTRY_POINTS = {
    "make_optimizer": lambda name: type(sv.make_optimizer(name, lr=0.1)).__name__,
    "grid_search": lambda name: type(sv.grid_search(name, BOWL, lrs=[0.01, 0.1], steps=5).trajectory.optimizer).__name__,
    "lr_range_test": lambda name: type(sv.lr_range_test(name, BOWL, steps=5).trajectory.optimizer).__name__,
    "explore": _explore,
    "compare": _compare,
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("name", ["Adam", "adam", "ADAM", " adam "], ids=repr)
def test_14_every_entry_point_accepts_a_name_in_any_case(entry, name):
    if name != name.strip():   # surrounding spaces are a typo the rule does not guess at
        with pytest.raises(ValueError) as e:
            ENTRY_POINTS[entry](name)
        says(e.value, "unknown optimizer", "Adam")
        return
    assert ENTRY_POINTS[entry](name) == "Adam"


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("name", ["sgd", "bogus"])
def test_14_every_entry_point_refuses_an_unknown_name_listing_the_known_ones(entry, name):
    with pytest.raises(ValueError) as e:
        ENTRY_POINTS[entry](name)
    says(e.value, "unknown optimizer", repr(name), *sv.OPTIMIZERS)
