"""Lesson 08, adaptive methods (08_adaptive_methods.ipynb): Adagrad and RMSprop, the learner's RMSprop
rule, RMSprop's first step, and the preconditioning comparison (the same bowl axis-aligned and turned)."""
from __future__ import annotations

import numpy as np

from ..analysis import quadratic as theory
from ..optim.rules import GD, Adagrad, Momentum, RMSprop
from ..problems.surfaces import QuadraticBowl, get_surface
from .feedback import feedback, parse_vector
from .rule_check import check_rule

#: The axis-aligned bowl of 08 and 09: curvature 1 along theta_1, 50 along theta_2.
BOWL_CURVATURES = (1.0, 50.0)
#: The self-check "RMSprop's first step": Rosenbrock's usual start and the step size.
FIRST_STEP_START, FIRST_STEP_LR = (-1.2, 1.0), 0.01
#: Section 3: the angles of the same bowl, and the steps each run may take.
PRECONDITIONING_ANGLES, PRECONDITIONING_STEPS = (0.0, 45.0), 600
#: The explorer of section 4 (RMSprop on Rosenbrock).
EXPLORER_LR = 0.01


def bowl() -> QuadraticBowl:
    """The axis-aligned bowl of 08 and 09 (its axes are the coordinates)."""
    return QuadraticBowl(curvatures=BOWL_CURVATURES)


def effective_step_methods():
    """Section 2: Adagrad and RMSprop at step sizes that work on the bowl."""
    return [Adagrad(lr=0.5), RMSprop(lr=0.05)]


def preconditioning_methods():
    """Section 3: GD at its best step 2/(mu + L), Adagrad, RMSprop, and the heavy ball at its optimum."""
    b = bowl()
    lr, gamma = theory.optimal_momentum(b)
    return [GD(lr=theory.optimal_lr(b)), Adagrad(lr=0.5), RMSprop(lr=0.05), Momentum(lr=lr, momentum=gamma)]


def rmsprop_first_step(surface, start, lr, rho=0.99, eps=1e-8) -> np.ndarray:
    """theta_1 after one RMSprop step from ``start`` (uses stepviz.RMSprop)."""
    surface = get_surface(surface)
    opt = RMSprop(lr, rho=rho, eps=eps)
    p = np.asarray(start, dtype=float)
    return opt.step(p, surface.grad, opt.init(p), 0)[0]


def check_rmsprop_first_step(answer, surface, start, lr, rho=0.99, eps=1e-8) -> bool:
    """Is ``answer`` (two numbers) the point theta_1 after RMSprop's first step from ``start`` (s_0 = 0)?"""
    surface = get_surface(surface)
    p = np.asarray(start, dtype=float)
    expected = rmsprop_first_step(surface, p, lr, rho, eps)
    g = surface.grad(p)
    factor = 1 / np.sqrt(1 - rho)
    hint = (f"s starts at 0, so after the first step s = (1 − ρ) g² and √s = √(1 − ρ) |g|: each coordinate moves "
            f"by α / √(1 − ρ) = {factor:.3g} α against the sign of its gradient.")
    x = parse_vector(answer)
    if x is None:
        return feedback(False, "", f"Answer the new point θ₁ as two numbers [θ₁, θ₂]; got {answer!r}. {hint}")
    tol = 1e-3 * lr * factor
    ok = bool(np.all(np.abs(x - expected) <= tol))
    if not ok:
        step = expected - p
        if np.all(np.abs(x - (p - lr * np.sign(g))) <= tol):
            hint = (f"That is a step of α per coordinate, Adam's first step (09). RMSprop has no bias correction: "
                    f"its s = (1 − ρ) g² is too small, so the step is {factor:.3g} α.")
        elif np.all(np.abs(x - (p - step)) <= tol):
            hint = "Wrong direction: RMSprop steps against the gradient, θ₁ = θ₀ − α g / (√s + ε)."
        elif np.all(np.abs(x - step) <= tol):
            hint = "That is the step; add it to the start point."
    right = (f"θ₁ = [{expected[0]:.6g}, {expected[1]:.6g}]: each coordinate moved by {factor:.3g} α = "
             f"{factor * lr:.3g}, whatever |g| was.")
    return feedback(ok, right, hint)


def check_rmsprop_rule(step) -> bool:
    """Does the learner's ``step(theta, s, grad, lr, rho, eps) -> (theta, s)`` implement RMSprop,
    s <- rho s + (1 - rho) g^2, theta <- theta - lr g / (sqrt(s) + eps)? Run against stepviz's RMSprop."""
    return check_rule(step, "RMSprop")


__all__ = ["check_rmsprop_rule", "rmsprop_first_step", "check_rmsprop_first_step"]
