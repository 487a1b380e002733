"""Lesson 07, adaptive methods: Adam's first step."""
from __future__ import annotations

import numpy as np

from ..optim.rules import Adam
from ..problems.surfaces import get_surface
from .feedback import feedback
from .rule_check import check_rule


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


def check_rmsprop_rule(step) -> bool:
    """Does the learner's ``step(theta, s, grad, lr, rho, eps) -> (theta, s)`` implement RMSprop,
    s <- rho s + (1 - rho) g^2, theta <- theta - lr g / (sqrt(s) + eps)? Run against stepviz's RMSprop."""
    return check_rule(step, "RMSprop")


def check_adam_rule(step) -> bool:
    """Does the learner's ``step(theta, m, s, k, grad, lr, beta1, beta2, eps) -> (theta, m, s)`` implement
    Adam with its bias correction (k = steps taken so far, from 1)? Run against stepviz's Adam."""
    return check_rule(step, "Adam")


__all__ = ["check_rmsprop_rule", "check_adam_rule", "adam_first_step", "check_adam_first_step"]
