"""A 2-D slice of any problem: its loss on the plane theta = center + a d1 + b d2, as a Surface in (a, b).

This is how a network's loss landscape (hundreds of parameters) becomes a picture with contours, and how a
2-D path can be run on it: see :mod:`stepviz.analysis.landscape` for the directions and the grid.
"""
from __future__ import annotations

import numpy as np

from .. import _validate
from .base import Problem, central_difference
from .surfaces import Surface, as_points


def plane(center, d1, d2):
    """(center, D) with D = [d1; d2] (2, n): checked finite, same length, linearly independent."""
    center = _validate.as_float_array("center", center, "a parameter vector")
    d1 = _validate.as_float_array("d1", d1, "a direction vector")
    d2 = _validate.as_float_array("d2", d2, "a direction vector")
    if center.ndim != 1 or d1.shape != center.shape or d2.shape != center.shape:
        raise ValueError(f"center, d1 and d2 must be vectors of the same length; got shapes "
                         f"{center.shape}, {d1.shape}, {d2.shape}")
    D = np.stack([d1, d2])
    if not (np.isfinite(center).all() and np.isfinite(D).all()):
        raise ValueError("center, d1 and d2 must hold finite numbers")
    if np.linalg.matrix_rank(D) < 2:
        raise ValueError("d1 and d2 must be linearly independent (two different directions)")
    return center, D


def project_onto(path, center, D) -> np.ndarray:
    """Coordinates (..., 2) of parameter vectors ``path`` (..., n) in the plane center + a d1 + b d2
    (D = [d1; d2]): the least-squares solution of a d1 + b d2 = theta - center, exact even for
    non-orthogonal directions. NaN rows (diverged runs) stay NaN."""
    path = _validate.as_float_array("path", path, "parameter vectors (..., n_params)")
    if path.ndim == 0 or path.shape[-1] != D.shape[1]:
        raise ValueError(f"path must have shape (..., {D.shape[1]}); got {path.shape}")
    with np.errstate(all="ignore"):
        return ((path - center) @ D.T) @ np.linalg.inv(D @ D.T)


def _extent_bounds(extent):
    arr = _validate.as_float_array("extent", extent, "a number > 0 or ((amin, amax), (bmin, bmax))")
    if arr.ndim == 0:
        e = _validate.positive("extent", extent, example="1.0")
        return ((-e, e), (-e, e))
    return _validate.bounds("extent", arr)


class SliceSurface(Surface):
    """``problem``'s loss on the plane theta = center + a d1 + b d2, as a stepviz Surface in (a, b).

    ``value`` = J(center + a d1 + b d2); ``grad`` = (d1 . dJ, d2 . dJ) (the chain rule on the problem's
    gradient); ``hessian`` by central differences of grad. ``bounds`` from ``extent`` (a > 0 for
    [-a, a] on both axes, or ((amin, amax), (bmin, bmax))); (0, 0) is ``center``.
    """

    log_levels = True

    def __init__(self, problem, center, d1, d2, extent=1.0, name="loss slice"):
        if not isinstance(problem, Problem):
            raise TypeError(f"problem must be a stepviz problem such as NetworkLoss(model, X, y); got {problem!r}")
        self.center, self.D = plane(center, d1, d2)
        if self.D.shape[1] != problem.dim:
            raise ValueError(f"center, d1, d2 must have length {problem.dim} (the problem's parameters); "
                             f"got {self.D.shape[1]}")
        self.problem = problem
        self.bounds = _extent_bounds(extent)
        self.name = str(name)
        self.minima = np.empty((0, 2))
        (a0, a1), (b0, b1) = self.bounds
        self.start = np.array([a0 + 0.2 * (a1 - a0), b0 + 0.8 * (b1 - b0)])

    def theta(self, p) -> np.ndarray:
        """center + a d1 + b d2 for points p (..., 2)."""
        return self.center + as_points(p) @ self.D

    def value(self, p):
        return self.problem.value(self.theta(p))

    def grad(self, p):
        return self.problem.grad(self.theta(p)) @ self.D.T

    def hessian(self, p):
        jac = central_difference(self.grad, as_points(p), rel_step=1e-5)
        return (jac + np.swapaxes(jac, -1, -2)) / 2

    def project(self, path) -> np.ndarray:
        """Coordinates (..., 2) of parameter vectors in this plane; see :func:`project_onto`."""
        return project_onto(path, self.center, self.D)

    def __repr__(self):
        return f"SliceSurface({self.problem!r}, bounds={self.bounds})"
