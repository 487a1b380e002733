"""Momentum's velocities, measured: the velocity v_k = p_{k-1} - p_k of any run, Nesterov's look-ahead points,
and heavy ball written two ways (the velocity form of the course and torch.optim.SGD's form)."""
from __future__ import annotations

import numpy as np

from .. import _validate
from ..engine import Trajectory, run
from ..optim.rules import Momentum


def velocities(trajectory: Trajectory) -> np.ndarray:
    """(steps + 1, *batch, 2) velocities of the velocity form: v_0 = 0 and v_k = p_{k-1} - p_k."""
    if not isinstance(trajectory, Trajectory):
        raise TypeError(f"trajectory must be the result of stepviz.run(...); got {type(trajectory).__name__}")
    p = trajectory.points
    v = np.zeros_like(p)
    with np.errstate(invalid="ignore"):
        v[1:] = p[:-1] - p[1:]
    return v


def lookahead_points(trajectory: Trajectory, momentum=None) -> np.ndarray:
    """(steps, *batch, 2) Nesterov's look-ahead points p_k - gamma v_k, k = 0 .. steps - 1.

    For a Nesterov run these are exactly the points where the gradients of its steps were taken.
    ``momentum`` defaults to the trajectory's optimizer's momentum.
    """
    if momentum is None:
        momentum = getattr(trajectory.optimizer, "momentum", None)
        if momentum is None:
            raise ValueError("lookahead_points needs a momentum: pass momentum=... or a Momentum/Nesterov run")
    gamma = np.asarray(_validate.unit_interval("momentum", momentum), dtype=float)[..., None]
    v = velocities(trajectory)
    with np.errstate(invalid="ignore"):
        return trajectory.points[:-1] - gamma * v[:-1]


class _PyTorchMomentum(Momentum):
    """Heavy ball as torch.optim.SGD writes it: v <- momentum v + g, p <- p - alpha_t v (v_0 = 0).
    For a constant alpha its v is the velocity form's divided by alpha, and the points are the same."""

    name = "Momentum (PyTorch's form)"

    def update(self, p, grad_fn, state, alpha, t):
        v = self._hp("momentum", p) * state["v"] + grad_fn(p)
        return p - alpha * v, {"v": v}


def velocity_forms(problem, lr, momentum, steps: int = 100, start=None) -> dict:
    """Heavy ball written two ways, on ``problem`` with step size (or schedule) ``lr``: {'ours': the velocity
    form v <- gamma v + alpha_t g, p <- p - v; 'pytorch': torch.optim.SGD's v <- gamma v + g,
    p <- p - alpha_t v}. The same path for a constant alpha; under a schedule PyTorch's form applies a change
    of alpha to the whole velocity at once."""
    return {"ours": run(Momentum(lr, momentum=momentum), problem, start=start, steps=steps),
            "pytorch": run(_PyTorchMomentum(lr, momentum=momentum), problem, start=start, steps=steps)}




__all__ = ["velocities", "lookahead_points", "velocity_forms"]
