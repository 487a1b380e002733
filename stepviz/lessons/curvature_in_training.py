"""Lesson 12, curvature in training (12_curvature_in_training.ipynb): the network of 11, the local limit
2 / lambda_max, the runs whose sharpness the notebook follows."""
from __future__ import annotations

from .feedback import check_number, feedback, parse_number
from .neural_networks import network_loss  # noqa: F401  (12 trains 11's network: lesson.network_loss())

#: The two GD runs whose sharpness is measured at every step, and their length.
SHARPNESS_LRS, SHARPNESS_STEPS = (0.3, 1.0), 500
#: Lanczos iterations per point for the sharpness along a run (agrees with the full Hessian to ~1e-4).
SHARPNESS_ITERS = 20


def check_sharpness_limit(answer, lam) -> bool:
    """The largest stable GD step size where the Hessian's largest eigenvalue is ``lam``: 2 / lam (2 %)."""
    lam = parse_number(lam)
    if lam is None or lam <= 0:
        return feedback(False, "", "Pass the sharpness (a positive number) as the second argument.")
    x = parse_number(answer)
    hint = "Near theta the loss is a quadratic bowl whose steepest curvature is lambda_max: recall the limit of lesson 02."
    if x is not None and abs(x - 1 / lam) <= 0.02 / lam:
        hint = "That is 1/λ_max, where the steepest direction is solved in one step; the limit is where |1 - αλ| reaches 1."
    return check_number(answer, 2 / lam, rtol=0.02, right=f"2 / λ_max = {2 / lam:.3g}, for as long as the curvature stays put.",
                        hint=hint)


__all__ = ["check_sharpness_limit"]
