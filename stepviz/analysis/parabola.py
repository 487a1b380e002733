"""The 1-D model of gradient descent: J(theta) = lambda theta^2 / 2.

One gradient step multiplies theta by the factor (1 - alpha lambda), so theta_k = (1 - alpha lambda)^k theta_0.
The factor sorts every step size into one of four regimes (:data:`REGIMES`), with boundaries at
alpha = 1/lambda and alpha = 2/lambda. The parabola is a slice of an isotropic
:class:`~stepviz.problems.surfaces.QuadraticBowl` along its first axis, so the iterates come from the same
:func:`~stepviz.run` as everything else.
"""
from __future__ import annotations

import numpy as np

from .. import _validate
from ..engine import Trajectory, run
from ..optim.rules import GD
from ..problems.surfaces import QuadraticBowl

#: Below this value of alpha * lambda the factor (1 - alpha lambda) is above 0.9: a step removes less than a
#: tenth of the remaining distance, and the iterates creep.
CREEP_LIMIT = 0.1


#: The regimes of gradient descent on J = lambda theta^2 / 2, in order of growing step size.
REGIMES = {
    "creeping": "0 < αλ < 0.1: the factor is above 0.9; θ shrinks towards 0 from one side, slowly",
    "smooth": "0.1 ≤ αλ ≤ 1: θ slides to 0 from one side; α = 1/λ lands on the minimum in one step",
    "oscillating": "1 < αλ < 2: the factor is negative; θ jumps across the minimum each step, but converges",
    "diverging": "αλ ≥ 2: |1 − αλ| ≥ 1; θ bounces with growing (at αλ = 2: constant) amplitude, never converges",
}


def step_factor(lr, lam):
    """1 - alpha lambda: what one gradient step multiplies theta by on J = lambda theta^2 / 2."""
    return 1.0 - np.asarray(lr, dtype=float) * np.asarray(lam, dtype=float)


def regime(lr, lam) -> str:
    """The regime ('creeping', 'smooth', 'oscillating' or 'diverging') of step size ``lr`` on curvature ``lam``."""
    lr = _validate.positive("lr", lr, example="0.1")
    lam = _validate.positive("lam", lam, example="1.0")
    a = float(lr) * float(lam)
    if a < CREEP_LIMIT:
        return "creeping"
    if a <= 1.0:
        return "smooth"
    if a < 2.0:
        return "oscillating"
    return "diverging"


def regime_bounds(lam, lr_range=(1e-3, 10.0)):
    """{regime: (alpha_from, alpha_to)} on J = lam theta^2 / 2, clipped to ``lr_range``."""
    lo, hi = lr_range
    edges = {"creeping": (lo, CREEP_LIMIT / lam), "smooth": (CREEP_LIMIT / lam, 1 / lam),
             "oscillating": (1 / lam, 2 / lam), "diverging": (2 / lam, hi)}
    return {k: (max(lo, a), min(hi, b)) for k, (a, b) in edges.items()}


def parabola(lam) -> QuadraticBowl:
    """The isotropic bowl whose slice along theta_1 is J(theta) = lam theta^2 / 2."""
    lam = _validate.positive("lam", lam, example="1.0")
    return QuadraticBowl(curvatures=(float(lam), float(lam)))


def parabola_run(lam, lr, theta0=1.5, steps=20) -> Trajectory:
    """Gradient descent with step ``lr`` on J = lam theta^2 / 2 from ``theta0``; theta_k is ``points[:, ..., 0]``.

    ``lr`` may be an array (a batch of step sizes). A run that grows past the divergence bound of
    :func:`stepviz.run` is flagged as diverged (its later iterates are NaN).
    """
    theta0 = float(_validate.number("theta0", theta0, allowed="a finite number, e.g. 1.5"))
    return run(GD(lr), parabola(lam), np.array([theta0, 0.0]), steps)


def iterates(lam, lr, theta0=1.5, steps=20) -> np.ndarray:
    """theta_0 ... theta_steps of gradient descent on J = lam theta^2 / 2 (NaN after a divergence)."""
    return parabola_run(lam, lr, theta0, steps).points[..., 0]
