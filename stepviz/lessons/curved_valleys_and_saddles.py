"""Lesson 03, curved valleys and saddles: the local limit 2/lambda_max and the escape from a saddle."""
from __future__ import annotations

import numpy as np

from ..analysis import quadratic as theory
from .feedback import check_number, feedback, parse_number

#: The best constant step on the Rosenbrock valley that converges: just below the local limit at the
#: minimum, 2 / lambda_max(H(1, 1)) = 2 / 1001.6 = 0.001997 (a 5 % margin). Notebooks 03, 04 and 07 use it.
ROSENBROCK_BEST_LR = 1.9e-3
#: 03's three constant steps on Rosenbrock: crawling, the best that converges, stalling.
ROSENBROCK_LRS = (5e-4, ROSENBROCK_BEST_LR, 4e-3)
#: 03's pair on either side of the limit at the minimum (0.001997), run for NEAR_LIMIT_STEPS steps.
NEAR_LIMIT_LRS = (ROSENBROCK_BEST_LR, 2e-3)
NEAR_LIMIT_STEPS = 20_000
#: 03's saddle demos: starts on the stable line, 1e-6 and 1e-2 off it, with alpha = 0.1.
SADDLE_STARTS = ((1.8, 0.0), (1.8, 1e-6), (1.8, 1e-2))
SADDLE_LABELS = ("on the stable line (θ₂ = 0)", "1e-6 off it", "1e-2 off it")
#: The explorer's controls shown first, the rest behind 'more controls':
#: Try this 3 sets 5000 steps.
VALLEY_FIRST = ("steps",)
#: The explorer's controls shown first, the rest behind 'more controls':
#: Try this ticks the stable line and sets the offset.
SADDLE_FIRST = ("on_line", "offset")


def _close(x, y, rtol=1e-2):
    return x is not None and np.isfinite(y) and abs(x - y) <= rtol * abs(y)


def check_local_limit(answer, surface, point) -> bool:
    """Is ``answer`` the local limit 2 / lambda_max of the Hessian of ``surface`` at ``point``?"""
    try:
        p = np.asarray(point, dtype=float)
        H = np.asarray(surface.hessian(p), dtype=float)
        lam = np.linalg.eigvalsh(H)
        limit = float(theory.local_lr_limit(surface, p))
    except Exception as exc:  # a wrong surface or point from the notebook itself
        return feedback(False, "", f"The check needs a stepviz surface and a point (x, y); got {surface!r}, "
                                   f"{point!r} ({exc}).")
    x = parse_number(answer)
    hint = ("Compute the Hessian at the point (surface.hessian(point)), take its largest eigenvalue "
            "lambda_max (np.linalg.eigvalsh(...)[-1]) and divide 2 by it.")
    if _close(x, 1 / lam[-1]):
        hint = "That is 1 / lambda_max; the limit is where |1 - alpha lambda_max| reaches 1, i.e. 2 / lambda_max."
    elif lam[0] > 0 and _close(x, 2 / lam[0]) and not _close(x, limit):
        hint = "That uses the smallest eigenvalue; the steepest direction (largest eigenvalue) breaks first."
    elif any(_close(x, 2 / d) for d in np.diag(H) if d > 0) and not _close(x, limit):
        hint = ("That uses a diagonal entry of the Hessian. The Hessian is not diagonal here: its eigenvalues, "
                "not its diagonal, give the curvatures along the principal directions.")
    return check_number(answer, limit, right=f"2 / lambda_max = 2 / {lam[-1]:.5g} = {limit:.4g}.", hint=hint)


def check_escape_steps(answer, lr, offset, threshold=0.5) -> bool:
    """Is ``answer`` (within 10 %) the number of GD steps for theta_2 to grow from ``offset`` to
    ``threshold`` near the saddle, log(threshold / offset) / log(1 + lr)?"""
    try:
        lr, offset, threshold = float(lr), abs(float(offset)), float(threshold)
        expected = np.log(threshold / offset) / np.log1p(lr)
    except Exception:
        return feedback(False, "", "The check needs numbers lr, offset and threshold.")
    x = parse_number(answer)
    hint = ("Near the saddle GD multiplies theta_2 by (1 + alpha) each step, so after k steps it is "
            "offset * (1 + alpha)^k. Solve offset * (1 + alpha)^k = threshold for k.")
    if _close(x, 1 / lr, 0.1) and not _close(x, expected, 0.1):
        hint = "1 / alpha is not it: the distance grows geometrically, so the logarithm of the ratio matters."
    return check_number(answer, expected, rtol=0.1,
                        right=f"k = log({threshold:g} / {offset:g}) / log(1 + {lr:g}) = {expected:.1f} steps "
                              "(a tenfold smaller offset costs only log(10) / log(1 + alpha) more).",
                        hint=hint)


__all__ = ["check_local_limit", "check_escape_steps"]
