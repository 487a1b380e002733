"""Lesson 11, neural networks (11_neural_networks.ipynb): the spirals and the network, the step sizes of the
sweep, the optimizers compared, and a step size read off the range test."""
from __future__ import annotations

import numpy as np

from ..optim.rules import GD, Adam, Momentum
from ..problems.mlp import MLP, NetworkLoss, spirals
from .feedback import feedback, parse_number

#: The data set and the network of 11 and 12: two spirals of 200 points, an MLP 2-16-16-1.
N_POINTS, SIZES, SEED = 200, (2, 16, 16, 1), 0
#: The six step sizes of the sweep.
SWEEP_LRS = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)


def network_loss(activation: str = "tanh") -> NetworkLoss:
    """The cross-entropy of the seeded MLP on the seeded spirals, a problem sv.run can train."""
    X, y = spirals(n=N_POINTS, seed=SEED)
    return NetworkLoss(MLP(SIZES, activation=activation, seed=SEED), X, y)


def optimizer_runs() -> dict:
    """The comparison of 11: each optimizer at a step size that works for it, by label."""
    return {"GD, α = 1": GD(1.0), "Momentum, α = 0.1, γ = 0.9": Momentum(0.1, momentum=0.9),
            "Adam, α = 0.03": Adam(0.03)}



def check_range_test_pick(answer, rt) -> bool:
    """A step size read off a range test ``rt`` (stepviz.lr_range_test on a NetworkLoss): accepted between min_lr / 20 and
    min_lr / 1.5 (the rule of thumb is min_lr / 10)."""
    try:
        lo, hi, best = rt.min_lr / 20, rt.min_lr / 1.5, rt.min_lr
    except AttributeError:
        return feedback(False, "", "Pass the range test result as the second argument: check_range_test_pick(my_lr, rt).")
    if not np.isfinite(best):  # the loss blew up at once: there is no lowest point to read a step size off
        return feedback(False, "", "This range test found no lowest loss before the blow-up (its min_lr is nan): "
                                   "run it from a smaller lr_min, then read the step size off the curve.")
    x = parse_number(answer)
    if x is None or x <= 0:
        return feedback(False, "", f"Your answer should be a step size > 0, e.g. 0.5; got {answer!r}.")
    if x > hi:
        where = "past the blow-up" if np.isfinite(rt.blowup_lr) and x >= rt.blowup_lr else \
            "at the bottom of the curve, where the loss is about to shoot up"
        return feedback(False, "", f"α = {x:.3g} is {where} (lowest loss at {best:.3g}). During a real run the "
                                   f"curvature changes; step back by a factor of 3 to 10.")
    if x < lo:
        return feedback(False, "", f"α = {x:.3g} is safe but slow: the loss still falls steeply up to {best:.3g}. "
                                   f"Take about a tenth of the step size with the lowest loss.")
    return feedback(True, f"α = {x:.3g} sits {best / x:.1f}x below the lowest point ({best:.3g}): "
                          f"fast, with a margin for the changes of curvature during training.", "")


__all__ = ["check_range_test_pick"]
