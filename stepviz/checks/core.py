"""Feedback for learners' exercises: each check prints a verdict and a hint, returns True/False, never raises.

A notebook calls e.g. ``check_lr_limit(my_answer, bowl)``; a wrong or malformed answer prints a hint so the
notebook still runs top to bottom.
"""
from __future__ import annotations

import numpy as np

from .. import theory


def _number(answer):
    if isinstance(answer, (bool, np.bool_)) or answer is None or answer is ...:
        return None
    try:
        x = float(answer)
    except (TypeError, ValueError):
        return None
    return x if np.isfinite(x) else None


def feedback(ok: bool, right: str, hint: str) -> bool:
    """Print a verdict line: 'Correct' with ``right``, or 'Not yet' with ``hint``."""
    print(f"✅ Correct. {right}" if ok else f"❌ Not yet. {hint}")
    return bool(ok)


def check_number(answer, expected: float, *, rtol: float = 1e-2, right: str = "", hint: str = "") -> bool:
    """Feedback on a numeric answer within a relative tolerance ``rtol`` of ``expected``."""
    x = _number(answer)
    if x is None:
        return feedback(False, "", f"Your answer should be a number; got {answer!r}. {hint}".strip())
    return feedback(abs(x - expected) <= rtol * abs(expected), right, hint)


def check_lr_limit(answer, bowl) -> bool:
    """Is ``answer`` the largest stable step size 2 / L of ``bowl``?"""
    limit = theory.lr_limit(bowl)
    x = _number(answer)
    hint = "Gradient descent multiplies the error along each eigen-direction by (1 - alpha lambda); " \
           "it must stay inside (-1, 1) for the largest curvature L."
    if x is not None and abs(x - 1 / bowl.L) <= 1e-2 / bowl.L:
        hint = "That is 1/L, where the steepest direction is solved in one step; the limit is where |1 - alpha L| reaches 1."
    elif x is not None and abs(x - 2 / bowl.mu) <= 1e-2 / bowl.mu and bowl.mu != bowl.L:
        hint = "That uses the smallest curvature mu; the steepest direction (largest curvature L) breaks first."
    return check_number(answer, limit, right=f"The limit is 2 / L = {limit:.4g}.", hint=hint)


__all__ = ["feedback", "check_number", "check_lr_limit"]
