"""Lesson 08, adaptive methods (08_adaptive_methods.ipynb): Adagrad and RMSprop, the learner's RMSprop
rule, RMSprop's first step, the preconditioning comparison (the same bowl axis-aligned and turned), and why
RMSprop with a constant step size does not converge (and three ways to make it settle)."""
from __future__ import annotations

import numpy as np

from ..analysis import quadratic as theory
from ..analysis.adaptive import turned
from ..optim.rules import GD, Adagrad, Momentum, RMSprop
from ..optim.schedules import inverse_time
from ..problems.surfaces import QuadraticBowl, get_surface
from .feedback import feedback, parse_vector
from .rule_check import check_rule

#: The axis-aligned bowl of 08 and 09: curvature 1 along theta_1, 50 along theta_2.
BOWL_CURVATURES = (1.0, 50.0)
#: The self-check "RMSprop's first step": Rosenbrock's usual start and the step size.
FIRST_STEP_START, FIRST_STEP_LR = (-1.2, 1.0), 0.01
#: Section 3: the angles of the same bowl, the steps each run may take, and the start (turned with the bowl).
PRECONDITIONING_ANGLES, PRECONDITIONING_STEPS, PRECONDITIONING_START = (0.0, 45.0), 600, (-1.5, 1.0)
#: Section 4: RMSprop's step size on the bowl, and the two fixes' decay and eps (alpha / eps = 0.025 < 2/L = 0.04).
RMSPROP_LR, FIX_DECAY, FIX_EPS = 0.05, 0.01, 2.0
#: Section 4's legend: what each run of :func:`rmsprop_fixes` changes.
RMSPROP_FIX_LABELS = ("RMSprop, constant α = 0.05", "α_t = 0.05 / (1 + 0.01 t)", "constant α, ε = 2")
#: The explorer of section 4 (RMSprop on Rosenbrock).
EXPLORER_LR = 0.01
#: The explorer's controls shown first, the rest behind 'more controls':
#: Try this switches to GD and sets the steps.
EXPLORER_FIRST = ("optimizer", "steps")


def bowl() -> QuadraticBowl:
    """The axis-aligned bowl of 08 and 09 (its axes are the coordinates)."""
    return QuadraticBowl(curvatures=BOWL_CURVATURES)


def effective_step_methods():
    """Section 2: Adagrad and RMSprop at step sizes that work on the bowl."""
    return [Adagrad(lr=0.5), RMSprop(lr=RMSPROP_LR)]


def turned_bowl():
    """Section 4: the bowl turned by 45 degrees and the start turned with it, as in section 3's right panel."""
    angle = PRECONDITIONING_ANGLES[1]
    return QuadraticBowl(curvatures=BOWL_CURVATURES, angle=angle), turned(PRECONDITIONING_START, angle)


def rmsprop_fixes():
    """Section 4: RMSprop with a constant step (it does not converge), with a decaying step, and with a large eps
    (the effective step alpha / (sqrt(s) + eps) can never pass alpha / eps)."""
    return [RMSprop(lr=RMSPROP_LR), RMSprop(lr=inverse_time(RMSPROP_LR, FIX_DECAY)),
            RMSprop(lr=RMSPROP_LR, eps=FIX_EPS)]


def preconditioning_methods():
    """Section 3: GD at its best step 2/(mu + L), Adagrad, RMSprop, and the heavy ball at its optimum."""
    b = bowl()
    lr, gamma = theory.optimal_momentum(b)
    return [GD(lr=theory.optimal_lr(b)), Adagrad(lr=0.5), RMSprop(lr=RMSPROP_LR), Momentum(lr=lr, momentum=gamma)]


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
