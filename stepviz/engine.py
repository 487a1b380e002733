"""The simulation engine: run an update rule on any problem, many settings at once, safely past divergence.

One engine for the 2-D surfaces, least squares from data (with minibatch gradients) and the network's loss:
anything that follows the :class:`~stepviz.problems.base.Problem` protocol.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _validate
from .optim.rules import Optimizer
from .problems.base import Problem, draw_minibatches


@dataclass
class Trajectory:
    """The result of :func:`run`.

    Attributes:
        points: (steps + 1, *batch, dim) the iterates, points[0] the start (dim = 2 on a surface).
        losses: (steps + 1, *batch) the loss at each iterate.
        lrs: (steps, *batch) the step size alpha_t used at each step.
        diverged: (*batch) bool, True where the run left the finite, bounded region.
        diverged_at: (*batch) int, the first step whose point left it (-1 if never). From that step on
            the run's points and losses are NaN.
        optimizer, problem: what was run.
    """

    points: np.ndarray
    losses: np.ndarray
    lrs: np.ndarray
    diverged: np.ndarray
    diverged_at: np.ndarray
    optimizer: Optimizer = field(repr=False, default=None)
    problem: Problem = field(repr=False, default=None)

    @property
    def surface(self) -> Problem:
        """The problem, under the name the 2-D lessons use."""
        return self.problem

    @property
    def steps(self) -> int:
        return self.points.shape[0] - 1

    @property
    def grad_evals(self) -> int:
        """Gradient evaluations spent: one per step per run, as every update rule takes one gradient a step."""
        return self.steps * int(np.prod(self.batch_shape))

    @property
    def batch_shape(self) -> tuple:
        return self.losses.shape[1:]

    @property
    def final_loss(self) -> np.ndarray:
        """Loss after the last step (NaN for diverged runs)."""
        return self.losses[-1]

    def gap(self) -> np.ndarray:
        """losses - f*, the distance to the optimal value (losses when the surface has no minimum)."""
        f_min = self.problem.f_min if self.problem is not None else float("nan")
        return self.losses - (0.0 if np.isnan(f_min) else f_min)

    def steps_to(self, tol: float) -> np.ndarray:
        """First step k with loss - f* <= tol, per run (-1 where never reached)."""
        tol = _validate.non_negative("tol", tol, example="1e-6")
        with np.errstate(invalid="ignore"):
            hit = self.gap() <= tol
        first = np.argmax(hit, axis=0)
        return np.where(hit.any(axis=0), first, -1)

    def distance_to_minimum(self) -> np.ndarray:
        """(steps + 1, *batch) distance of each iterate to the nearest minimum of the surface."""
        minima = np.asarray(self.problem.minima)
        if len(minima) == 0:
            raise ValueError(f"{self.problem!r} has no minimum to measure a distance to")
        d = np.linalg.norm(self.points[..., None, :] - minima, axis=-1)
        return d.min(axis=-1)

    def rate(self, start: int | None = None, floor: float = 1e-13) -> np.ndarray:
        """Measured linear convergence rate: (e_k1 / e_k0) ** (1 / (k1 - k0)) with e the distance to the
        nearest minimum, k1 the last step with e > floor * e_0 and k0 = ``start`` (default: the later
        half of the window: min(steps, k1) // 2, which skips the transient of the first steps).

        On a quadratic bowl this approaches the spectral radius that ``sv.theory`` (:mod:`stepviz.analysis.quadratic`) predicts.
        NaN for diverged runs.
        """
        e = self.distance_to_minimum()
        with np.errstate(invalid="ignore", divide="ignore"):
            above = e > floor * e[0]
            idx = np.arange(e.shape[0]).reshape((-1,) + (1,) * (e.ndim - 1))
            k1 = np.max(np.where(above, idx, -1), axis=0)
            k0 = np.minimum(k1, self.steps) // 2 if start is None else np.minimum(int(start), np.maximum(k1 - 1, 0))
            e0 = np.take_along_axis(e, k0[None], axis=0)[0]
            e1 = np.take_along_axis(e, np.maximum(k1, 0)[None], axis=0)[0]
            r = (e1 / e0) ** (1.0 / np.maximum(k1 - k0, 1))
        return np.where(self.diverged, np.nan, r)

    def summary(self, tol: float = 1e-6) -> str:
        """One line for a single run: final loss, steps to tol, or where it diverged."""
        if self.batch_shape:
            raise ValueError("summary() describes a single run; index the batch first")
        if self.diverged:
            return f"diverged at step {int(self.diverged_at)}"
        k = int(self.steps_to(tol))
        reached = f"reached loss - f* <= {tol:g} at step {k}" if k >= 0 else f"loss - f* > {tol:g} after {self.steps} steps"
        return f"final loss {float(self.final_loss):.3g}; {reached}"

    def __getitem__(self, index) -> "Trajectory":
        """The runs at ``index`` of the batch axes, e.g. ``traj[3]`` or ``traj[:, 0]``."""
        index = index if isinstance(index, tuple) else (index,)
        full = (slice(None),) + index
        return Trajectory(self.points[full], self.losses[full], self.lrs[full], self.diverged[index],
                          self.diverged_at[index], self.optimizer, self.problem)


def run(optimizer: Optimizer, problem: Problem, start=None, steps: int = 100, *, noise=0.0, batch_size=None,
        seed=None) -> Trajectory:
    """Run ``optimizer`` on ``problem`` for ``steps`` steps from ``start``.

    Args:
        optimizer: an update rule from :mod:`stepviz.optim`; array hyperparameters make a batch.
        problem: a :class:`~stepviz.problems.base.Problem`: a surface, least squares, a network's loss.
        start: (dim,) or (..., dim) start points (default: ``problem.start``). The batch shape is the
            broadcast of start's leading axes and the hyperparameters' shapes.
        steps: number of steps, >= 0 (default: 100).
        noise: standard deviation of Gaussian noise added to every gradient, >= 0, a stand-in for
            stochastic gradients (default: 0.0).
        batch_size: for problems made of examples (least squares, a network's loss): every step of every
            run takes the gradient on its own fresh minibatch of this many distinct examples (default:
            None, the full gradient).
        seed: seed of the noise and of the minibatches, for reproducible runs (default: None).

    Returns:
        A :class:`Trajectory`. A run diverges once its loss stops being finite or a coordinate leaves
        [-problem.divergence_bound, problem.divergence_bound]; that is a result, not an error, and no numpy
        warning escapes.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a stepviz optimizer such as GD(lr=0.1); got {optimizer!r}")
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be a stepviz problem such as QuadraticBowl(); got {problem!r}")
    steps = _validate.integer("steps", steps, low=0)
    noise = _validate.non_negative("noise", noise, example="0.1")
    start = problem.start if start is None else _validate.points("start", start, dim=problem.dim)
    batch = np.broadcast_shapes(start.shape[:-1], optimizer.batch_shape, np.shape(noise))
    p = np.array(np.broadcast_to(start, batch + start.shape[-1:]), dtype=float)
    limit = problem.divergence_bound
    grad_fn = _gradient(problem, batch, noise, batch_size, seed)

    points = np.empty((steps + 1,) + p.shape)
    losses = np.empty((steps + 1,) + batch)
    alphas = []  # kept at the hyperparameters' own shape; broadcast (a view) to the batch at the end
    diverged_at = np.full(batch, -1, dtype=int)
    points[0] = p
    with np.errstate(all="ignore"):
        losses[0] = problem.value(p)
        state = optimizer.init(p)
        for t in range(steps):
            alphas.append(optimizer.alpha(t))
            p, state = optimizer.step(p, grad_fn, state, t)
            loss = problem.value(p)
            bad = ~(_inside(p, limit) & np.isfinite(loss))
            if bad.any():
                new = bad & (diverged_at < 0)
                diverged_at[new] = t + 1
                p = np.where(bad[..., None], np.nan, p)
                loss = np.where(bad, np.nan, loss)
            points[t + 1] = p
            losses[t + 1] = loss
    lr_shape = np.broadcast_shapes(*(np.shape(a) for a in alphas)) if alphas else ()
    lrs = np.array([np.broadcast_to(a, lr_shape) for a in alphas]).reshape((steps,) + lr_shape)
    # lr_shape aligns with the trailing batch axes (start may add leading ones): put the singleton axes
    # between the step axis and lr_shape, or a batched start with a scalar lr fails to broadcast.
    lrs = np.broadcast_to(lrs.reshape((steps,) + (1,) * (len(batch) - len(lr_shape)) + lr_shape),
                          (steps,) + batch)
    return Trajectory(points, losses, lrs, diverged_at >= 0, diverged_at, optimizer, problem)


def _inside(p, limit):
    """Every coordinate within [-limit, limit] (NaN compares False, so NaN and inf are outside)."""
    a = np.abs(p)
    if a.shape[-1] == 2:  # indexing the two coordinates beats .all(axis=-1) several times over
        return (a[..., 0] <= limit) & (a[..., 1] <= limit)
    return (a <= limit).all(axis=-1)


def _gradient(problem, batch, noise, batch_size, seed):
    """The gradient the update rule sees: the problem's own, or a fresh minibatch's, plus Gaussian noise."""
    if batch_size is not None and not problem.has_minibatches:
        raise ValueError(f"batch_size needs a problem made of examples (least squares, a network's loss); "
                         f"{problem!r} has a single exact gradient")
    b = None if batch_size is None else _validate.batch_size("batch_size", batch_size, problem.n)
    rng = np.random.default_rng(_validate.seed("seed", seed))
    if b is None or b == problem.n:
        exact = problem.grad
    else:
        def exact(q):
            return problem.grad_on(q, draw_minibatches(rng, problem.n, b, q.shape[:-1]))
    if not np.any(np.asarray(noise) > 0):
        return exact
    sigma = np.asarray(noise, dtype=float)[..., None]

    def noisy(q):
        return exact(q) + sigma * rng.standard_normal(q.shape)

    return noisy
