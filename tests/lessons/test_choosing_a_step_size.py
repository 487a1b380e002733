"""Lesson 04 (04_choosing_a_step_size.ipynb): its self-checks accept right answers, name typical mistakes, never raise."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks  # noqa: F401  (sv.checks: every lesson's checks)

from .answers import MORE_JUNK, verdict


def test_grid_cost_accepts_runs_times_steps(capsys):
    verdict(capsys, checks.check_grid_cost(2600, n_lrs=26, steps=100), True)
    verdict(capsys, checks.check_grid_cost(4200, n_lrs=[26, 8, 8], steps=100), True)
    verdict(capsys, checks.check_grid_cost(5200, n_lrs=26, steps=100, rounds=2), True)


def test_grid_cost_agrees_with_grid_search(capsys):
    res = sv.grid_search("GD", sv.QuadraticBowl(), lrs=np.geomspace(1e-4, 10, 26), steps=100, refine=2,
                         refine_points=8)
    verdict(capsys, checks.check_grid_cost(res.grad_evals, n_lrs=[26, 8, 8], steps=100), True)


@pytest.mark.parametrize("wrong, hint", [(2600, "coarse round"), (42, "Count both"), (100, "Count both"),
                                         (4201, "full run")])
def test_grid_cost_rejects_wrong(capsys, wrong, hint):
    out = verdict(capsys, checks.check_grid_cost(wrong, n_lrs=[26, 8, 8], steps=100), False)
    assert hint in out


@pytest.mark.parametrize("junk", MORE_JUNK)
def test_grid_cost_junk(capsys, junk):
    verdict(capsys, checks.check_grid_cost(junk, n_lrs=[26, 8, 8], steps=100), False)


def test_grid_cost_bad_parameters_do_not_raise(capsys):
    verdict(capsys, checks.check_grid_cost(10, n_lrs="many", steps=100), False)
