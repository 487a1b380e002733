"""Self-checks for the notebooks on momentum and Nesterov (06) and adaptive methods (07)."""
from __future__ import annotations

import numpy as np

from .. import theory
from ..optimizers import Adam
from ..surfaces import get_surface
from .core import _number, feedback


def _bool(answer):
    if isinstance(answer, (bool, np.bool_)):
        return bool(answer)
    return None


def check_momentum_stable(answer, bowl, lr, momentum) -> bool:
    """Is heavy-ball momentum with step ``lr`` and momentum ``momentum`` stable on ``bowl``?
    ``answer`` is True (stable: converges) or False (diverges)."""
    stable = bool(theory.momentum_rate(bowl, lr, momentum) < 1)
    lhs, rhs = lr * bowl.L, 2 + 2 * momentum
    right = (f"α L = {lhs:.3g} {'<' if stable else '≥'} 2 + 2γ = {rhs:.3g}, so it "
             + ("converges" if stable else "diverges") + f" (rate per step {float(theory.momentum_rate(bowl, lr, momentum)):.3f}).")
    x = _bool(answer)
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
    try:
        pair = [float(v) for v in answer] if not isinstance(answer, (str, bytes, dict)) else None
    except (TypeError, ValueError):
        pair = None
    if pair is None or len(pair) != 2 or not all(np.isfinite(pair)):
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


def adam_first_step(surface, start, lr, beta1=0.9, beta2=0.999, eps=1e-8) -> np.ndarray:
    """theta_1 after one Adam step from ``start`` (uses stepviz.Adam)."""
    surface = get_surface(surface)
    opt = Adam(lr, beta1=beta1, beta2=beta2, eps=eps)
    p = np.asarray(start, dtype=float)
    return opt.step(p, surface.grad, opt.init(p), 0)[0]


def check_adam_first_step(answer, surface, start, lr, beta1=0.9, beta2=0.999, eps=1e-8) -> bool:
    """Is ``answer`` (two numbers) the point theta_1 after Adam's first step from ``start``?"""
    surface = get_surface(surface)
    p = np.asarray(start, dtype=float)
    expected = adam_first_step(surface, p, lr, beta1, beta2, eps)
    g = surface.grad(p)
    hint = ("At k = 1: m̂ = g and ŝ = g² after bias correction, so each coordinate moves by "
            "α g / (|g| + ε) — about α, against the sign of its gradient.")
    try:
        x = None if isinstance(answer, (str, bytes, dict)) else np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        x = None
    if x is None or x.shape != (2,) or not np.isfinite(x).all():
        return feedback(False, "", f"Answer the new point θ₁ as two numbers [θ₁, θ₂]; got {answer!r}. {hint}")
    tol = 1e-3 * max(lr, 1e-12) + 1e-9 * np.abs(expected)
    ok = bool(np.all(np.abs(x - expected) <= tol))
    step = expected - p
    with np.errstate(all="ignore"):
        no_bias = p - lr * ((1 - beta1) * g) / (np.sqrt((1 - beta2) * g * g) + eps)
    if not ok:
        if np.all(np.abs(x - step) <= tol) or np.all(np.abs(x + step) <= tol):
            hint = "That is the step; add it to the start point: θ₁ = θ₀ − α m̂ / (√ŝ + ε)."
        elif np.all(np.abs(x - (p - step)) <= tol):
            hint = "Wrong direction: Adam steps against the gradient, θ₁ = θ₀ − α m̂ / (√ŝ + ε)."
        elif np.all(np.abs(x - no_bias) <= tol * 10):
            hint = ("You skipped the bias correction: divide m by 1 − β₁ and s by 1 − β₂ at k = 1, "
                    "then m̂ = g and ŝ = g².")
        elif np.all(np.abs(x - (p - lr * g)) <= tol):
            hint = "That is plain GD's step θ₀ − α g; Adam divides by √ŝ + ε, which at k = 1 is |g| + ε."
    right = f"θ₁ = [{expected[0]:.6g}, {expected[1]:.6g}]: each coordinate moved by about α = {lr:g}, whatever |g| was."
    return feedback(ok, right, hint)


__all__ = ["check_momentum_stable", "check_heavy_ball_optimum", "adam_first_step", "check_adam_first_step"]
