"""Lesson 00, start here: one gradient step by hand."""
from __future__ import annotations

import numpy as np

from .feedback import feedback, parse_vector

#: The widget check's explorer: GD on a bowl with mu = 2, L = 4, from this first step size, with a step-size
#: slider from 0.001 (Rosenbrock's stable steps, exercise 3) to 1. A bowl this round keeps the strip's two marks
#: apart on its log axis: 2/(mu + L) = 1/3 and 2/L = 0.5 differ by a factor 1.5 (on the (1, 10) bowl, 0.18 and
#: 0.2 differ by 1.1 and drew on top of each other).
BOWL_CURVATURES = (2.0, 4.0)
EXPLORER_LR = 0.05
EXPLORER_LR_RANGE = (1e-3, 1.0)


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
