"""Lesson 02, steps too big or too small on the 2-D bowl: the limit 2/L and the optimal rate."""
from __future__ import annotations

import numpy as np

from ..analysis import quadratic as theory
from ..problems.surfaces import QuadraticBowl
from .feedback import check_number, feedback, parse_number

#: The default bowl: mu = 1, L = 10, kappa = 10.
BOWL_CURVATURES = (1.0, 10.0)
#: The explorer's zig-zag step (above 1/L = 0.1) and its run length.
ZIGZAG_LR, EXPLORER_STEPS = 0.15, 60
#: The explorer's step-size slider reaches past the flat direction's own limit 2/mu = 2 (Try this 4).
EXPLORER_LR_RANGE = (1e-3, 3.0)
#: The four runs around the limit, as fractions of 2/L.
AROUND_THE_LIMIT = (1.05, 0.99, 0.9, 0.5)
#: The self-checks' bowls: 'will it converge?' (with alpha = 0.09) and 'predict the rate'.
CHECK_BOWL, RATE_BOWL = (2.0, 25.0), (2.0, 18.0)
#: The explorer's controls shown first, the rest behind 'more controls':
#: Try this 4 sets start θ₂.
EXPLORER_FIRST = ("y0",)


def check_converges(answer, bowl, lr) -> bool:
    """``answer`` True/False: does gradient descent with step ``lr`` converge on ``bowl``?"""
    limit = theory.lr_limit(bowl)
    converges = 0 < lr < limit
    if not isinstance(answer, (bool, np.bool_)):
        return feedback(False, "", f"Answer True (it converges) or False (it does not); got {answer!r}.")
    hint = (f"Compare α with the limit 2/L, where L is the largest curvature of the bowl "
            f"({bowl.curvatures[0]:g} and {bowl.curvatures[1]:g}).")
    if not converges and lr < 2 / bowl.mu:
        hint += " The flat direction alone would converge, but the steep one decides."
    verdict = "converges" if converges else ("bounces forever" if np.isclose(lr, limit) else "diverges")
    return feedback(bool(answer) == converges, f"α = {lr:g} vs 2/L = {limit:.4g}: gradient descent {verdict}.", hint)


def check_optimal_rate(answer, bowl) -> bool:
    """Is ``answer`` the rate (kappa - 1)/(kappa + 1) of gradient descent at the optimal step on ``bowl``?"""
    if not isinstance(bowl, QuadraticBowl):
        return feedback(False, "", f"This check needs a QuadraticBowl; got {bowl!r}.")
    kappa = bowl.condition_number
    rate = (kappa - 1) / (kappa + 1)
    x = parse_number(answer)
    hint = "With κ = L/μ, the best constant step 2/(μ + L) shrinks the error by (κ − 1)/(κ + 1) per step."
    if x is not None and abs(x - kappa) <= 1e-2 * kappa:
        hint = "That is κ itself; the rate is a factor below 1: (κ − 1)/(κ + 1)."
    elif x is not None and rate > 0 and abs(x - (1 - 1 / kappa)) <= 1e-3:
        hint = "1 − 1/κ is the rate at α = 1/L; at the optimal step 2/(μ + L) it is (κ − 1)/(κ + 1)."
    if rate == 0:
        return feedback(x is not None and abs(x) <= 1e-6, "κ = 1: one step lands on the minimum (rate 0).", hint)
    if x is None:
        return feedback(False, "", f"Your answer should be a number; got {answer!r}. {hint}")
    return check_number(x, rate, rtol=5e-3, right=f"κ = {kappa:g}, rate (κ − 1)/(κ + 1) = {rate:.4g}.", hint=hint)


__all__ = ["check_converges", "check_optimal_rate"]
