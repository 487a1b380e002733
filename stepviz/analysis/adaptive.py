"""What adaptive methods do to the step, measured: each coordinate's effective step size along a run, the
same surface with its loss scaled, and the same bowl axis-aligned and turned (preconditioning)."""
from __future__ import annotations

import numpy as np

from .. import _validate
from ..engine import run
from ..optim.base import Optimizer
from ..problems.surfaces import QuadraticBowl, Surface, get_surface


def effective_steps(optimizer: Optimizer, surface, start=None, steps: int = 100):
    """Run ``optimizer`` and record each coordinate's effective step size at every step.

    The effective step is the factor in front of the (averaged) gradient in the update, as the rule
    defines it (:meth:`~stepviz.optim.base.Optimizer.effective_step`): alpha_t for GD, Momentum and
    Nesterov; alpha_t / (sqrt(s) + eps) for Adagrad and RMSprop; alpha_t / (sqrt(s_hat) + eps) for Adam (it
    multiplies m_hat); alpha_t sqrt(u + eps) / sqrt(s + eps) for Adadelta (u from before the step, s after).
    A rule that defines none is a ValueError.

    Returns ``(trajectory, eff)``: the :func:`stepviz.run` trajectory and eff of shape (steps, *batch, 2);
    from the step where a run diverged on, eff is NaN.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a stepviz optimizer such as Adam(lr=0.1); got {optimizer!r}")
    if not optimizer.has_effective_step:
        raise ValueError(f"{optimizer.name} defines no effective step size (its update is not a per-coordinate "
                         f"multiple of a gradient average)")
    surface = get_surface(surface)
    traj = run(optimizer, surface, start=start, steps=steps)
    p = traj.points[0].copy()
    state = optimizer.init(p)
    eff = np.empty(traj.lrs.shape + (2,))
    with np.errstate(all="ignore"):
        for t in range(traj.steps):
            p_next, new = optimizer.step(p, surface.grad, state, t)
            eff[t] = np.broadcast_to(optimizer.effective_step(state, new, t), eff.shape[1:])
            p, state = p_next, new
        if traj.diverged.any():
            k = np.arange(traj.steps).reshape((-1,) + (1,) * len(traj.batch_shape))
            gone = traj.diverged & (k + 1 >= traj.diverged_at)
            eff = np.where(gone[..., None], np.nan, eff)
    return traj, eff


def scaled_surface(surface, factor) -> Surface:
    """``surface`` with its loss multiplied by ``factor`` (> 0): same minima and contours, gradients
    ``factor`` times larger. A bowl stays a QuadraticBowl (curvatures times factor)."""
    surface = get_surface(surface)
    factor = _validate.positive("factor", factor)
    if isinstance(surface, QuadraticBowl):
        out = QuadraticBowl(tuple(c * factor for c in surface.curvatures), surface.angle)
        out.name = f"{factor:g} × {surface.name}"
        return out
    out = Surface.from_function(lambda p: factor * surface.value(p), grad=lambda p: factor * surface.grad(p),
                                bounds=surface.bounds, name=f"{factor:g} × {surface.name}",
                                minima=surface.minima if len(surface.minima) else None, start=surface.start)
    out.log_levels = surface.log_levels
    return out


def turned(vector, angle) -> np.ndarray:
    """``vector`` (2,) turned counter-clockwise by ``angle`` degrees."""
    c, s = np.cos(np.deg2rad(angle)), np.sin(np.deg2rad(angle))
    return np.array([[c, -s], [s, c]]) @ np.asarray(vector, dtype=float)


def preconditioning_runs(optimizers, curvatures=(1.0, 50.0), angles=(0.0, 45.0), start=(-1.5, 1.0),
                         steps: int = 600, tol: float = 1e-6) -> dict:
    """Each optimizer on the same bowl at each angle, the start turned with the bowl (so plain GD, which
    does not see the coordinates, follows the same path up to the turn). Returns {angle: {optimizer name or
    label: (trajectory, steps to tol or -1)}} in the order given."""
    out = {}
    for angle in angles:
        bowl = QuadraticBowl(curvatures=curvatures, angle=angle)
        p0 = turned(start, angle)
        out[angle] = {}
        for opt in optimizers:
            traj = run(opt, bowl, start=p0, steps=steps)
            out[angle][opt] = (traj, int(traj.steps_to(tol)))
    return out


__all__ = ["effective_steps", "scaled_surface", "turned", "preconditioning_runs"]
