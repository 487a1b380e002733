"""Issue 12 for analysis: the tuning helpers' work is bounded, closed forms overflow quietly, messages
blame the argument at fault."""
import numpy as np
import pytest

import stepviz as sv
from tests.robust_helpers import BOWL, HUGE, no_hang, says


def test_2_lr_range_test_refuses_too_many_steps():
    with no_hang(20), pytest.raises(ValueError) as e:
        sv.lr_range_test("GD", BOWL, steps=10 ** 7)
    says(e.value, "steps", "at most")


@pytest.mark.parametrize("refine", [HUGE, 10 ** 6])
def test_2_grid_search_refuses_endless_refinement(refine):
    with no_hang(20), pytest.raises(ValueError) as e:
        sv.grid_search("GD", BOWL, refine=refine)
    says(e.value, "refine", "at most")


def test_2_grid_search_bounds_its_total_work():
    # 21 rounds x 10,000 steps: within each limit alone, too much together
    with no_hang(20), pytest.raises(ValueError) as e:
        sv.grid_search("GD", BOWL, steps=10_000, refine=20, refine_points=2)
    says(e.value, "refine", "steps", "210,000")


def test_9_closed_forms_overflow_quietly():
    assert sv.theory.gd_rate(BOWL, 1e308) == np.inf
    assert sv.theory.momentum_rate(BOWL, 1e308, 0.5) > 1


def test_9_range_test_with_a_huge_stop_factor_is_quiet():
    rt = sv.lr_range_test("GD", BOWL, stop_factor=1e308)
    assert rt.blowup_step >= 0    # the loss still stops being finite


def test_10_range_test_blames_the_range_not_a_schedule():
    with pytest.raises(ValueError) as e:
        sv.lr_range_test("GD", BOWL, lr_min=1e-320, lr_max=1e308)
    msg = says(e.value, "lr_min", "lr_max")
    assert "schedule" not in msg
