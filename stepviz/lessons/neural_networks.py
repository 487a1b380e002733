"""Lesson 09, neural networks: a step size read off the range test, the sharpness limit."""
from __future__ import annotations

import numpy as np

from .feedback import check_number, feedback, parse_number


def check_range_test_pick(answer, rt) -> bool:
    """A step size read off a range test ``rt`` (stepviz.lr_range_test on a NetworkLoss): accepted between min_lr / 20 and
    min_lr / 1.5 (the rule of thumb is min_lr / 10)."""
    try:
        lo, hi, best = rt.min_lr / 20, rt.min_lr / 1.5, rt.min_lr
    except AttributeError:
        return feedback(False, "", "Pass the range test result as the second argument: check_range_test_pick(my_lr, rt).")
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


def check_sharpness_limit(answer, lam) -> bool:
    """The largest stable GD step size where the Hessian's largest eigenvalue is ``lam``: 2 / lam (2 %)."""
    lam = parse_number(lam)
    if lam is None or lam <= 0:
        return feedback(False, "", "Pass the sharpness (a positive number) as the second argument.")
    x = parse_number(answer)
    hint = "Near theta the loss is a quadratic bowl whose steepest curvature is lambda_max: recall the limit of lesson 02."
    if x is not None and abs(x - 1 / lam) <= 0.02 / lam:
        hint = "That is 1/λ_max, where the steepest direction is solved in one step; the limit is where |1 - αλ| reaches 1."
    return check_number(answer, 2 / lam, rtol=0.02, right=f"2 / λ_max = {2 / lam:.3g}, for as long as the curvature stays put.",
                        hint=hint)


__all__ = ["check_range_test_pick", "check_sharpness_limit"]
