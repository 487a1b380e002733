"""Lesson 00, start here: one gradient step by hand."""
from __future__ import annotations

import numpy as np

from .feedback import feedback, parse_vector

#: The widget check's explorer: GD on the default bowl (mu = 1, L = 10) with this first step size.
EXPLORER_LR = 0.05


def check_gd_step(answer, theta, grad, lr) -> bool:
    """Is ``answer`` the point theta - lr * grad after one gradient step (two numbers)?"""
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    expected = theta - lr * grad
    x = parse_vector(answer, expected.size)
    if x is None:
        return feedback(False, "", f"Your answer should be {expected.size} numbers, e.g. [0.5, -1.0]; got {answer!r}.")
    if np.allclose(x, theta + lr * grad, rtol=1e-3, atol=1e-9) and not np.allclose(expected, theta + lr * grad):
        return feedback(False, "", "You stepped uphill: the gradient points up the slope, so subtract α∇J.")
    if np.allclose(x, theta - grad, rtol=1e-3, atol=1e-9) and lr != 1:
        return feedback(False, "", "Remember to scale the gradient by the step size α before subtracting it.")
    ok = np.allclose(x, expected, rtol=1e-3, atol=1e-6)
    return feedback(ok, f"θ − α∇J(θ) = {np.round(expected, 6).tolist()}.",
                    "Compute each coordinate: θ_i − α · (∇J)_i.")


__all__ = ["check_gd_step"]
