"""Lesson 01, the update rule on the parabola J = lambda theta^2 / 2: iterates, regimes, the limit 2/lambda."""
from __future__ import annotations

from ..analysis.parabola import REGIMES, regime
from .feedback import check_number, feedback, parse_number
from .rule_check import check_rule
#: The explorer's controls shown first, the rest behind 'more controls':
#: Try this 3 drags the curvature.
EXPLORER_FIRST = ("lam",)


def check_iterate(answer, lam, lr, theta0, k) -> bool:
    """Is ``answer`` theta_k = (1 - lr lam)^k theta0, gradient descent's k-th iterate on J = lam theta^2 / 2?"""
    f = 1.0 - lr * lam
    expected = f ** k * theta0
    x = parse_number(answer)
    hint = (f"Each step multiplies θ by 1 − αλ = {f:g} (the gradient of λθ²/2 is λθ); "
            f"apply it {k} times to θ₀ = {theta0:g}.")
    if x is None:
        return feedback(False, "", f"Your answer should be a number; got {answer!r}. {hint}")
    if k > 1 and abs(x - f * theta0) <= 1e-3 * max(abs(f * theta0), 1e-12):
        hint = f"That is θ after one step; the question asks for θ_{k}, after {k} steps."
    elif abs(x - (1 + lr * lam) ** k * theta0) <= 1e-3 * abs((1 + lr * lam) ** k * theta0):
        hint = "You added the gradient step; gradient descent subtracts α∇J."
    ok = abs(x - expected) <= 1e-3 * abs(expected) + 1e-9
    return feedback(ok, f"θ_{k} = ({f:g})^{k} · {theta0:g} = {expected:.6g}.", hint)


def check_largest_stable_step(answer, lam) -> bool:
    """Is ``answer`` the largest stable step 2 / lam for gradient descent on J = lam theta^2 / 2?"""
    x = parse_number(answer)
    limit = 2.0 / lam
    hint = "Gradient descent converges while the factor |1 − αλ| is below 1; solve 1 − αλ = −1 for α."
    if x is not None:
        c = lam / 2  # J = c theta^2 is the same parabola: the trap is to read c as lambda
        if abs(x - 2 / c) <= 1e-2 / c:
            hint = (f"That is 2/{c:g}: you took the coefficient of θ² as λ (the trap of J = {c:g}θ²). Written as λθ²/2, "
                    f"{c:g}θ² = {lam:g}θ²/2, so λ = {lam:g} (the second derivative), and the limit is 2/λ.")
        elif abs(x - 1 / lam) <= 1e-2 / lam:
            hint = "That is 1/λ, the step that lands on the minimum in one step; larger steps still converge, oscillating."
        elif abs(x - 2 * lam) <= 1e-2 * lam and lam != 1:
            hint = "The limit shrinks as the curvature grows: divide by λ, don't multiply."
        elif abs(x - lam / 2) <= 1e-2 * lam and lam != 2:
            hint = "Upside down: the limit is 2 divided by λ."
    if x is None:
        return feedback(False, "", f"Your answer should be a number; got {answer!r}. {hint}")
    return check_number(x, limit, right=f"The limit is 2/λ = {limit:.4g}: at α = 2/λ the factor is −1 and "
                                             "θ bounces forever; any smaller α converges.", hint=hint)


REGIME_NAMES = ("creeping", "smooth", "oscillating", "diverging")


def check_regime(answer, lr, lam) -> bool:
    """Is ``answer`` the regime ('creeping', 'smooth', 'oscillating' or 'diverging') of ``lr`` on ``lam``?"""

    expected = regime(lr, lam)
    names = ", ".join(repr(n) for n in REGIME_NAMES)
    if not isinstance(answer, str) or answer.strip().lower() not in REGIME_NAMES:
        return feedback(False, "", f"Answer with one of {names}; got {answer!r}.")
    a = lr * lam
    return feedback(answer.strip().lower() == expected, f"αλ = {a:.3g}, so '{expected}': {REGIMES[expected]}.",
                    f"Compute αλ = {a:.3g} and compare it with 0.1, 1 and 2.")


def check_gd_rule(step) -> bool:
    """Does the learner's ``step(theta, grad, lr) -> theta`` do one gradient step, theta - lr * grad(theta)?
    Run step by step against stepviz's GD on a bowl and on Rosenbrock."""
    return check_rule(step, "GD")


__all__ = ["check_gd_rule", "check_iterate", "check_largest_stable_step", "REGIME_NAMES", "check_regime"]
