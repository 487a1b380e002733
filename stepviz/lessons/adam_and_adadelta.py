"""Lesson 09, Adam and Adadelta (09_adam_and_adadelta.ipynb): the learner's Adam rule, Adam's and
Adadelta's first steps, and the comparisons on Rosenbrock and the saddle."""
from __future__ import annotations

import numpy as np

from ..optim.rules import GD, Adadelta, Adagrad, Adam, RMSprop
from ..problems.surfaces import get_surface
from .adaptive_methods import bowl  # noqa: F401  (09 uses 08's axis-aligned bowl: lesson.bowl())
from .feedback import check_number, feedback, parse_number, parse_vector
from .rule_check import check_rule

#: GD's step on Rosenbrock: the best constant step below the local limit at the minimum, 2/1001.6 = 0.001997
#: (decided in lesson 03: curved_valleys_and_saddles.ROSENBROCK_BEST_LR; a test keeps the two equal).
GD_ROSENBROCK_LR = 1.9e-3
#: The self-check "Adam's first step by hand".
FIRST_STEP_START, FIRST_STEP_LR = (-1.2, 1.0), 0.1
#: The self-check "Adadelta's first step": its eps (rho = 0.9, the default).
ADADELTA_EPS = 1e-4
#: Section 3: the start just off the saddle's ridge.
SADDLE_START = (1.8, 0.001)


def loss_scale_methods():
    """Section 2: GD, Adam and Adadelta on the bowl with its loss scaled by 1 and 100."""
    return [GD(lr=0.03), Adam(lr=0.05), Adadelta()]


def rosenbrock_methods():
    """Section 3: each method at a step size that works for it on Rosenbrock (GD at the best constant step)."""
    return [GD(lr=GD_ROSENBROCK_LR), Adagrad(lr=1.0), RMSprop(lr=0.01), Adadelta(), Adam(lr=0.1)]


def saddle_methods():
    """Section 3: each method at a step size that works for it at the saddle."""
    return [GD(lr=0.1), Adagrad(lr=0.3), RMSprop(lr=0.02), Adadelta(), Adam(lr=0.05)]


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
    x = parse_vector(answer, 2)  # numbers, not text: the same rule as every check
    if x is None:
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


def adadelta_first_step(eps=1e-6, rho=0.9) -> float:
    """The length of Adadelta's first step in one coordinate, measured with stepviz.Adadelta on a bowl
    (u = 0, s = (1 - rho) g^2, so about sqrt(eps / (1 - rho)) whatever the gradient)."""
    surface = get_surface("bowl")
    opt = Adadelta(eps=eps, rho=rho)
    p = np.asarray(surface.start, dtype=float)
    return float(np.abs(opt.step(p, surface.grad, opt.init(p), 0)[0] - p)[0])


def check_adadelta_first_step(answer, eps=1e-6, rho=0.9) -> bool:
    """The length of Adadelta's first step in one coordinate: sqrt(eps / (1 - rho)), within 2 %."""
    expected = adadelta_first_step(eps, rho)
    hint = "At the first step u = 0 and s = (1 − ρ) g²: the step is √(u + ε) / √(s + ε) · g."
    x = parse_number(answer)
    if x is not None and abs(x - np.sqrt(eps)) <= 0.02 * np.sqrt(eps):
        hint = "That is √ε; the denominator √(s + ε) ≈ √(1 − ρ) |g| adds a factor 1/√(1 − ρ)."
    return check_number(answer, expected, rtol=0.02,
                        right=f"√(ε / (1 − ρ)) = {expected:.3g} per coordinate, whatever the gradient.", hint=hint)


def check_adam_rule(step) -> bool:
    """Does the learner's ``step(theta, m, s, k, grad, lr, beta1, beta2, eps) -> (theta, m, s)`` implement
    Adam with its bias correction (k = steps taken so far, from 1)? Run against stepviz's Adam."""
    return check_rule(step, "Adam")


__all__ = ["check_adam_rule", "adam_first_step", "check_adam_first_step", "adadelta_first_step",
           "check_adadelta_first_step"]
