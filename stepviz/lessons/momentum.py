"""Lesson 06, momentum (06_momentum.ipynb): the bowl and the numbers its prose states, the heavy ball's
stability and its optimum, the learner's momentum rule."""
from __future__ import annotations

import numpy as np

from ..analysis import quadratic as theory
from .feedback import feedback, parse_bool, parse_vector
from ..problems.surfaces import QuadraticBowl
from .rule_check import check_rule

#: The ill-conditioned bowl of 06 and 07 (kappa = 50), axes turned by 30 degrees.
BOWL_CURVATURES, BOWL_ANGLE = (1.0, 50.0), 30.0
#: Section 1: GD and momentum at the same step size.
DEMO_LR, DEMO_MOMENTUM = 0.035, 0.5
#: Section 2's explorer.
EXPLORER_LR, EXPLORER_MOMENTUM = 0.02, 0.5
#: The self-check "is this pair stable?".
STABLE_LR, STABLE_MOMENTUM = 0.07, 0.8
#: Section 4's numbered example runs, (alpha lambda, gamma): one per regime.
REGIME_EXAMPLES = ((0.3, 0.1), (1.0, 0.6), (1.8, 0.1), (3.4, 0.6))
#: The self-check "the heavy-ball optimum by hand".
OPTIMUM_CHECK_CURVATURES = (4.0, 100.0)
#: The explorer's controls shown first, the rest behind 'more controls':
#: Try this raises γ and presses the heavy-ball optimum.
EXPLORER_FIRST = ("momentum", "preset")


def bowl() -> QuadraticBowl:
    """The bowl of 06 and 07: curvatures 1 and 50, axes turned by 30 degrees."""
    return QuadraticBowl(curvatures=BOWL_CURVATURES, angle=BOWL_ANGLE)


def check_momentum_stable(answer, bowl, lr, momentum) -> bool:
    """Is heavy-ball momentum with step ``lr`` and momentum ``momentum`` stable on ``bowl``?
    ``answer`` is True (stable: converges) or False (diverges)."""
    stable = bool(theory.momentum_rate(bowl, lr, momentum) < 1)
    lhs, rhs = lr * bowl.L, 2 + 2 * momentum
    right = (f"α L = {lhs:.3g} {'<' if stable else '≥'} 2 + 2γ = {rhs:.3g}, so it "
             + ("converges" if stable else "diverges") + f" (rate per step {float(theory.momentum_rate(bowl, lr, momentum)):.3f}).")
    x = parse_bool(answer)
    if x is None:
        return feedback(False, "", f"Answer True (stable) or False (diverges); got {answer!r}. "
                                   "Compare α L with 2 + 2γ, L the largest curvature.")
    hint = ("Compare α L with 2 + 2γ, where L is the largest curvature of the bowl "
            f"(here L = {bowl.L:g}). Momentum moves the limit from 2/L to (2 + 2γ)/L.")
    if not x and stable and lhs >= 2:
        hint = (f"α L = {lhs:.3g} is above plain GD's limit 2, but momentum raises the limit to 2 + 2γ. " + hint)
    return feedback(x == stable, right, hint)


def check_heavy_ball_optimum(answer, bowl) -> bool:
    """Is ``answer`` = (lr, momentum) the heavy-ball optimum of ``bowl``:
    (4 / (sqrt(L) + sqrt(mu))^2, ((sqrt(L) - sqrt(mu)) / (sqrt(L) + sqrt(mu)))^2)?"""
    lr, gamma = theory.optimal_momentum(bowl)
    right = f"α* = {lr:.4g}, γ* = {gamma:.4g}; the rate is √γ* = {np.sqrt(gamma):.4g} per step."
    hint = ("Use μ and L, the smallest and largest curvatures: α* = 4 / (√L + √μ)², "
            "γ* = ((√L − √μ) / (√L + √μ))².")
    pair = parse_vector(answer, 2)  # numbers, not text: the same rule as every check
    if pair is None:
        return feedback(False, "", f"Answer a pair (alpha, gamma) of two numbers; got {answer!r}. {hint}")
    a, g = pair
    ok = abs(a - lr) <= 1e-2 * lr and abs(g - gamma) <= 1e-2 * max(gamma, 1e-3)
    if not ok and abs(a - gamma) <= 1e-2 * gamma and abs(g - lr) <= 1e-2 * lr:
        hint = "You swapped them: the first number is the step size α, the second the momentum γ."
    elif not ok and abs(g - np.sqrt(gamma)) <= 1e-2 * np.sqrt(gamma):
        hint = "Your γ is √γ*: the square is part of the formula, γ* = ((√L − √μ) / (√L + √μ))²."
    elif not ok and abs(a - theory.optimal_lr(bowl)) <= 1e-2 * theory.optimal_lr(bowl):
        hint = "That α is plain GD's optimum 2 / (μ + L); the heavy ball's is 4 / (√L + √μ)²."
    return feedback(ok, right, hint)


def check_momentum_rule(step) -> bool:
    """Does the learner's ``step(theta, v, grad, lr, momentum) -> (theta, v)`` implement heavy-ball momentum,
    v <- momentum v + lr grad(theta), theta <- theta - v? Run step by step against stepviz's Momentum."""
    return check_rule(step, "Momentum")


__all__ = ["check_momentum_rule", "check_momentum_stable", "check_heavy_ball_optimum"]
