"""Self-checks for the notebooks 00 (one step by hand), 01 (the update rule on a parabola) and 02 (the bowl).

Each prints '✅ Correct. ...' or '❌ Not yet. <hint>', returns True/False and never raises, whatever the
answer (None, a string, a list ...).
"""
from __future__ import annotations

import numpy as np

from .. import theory
from ..surfaces import QuadraticBowl
from .core import _number as _core_number
from .core import check_number, feedback


def _number(answer):
    """A finite float, or None for anything else (strings too: '0.5' is text, not a number)."""
    return None if isinstance(answer, (str, bytes)) else _core_number(answer)


def _vector(answer, n=2):
    """``answer`` as a finite float array of shape (n,), or None."""
    if answer is None or isinstance(answer, (str, bytes, bool, np.bool_, dict, set)):
        return None
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None
    if arr.shape != (n,) or not np.isfinite(arr).all():
        return None
    return arr


def check_gd_step(answer, theta, grad, lr) -> bool:
    """Is ``answer`` the point theta - lr * grad after one gradient step (two numbers)?"""
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    expected = theta - lr * grad
    x = _vector(answer, expected.size)
    if x is None:
        return feedback(False, "", f"Your answer should be {expected.size} numbers, e.g. [0.5, -1.0]; got {answer!r}.")
    if np.allclose(x, theta + lr * grad, rtol=1e-3, atol=1e-9) and not np.allclose(expected, theta + lr * grad):
        return feedback(False, "", "You stepped uphill: the gradient points up the slope, so subtract α∇J.")
    if np.allclose(x, theta - grad, rtol=1e-3, atol=1e-9) and lr != 1:
        return feedback(False, "", "Remember to scale the gradient by the step size α before subtracting it.")
    ok = np.allclose(x, expected, rtol=1e-3, atol=1e-6)
    return feedback(ok, f"θ − α∇J(θ) = {np.round(expected, 6).tolist()}.",
                    "Compute each coordinate: θ_i − α · (∇J)_i.")


def check_iterate(answer, lam, lr, theta0, k) -> bool:
    """Is ``answer`` theta_k = (1 - lr lam)^k theta0, gradient descent's k-th iterate on J = lam theta^2 / 2?"""
    f = 1.0 - lr * lam
    expected = f ** k * theta0
    x = _number(answer)
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
    x = _number(answer)
    limit = 2.0 / lam
    hint = "Gradient descent converges while the factor |1 − αλ| is below 1; solve 1 − αλ = −1 for α."
    if x is not None:
        if abs(x - 1 / lam) <= 1e-2 / lam:
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
    from ..plotting.update_rule import REGIMES, regime  # matplotlib-free at import; loaded on first use

    expected = regime(lr, lam)
    names = ", ".join(repr(n) for n in REGIME_NAMES)
    if not isinstance(answer, str) or answer.strip().lower() not in REGIME_NAMES:
        return feedback(False, "", f"Answer with one of {names}; got {answer!r}.")
    a = lr * lam
    return feedback(answer.strip().lower() == expected, f"αλ = {a:.3g}, so '{expected}': {REGIMES[expected]}.",
                    f"Compute αλ = {a:.3g} and compare it with 0.1, 1 and 2.")


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
    x = _number(answer)
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


__all__ = ["check_gd_step", "check_iterate", "check_largest_stable_step", "check_regime", "check_converges",
           "check_optimal_rate", "REGIME_NAMES"]
