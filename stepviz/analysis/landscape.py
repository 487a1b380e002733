"""Pictures of a loss landscape with many parameters: two directions, a plane, the loss on a grid of it.

After Li et al. 2018, "Visualizing the loss landscape of neural nets": filter-normalised random directions,
or the top principal directions of a training path, span a plane through a point of parameter space; the
loss on a grid of that plane is a 2-D picture, and training paths projected onto it show how they moved.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import _validate
from ..problems.mlp import MLP
from ..problems.slices import SliceSurface, plane, project_onto


def random_directions(model, center, seed=0, filter_normalize=True):
    """Two random directions (d1, d2) in parameter space for :func:`loss_slice`.

    With ``filter_normalize`` (Li et al. 2018) each neuron's incoming weights in d are rescaled to the norm
    of that neuron's weights in ``center``, and the bias entries are 0, so the slice is comparable across
    networks of different scale (default: True). Otherwise d1, d2 are Gaussian with unit norm.

    Args:
        model: the :class:`~stepviz.problems.mlp.MLP` whose layers define the neurons.
        center: (n_params,) the point the plane goes through.
        seed: int >= 0 (default: 0).
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be a stepviz MLP; got {model!r}")
    center = model.check_theta(center)
    if center.shape != (model.n_params,):
        raise ValueError(f"center must be one parameter vector ({model.n_params},); got shape {center.shape}")
    rng = np.random.default_rng(_validate.seed("seed", seed))
    out = []
    for _ in range(2):
        d = rng.standard_normal(model.n_params)
        if filter_normalize:
            for (W, b), (Wc, _) in zip(model.unpack(d), model.unpack(center)):
                W *= np.linalg.norm(Wc, axis=0) / np.linalg.norm(W, axis=0)  # per output neuron (column)
                b[...] = 0.0
        else:
            d /= np.linalg.norm(d)
        out.append(d)
    return out[0], out[1]


def pca_directions(path, center=None):
    """The top-2 principal directions of a training path around ``center`` (Li et al. 2018).

    Args:
        path: iterates (k, n_params), e.g. ``trajectory.points`` of one run; non-finite rows are dropped.
        center: (n_params,) (default: the last finite iterate, the trained network).
    Returns:
        (d1, d2, explained): orthonormal d1, d2 (signed so the path starts at positive coordinates) and the
        fraction of the path's variance around center that each explains.
    """
    path = _validate.as_float_array("path", path, "iterates of shape (k, n_params)")
    if path.ndim != 2:
        raise ValueError(f"path must have shape (k, n_params), one run's iterates; got shape {path.shape}")
    path = path[np.isfinite(path).all(axis=1)]
    if len(path) < 2:
        raise ValueError("path must hold at least 2 finite iterates")
    center = path[-1] if center is None else _validate.as_float_array("center", center, "a parameter vector")
    if center.shape != path.shape[1:]:
        raise ValueError(f"center must have shape {path.shape[1:]}; got {center.shape}")
    M = path - center
    _, s, vt = np.linalg.svd(M, full_matrices=False)
    d = vt[:2].copy()
    if d.shape[0] < 2:
        raise ValueError("path must span at least 2 directions")
    signs = np.where(M[0] @ d.T < 0, -1.0, 1.0)
    d *= signs[:, None]
    total = np.sum(s ** 2)
    explained = s[:2] ** 2 / total if total > 0 else np.zeros(2)
    return d[0], d[1], explained


def project(path, center, d1, d2) -> np.ndarray:
    """Coordinates (..., 2) of parameter vectors ``path`` (..., n_params) in the plane center + a d1 + b d2
    (least squares, exact for non-orthogonal directions). Plot them on a :func:`loss_slice`."""
    return project_onto(path, *plane(center, d1, d2))


@dataclass
class LossSlice:
    """The result of :func:`loss_slice`: ``losses[j, i]`` = J(center + a[i] d1 + b[j] d2) (rows b, columns a:
    ready for ``plt.contour(a, b, losses)``); ``surface`` the :class:`SliceSurface` it came from."""

    a: np.ndarray
    b: np.ndarray
    losses: np.ndarray
    surface: SliceSurface = field(repr=False)

    def project(self, path) -> np.ndarray:
        """Coordinates (..., 2) of a training path in this slice."""
        return self.surface.project(path)


def loss_slice(problem, center, d1, d2, extent=1.0, n=41) -> LossSlice:
    """The loss of ``problem`` on an n x n grid of the plane center + a d1 + b d2.

    Args:
        problem: e.g. a :class:`~stepviz.problems.mlp.NetworkLoss`.
        center: (n_params,) the plane's origin, e.g. the trained parameters.
        d1, d2: (n_params,) directions, from :func:`random_directions` or :func:`pca_directions`.
        extent: a > 0 for a, b in [-extent, extent], or ((amin, amax), (bmin, bmax)) (default: 1.0).
        n: grid points per axis, >= 2 (default: 41).
    """
    n = _validate.integer("n", n, low=2)
    surface = SliceSurface(problem, center, d1, d2, extent)
    (a0, a1), (b0, b1) = surface.bounds
    a, b = np.linspace(a0, a1, n), np.linspace(b0, b1, n)
    grid = np.stack(np.meshgrid(a, b), axis=-1)
    return LossSlice(a, b, surface.value(grid), surface)
