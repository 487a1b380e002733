"""Lesson 04, choosing a step size: grid search, the range test and backtracking on the bowl and on Rosenbrock;
what a grid search costs."""
from __future__ import annotations

import numpy as np

from .curved_valleys_and_saddles import ROSENBROCK_BEST_LR
from .feedback import check_number, feedback, parse_number

#: The test bowl: mu = 1, L = 10 (2/L = 0.2, 2/(mu + L) = 0.182).
BOWL_CURVATURES = (1.0, 10.0)
#: The coarse grid: 26 step sizes from 1e-4 to 10, 5 per decade; each run RUN_STEPS steps.
GRID_LRS = np.geomspace(1e-4, 10.0, 26)
RUN_STEPS = 100
#: Coarse-to-fine: two refinement rounds of 8 step sizes each.
REFINE, REFINE_POINTS = 2, 8
#: The range test: alpha grows from 1e-5 to 10 over 100 steps.
RANGE_TEST = dict(lr_min=1e-5, lr_max=10.0, steps=100)
#: Backtracking's first trial step, and the length of its Rosenbrock run (beside notebook 03's best constant step).
BACKTRACKING_TRIAL = 1.0
ROSENBROCK_STEPS = 2000
ROSENBROCK_BEST_LR = ROSENBROCK_BEST_LR
#: The other start of the Think! on Rosenbrock, where a long accepted step lands badly.
OTHER_START = (-1.5, 2.0)


def check_grid_cost(answer, n_lrs, steps, rounds=1) -> bool:
    """Is ``answer`` the gradient evaluations of a grid search with GD (one gradient per step per run)?

    ``n_lrs`` is the grid size (run ``rounds`` times), or a list of the step sizes tried in each round,
    e.g. [26, 8, 8] for a coarse grid of 26 and two refinement rounds of 8: sum(n_lrs) x steps.
    """
    try:
        if np.ndim(n_lrs) == 0:
            per_round = [int(n_lrs)] * int(rounds)
        else:
            per_round = [int(n) for n in n_lrs]
        steps = int(steps)
        expected = sum(per_round) * steps
        if expected <= 0:
            raise ValueError
    except Exception:
        return feedback(False, "", "The check needs whole numbers: n_lrs (or a list per round), steps, rounds.")
    x = parse_number(answer)
    hint = "Every step size in the grid is a full run, and every step of a run costs one gradient."
    if x is not None and len(per_round) > 1 and x == per_round[0] * steps:
        hint = "That is the coarse round only; every refinement round runs its whole new grid again."
    elif x is not None and x in (sum(per_round), steps):
        hint = "Count both: how many runs, and how many steps (one gradient each) in every run."
    runs = " + ".join(map(str, per_round))
    runs = f"({runs})" if len(per_round) > 1 else runs
    return check_number(answer, expected, rtol=1e-9,
                        right=f"{runs} runs x {steps} steps = {expected:,} gradient evaluations.", hint=hint)


__all__ = ["check_grid_cost"]
