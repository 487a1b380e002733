"""The simulation engine: run an update rule on any problem, many settings at once, safely past divergence.

One engine for the 2-D surfaces, least squares from data (with minibatch gradients) and the network's loss:
anything that follows the :class:`~stepviz.problems.base.Problem` protocol.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _validate
from ._memory import (  # noqa: F401  (the size limits are part of the engine's API: engine.check_size, ...)
    MEMORY_BUDGET,
    WORKING_COPIES,
    blocks,
    check_memory,
    check_size,
    memory_needed,
    trajectory_bytes,
)
from .optim.rules import Optimizer
from .problems.base import Problem, draw_minibatches, unguarded
from .problems.minibatch_stream import minibatch_source


#: Most steps of one run. The notebooks use at most 5,000; 100,000 steps of a run on a surface take ~2.5 s.
MAX_STEPS = 100_000


def settled_at(values, tol) -> np.ndarray:
    """Per column of ``values`` (steps along axis 0): the step from which ``values <= tol`` holds to the
    end, -1 if the last value is above ``tol`` (or NaN). A run that dips below ``tol`` and climbs out
    again has not arrived: it counts from the first step of its final stretch within ``tol``, not from
    its first crossing."""
    values = np.asarray(values)
    with np.errstate(invalid="ignore"):
        outside = ~(values <= tol)
    n = values.shape[0]
    last_out = n - 1 - np.argmax(outside[::-1], axis=0)
    k = np.where(outside.any(axis=0), last_out + 1, 0)
    return np.where(outside[-1], -1, k)


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
        undefined: (*batch) bool, True where the run stopped because the loss was NaN at a finite point
            inside the bound: a region where the function is not defined (e.g. sqrt of a negative), not a
            blow-up. Those runs count as diverged too.
        state: the update rule's state after the last step, e.g. a line search's ``value_evals`` per run.
    """

    points: np.ndarray
    losses: np.ndarray
    lrs: np.ndarray
    diverged: np.ndarray
    diverged_at: np.ndarray
    optimizer: Optimizer = field(repr=False, default=None)
    problem: Problem = field(repr=False, default=None)
    undefined: np.ndarray = field(repr=False, default=None)
    state: dict = field(repr=False, default=None)

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
        """The step k from which loss - f* stays <= tol to the end of the run, per run (-1 if the last
        iterate is not within tol): see :func:`settled_at`."""
        tol = _validate.non_negative("tol", tol, example="1e-6", scalar=True)
        if self.problem is not None and np.isnan(self.problem.f_min):
            raise ValueError(f"{self.problem!r} has no known minimum, so there is no gap loss - f* to count steps "
                             f"to; compare the losses themselves (traj.losses), or give the minimum "
                             f"(Surface.from_function(f, minima=[(x, y)]))")
        f_min = self.problem.f_min if self.problem is not None else 0.0
        out = np.empty(int(np.prod(self.batch_shape)), dtype=int)
        for j, idx in blocks(self.batch_shape, self.losses.shape[0] * 24):  # no gap array of the losses' size
            gaps = self.losses[(slice(None),) + idx] - f_min
            out[j:j + (gaps.shape[1] if gaps.ndim > 1 else 1)] = settled_at(gaps, tol)
        return out.reshape(self.batch_shape)

    def distance_to_minimum(self) -> np.ndarray:
        """(steps + 1, *batch) distance of each iterate to the nearest minimum of the surface."""
        minima = self._minima()
        out = np.empty(self.losses.shape)
        flat = out.reshape(out.shape[0], -1)
        for j, idx in blocks(self.batch_shape, self.points.shape[0] * (2 * self.points.shape[-1] + 2) * 8):
            flat[:, j:j + len(idx[0]) if idx else None] = _distance(self.points[(slice(None),) + idx], minima)
        return out

    def rate(self, start: int | None = None, floor: float = 1e-13) -> np.ndarray:
        """Measured linear convergence rate: (e_k1 / e_k0) ** (1 / (k1 - k0)) with e the distance to the
        nearest minimum, k1 the last step with e > floor * e_0 and k0 = ``start`` (default: the later
        half of the window: min(steps, k1) // 2, which skips the transient of the first steps). A run whose
        error falls below the floor within a step or two of the start (it landed on the minimum) is measured
        up to that step: a run that lands exactly on the minimum has rate 0.

        ``floor``: in (0, 1), the fraction of the first distance below which the error counts as
        rounding noise (default: 1e-13). On a quadratic bowl the rate approaches the spectral radius that
        :mod:`stepviz.theory` predicts. NaN for diverged runs, runs of 0 steps and runs that start on the
        minimum (there is nothing to shrink).
        """
        floor = _validate.number("floor", floor, low=0.0, high=1.0, low_open=True, high_open=True, scalar=True,
                                 allowed="a number in (0, 1) (for example 1e-13)")
        start = None if start is None else _validate.integer("start", start, low=0, high=self.steps,
                                                             why="a step of the run")
        minima = self._minima()
        r = np.empty(int(np.prod(self.batch_shape)))
        # a few runs at a time, so the temporaries stay small whatever the batch (issue 18 item 11)
        for j, idx in blocks(self.batch_shape, self.points.shape[0] * (2 * self.points.shape[-1] + 4) * 8):
            e = _distance(self.points[(slice(None),) + idx], minima, norm=_norm2)
            r[j:j + e.shape[1]] = _rate(e, self.steps, floor, start)
        return np.where(self.diverged, np.nan, r.reshape(self.batch_shape))

    def _minima(self) -> np.ndarray:
        minima = np.asarray(self.problem.minima) if self.problem is not None else np.empty((0, 0))
        if len(minima) == 0:
            raise ValueError(f"{self.problem!r} has no minimum to measure a distance to")
        return minima

    def summary(self, tol: float = 1e-6) -> str:
        """One line for a single run: final loss, steps to tol, or where it diverged (or reached a region
        where the function is not defined)."""
        if self.batch_shape:
            raise ValueError("summary() describes a single run; index the batch first")
        tol = _validate.non_negative("tol", tol, example="1e-6", scalar=True)
        if self.diverged:
            k = int(self.diverged_at)
            if self.undefined is not None and bool(self.undefined):
                last = ", ".join(f"{v:.3g}" for v in self.points[k - 1])
                return (f"the loss is not defined (NaN) where step {k} landed; the run stopped there "
                        f"(last point ({last}))")
            return f"diverged at step {k}"
        if np.isnan(self.problem.f_min if self.problem is not None else np.nan):
            return (f"final loss {float(self.final_loss):.3g} after {self.steps} steps "
                    f"(no known minimum, so no gap to f* to report)")
        k = int(self.steps_to(tol))
        reached = f"loss - f* <= {tol:g} from step {k} on" if k >= 0 else f"loss - f* > {tol:g} after {self.steps} steps"
        return f"final loss {float(self.final_loss):.3g}; {reached}"

    def __getitem__(self, index) -> "Trajectory":
        """The runs at ``index`` of the batch axes, e.g. ``traj[3]``, ``traj[:, 0]`` or ``traj[..., 0]``: an
        index picks runs, never coordinates (those are ``traj.points[..., 0]``)."""
        batch = _batch_index(index, self.batch_shape)
        full = (slice(None),) + batch
        points, losses = self.points[full], self.losses[full]
        diverged = self.diverged[batch]
        if points.shape[:-1] != losses.shape or losses.shape[1:] != np.shape(diverged):
            raise IndexError(f"index {index!r} mixes lists and slices so that numpy moves the axes; index the runs "
                             f"with one list or with slices (traj[[0, 2]], traj[:, 1:3])")
        return Trajectory(points, losses, self.lrs[full], diverged, self.diverged_at[batch], self.optimizer,
                          self.problem, None if self.undefined is None else self.undefined[batch],
                          None if self.state is None else {k: _runs(v, self.batch_shape, batch)
                                                           for k, v in self.state.items()})


def _batch_index(index, batch_shape) -> tuple:
    """``index`` as a tuple that covers only the batch axes (Ellipsis expanded), or an IndexError."""
    index = index if isinstance(index, tuple) else (index,)
    used = sum(np.ndim(i) if isinstance(i, np.ndarray) and i.dtype == bool else 1
               for i in index if i is not Ellipsis)
    if any(i is None for i in index) or sum(i is Ellipsis for i in index) > 1 or used > len(batch_shape):
        raise IndexError(f"a Trajectory is indexed by its runs, batch shape {batch_shape}; index {index!r} "
                         f"{'adds an axis' if any(i is None for i in index) else 'reaches past the batch axes'}. "
                         f"Coordinates are traj.points[..., 0], steps traj.points[k]")
    if Ellipsis in [i for i in index if not isinstance(i, np.ndarray)]:
        k = next(n for n, i in enumerate(index) if i is Ellipsis)
        index = index[:k] + (slice(None),) * (len(batch_shape) - used) + index[k + 1:]
    return index


def run(optimizer: Optimizer, problem: Problem, start=None, steps: int = 100, *, noise=0.0, batch_size=None,
        seed=None) -> Trajectory:
    """Run ``optimizer`` on ``problem`` for ``steps`` steps from ``start``.

    Args:
        optimizer: an update rule from :mod:`stepviz.optim`; array hyperparameters make a batch.
        problem: a :class:`~stepviz.problems.base.Problem`: a surface, least squares, a network's loss.
        start: (dim,) or (..., dim) start points (default: ``problem.start``). The batch shape is the
            broadcast of start's leading axes and the hyperparameters' shapes.
        steps: number of steps, from 0 to MAX_STEPS = 100,000 (default: 100).
        noise: standard deviation of Gaussian noise added to every gradient, >= 0, a stand-in for
            stochastic gradients (default: 0.0).
        batch_size: for problems made of examples (least squares, a network's loss): every step takes the
            gradient on a fresh minibatch of this many distinct examples (default: None, the full gradient).
        seed: seed of the noise and of the minibatches, for reproducible runs (default: None).

    Noise and minibatches are drawn per start point: runs that share a start and differ only in their
    hyperparameters (a sweep of step sizes) see the same draws, so they differ only by what the
    hyperparameters do. Give runs start points of their own (``np.broadcast_to(start, (20, 2))``) to make
    them independent.

    Size limit: the run's peak, its result ((steps + 1) x runs x (dim + 2) float64s: points, losses and room
    for the gaps or distances computed from them; plus the step sizes) and the working copies of a step, must
    fit MEMORY_BUDGET (1 GiB unless the environment variable STEPVIZ_MEMORY_MB says otherwise); a larger
    request is a ValueError before anything is allocated. A 200 x 200 grid of 500 steps on a surface needs
    0.61 GiB. Seeded minibatch runs keep their draws for the next run with the same seed (at most 32 MiB over
    all: :mod:`stepviz.problems.minibatch_stream`).

    Returns:
        A :class:`Trajectory`. A run diverges once its loss stops being finite or a coordinate leaves
        [-problem.divergence_bound, problem.divergence_bound]; that is a result, not an error, and no numpy
        warning escapes.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a stepviz optimizer such as GD(lr=0.1); got {optimizer!r}")
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be a stepviz problem such as QuadraticBowl(); got {problem!r}")
    steps = _validate.integer("steps", steps, low=0, high=MAX_STEPS, why=f"a run takes at most {MAX_STEPS:,} steps")
    noise = _validate.non_negative("noise", noise, example="0.1")
    seed = _validate.seed("seed", seed)
    start = problem.start if start is None else _validate.points("start", start, dim=problem.dim)
    shapes = {"the batch of start": start.shape[:-1]}
    shapes.update(optimizer.hyperparameter_shapes())
    shapes["noise"] = np.shape(noise)
    batch = _validate.broadcast(shapes, "the batch axes of start, the hyperparameters and noise")
    constant_lr = not callable(optimizer.lr) and not optimizer.evaluates_the_problem
    # the step sizes a run records: a constant lr is the optimizer's own array, seen steps times (no copy)
    check_size(steps, batch, start.shape[-1], lr_runs=0 if constant_lr else int(np.prod(shapes["lr"])))
    limit, center = problem.divergence_bound, problem.divergence_center
    shifted = bool(np.any(center))  # a window off the origin: measure from its nearest point
    _validate.start_within(start, problem, limit, center, _inside)
    p = np.array(np.broadcast_to(start, batch + start.shape[-1:]), dtype=float)
    if optimizer.evaluates_the_problem:
        _validate.line_search_surface(optimizer, problem, p)
    grad_fn = _gradient(problem, start.shape[:-1], noise, batch_size, seed)

    points = np.empty((steps + 1,) + p.shape)
    losses = np.empty((steps + 1,) + batch)
    alphas = []  # kept at the hyperparameters' own shape; broadcast (a view) to the batch at the end
    diverged_at = np.full(batch, -1, dtype=int)
    undefined = np.zeros(batch, dtype=bool)
    points[0] = p
    gone = p.size == 0  # a run has diverged: from then on every step checks each run (none: no max to take)
    value = unguarded(problem, "value")  # the loop runs under errstate already
    with np.errstate(all="ignore"):
        losses[0] = value(p)
        state = optimizer.init(p)
        for t in range(steps):
            p, state = optimizer.step(p, grad_fn, state, t)
            if not constant_lr:  # a schedule or a line search: the alpha_t each step used
                alphas.append(state["lr"])
            loss = value(p)
            q = p - center if shifted else p
            # while no run has left, the common step (all inside, all finite) is known in 4 array operations
            # instead of the 8 that find which run left (NaN fails the comparison)
            if gone or not (np.abs(q).max() <= limit and np.isfinite(loss).all()):
                inside = _inside(q, limit)
                bad = ~(inside & np.isfinite(loss))
                new = bad & (diverged_at < 0)
                diverged_at[new] = t + 1
                undefined |= new & inside & np.isnan(loss)
                p = np.where(bad[..., None], np.nan, p)
                loss = np.where(bad, np.nan, loss)
                gone = True
            points[t + 1] = p
            losses[t + 1] = loss
    if constant_lr:  # one row, seen steps times (a view): a sweep of 300,000 step sizes keeps 2.4 MB, not GBs
        lr0 = optimizer.alpha(0)
        lr_shape, lrs = lr0.shape, np.broadcast_to(lr0, (steps,) + lr0.shape)
    else:
        lr_shape = np.broadcast_shapes(*(np.shape(a) for a in alphas)) if alphas else ()
        lrs = np.array([np.broadcast_to(a, lr_shape) for a in alphas]).reshape((steps,) + lr_shape)
    # lr_shape aligns with the trailing batch axes (start may add leading ones): put the singleton axes
    # between the step axis and lr_shape, or a batched start with a scalar lr fails to broadcast.
    lrs = np.broadcast_to(lrs.reshape((steps,) + (1,) * (len(batch) - len(lr_shape)) + lr_shape),
                          (steps,) + batch)
    return Trajectory(points, losses, lrs, diverged_at >= 0, diverged_at, optimizer, problem, undefined, state)


def _runs(value, batch, index):
    """The runs at ``index`` of a state entry that has the batch axes first (others are shared: returned as is)."""
    return value[index] if np.shape(value)[:len(batch)] == batch else value


def _inside(p, limit):
    """Every coordinate within [-limit, limit] (NaN compares False, so NaN and inf are outside)."""
    a = np.abs(p)
    if a.shape[-1] == 2:  # indexing the two coordinates beats .all(axis=-1) several times over
        return (a[..., 0] <= limit) & (a[..., 1] <= limit)
    return (a <= limit).all(axis=-1)


def _hypot(diff) -> np.ndarray:
    return np.hypot(diff[..., 0], diff[..., 1])


def _distance(points, minima, norm=_hypot) -> np.ndarray:
    """(steps + 1, runs) distance of points (steps + 1, runs, dim) to the nearest of ``minima``; ``norm``: the
    length of 2-vectors (default np.hypot's)."""
    points = points if points.ndim == 3 else points[:, None]
    d = None
    for m in minima:  # one minimum at a time: no (steps, runs, k, dim) temporary
        diff = points - m
        dm = norm(diff) if diff.shape[-1] == 2 else np.linalg.norm(diff, axis=-1)
        d = dm if d is None else np.minimum(d, dm)
    return d


def _norm2(diff) -> np.ndarray:
    """The length of 2-vectors (..., 2): sqrt(x^2 + y^2), ten times faster than np.hypot and within an ulp of it
    (the rate is a ratio of them: every explorer change measures 171 x 501); hypot where the squares would
    leave float64's range (lengths under 1e-150 or over 1e150), or are not finite."""
    x, y = diff[..., 0], diff[..., 1]
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        s = x * x
        s += y * y
        out = np.sqrt(s)
        edge = ~((s > 1e-300) & (s < 1e300))
    if edge.any():
        out[edge] = np.hypot(x[edge], y[edge])
    return out


def _rate(e, steps, floor, start) -> np.ndarray:
    """The rate of :meth:`Trajectory.rate` from distances e (steps + 1, runs)."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        above = e > floor * e[0]
        # the last index above the floor, from the end (-1 where never): no index array of e's size
        k1 = np.where(above.any(axis=0), e.shape[0] - 1 - np.argmax(above[::-1], axis=0), -1)
        k0 = np.minimum(k1, steps) // 2 if start is None else np.minimum(start, np.maximum(k1 - 1, 0))
        # landed: the error left the floor behind right after k1, before the window k0..k1 opened
        end = np.where((k1 <= k0) & (k1 >= 0) & (k1 < steps), k1 + 1, np.maximum(k1, 0))
        k0 = np.maximum(k0, 0)
        e0 = np.take_along_axis(e, k0[None], axis=0)[0]
        e1 = np.take_along_axis(e, end[None], axis=0)[0]
        r = (e1 / e0) ** (1.0 / np.maximum(end - k0, 1))
    return np.where((k1 < 0) | (steps == 0), np.nan, r)


def _gradient(problem, draws, noise, batch_size, seed):
    """The gradient the update rule sees: the problem's own, or a fresh minibatch's, plus Gaussian noise.

    Randomness is drawn per start point (``draws`` = the start's batch shape), not per run: runs that differ
    only in their hyperparameters see the same minibatches and the same noise (common random numbers), so
    a sweep over step sizes shows what the step size changes, not a different draw of the noise. Runs
    that should be independent get start points of their own, e.g. ``np.broadcast_to(start, (20, 2))``.
    """
    if batch_size is not None and not problem.has_minibatches:
        raise ValueError(f"batch_size needs a problem made of examples (least squares, a network's loss); "
                         f"{problem!r} has a single exact gradient")
    b = None if batch_size is None else _validate.batch_size("batch_size", batch_size, problem.n)
    rng = np.random.default_rng(_validate.seed("seed", seed))
    noisy = bool(np.any(np.asarray(noise) > 0))
    if b is None or b == problem.n:
        exact = unguarded(problem, "grad")
    elif not noisy and isinstance(seed, (int, np.integer)):
        # the same draws as below, kept for the next run with this seed (a re-run sweep draws nothing)
        grad_on, next_batch = unguarded(problem, "grad_on"), minibatch_source(problem.n, b, draws, int(seed))

        def exact(q):
            return grad_on(q, next_batch())
    else:
        grad_on = unguarded(problem, "grad_on")

        def exact(q):
            return grad_on(q, draw_minibatches(rng, problem.n, b, draws))
    if not noisy:
        return exact
    sigma = np.asarray(noise, dtype=float)[..., None]

    def with_noise(q):
        return exact(q) + sigma * rng.standard_normal(draws + q.shape[-1:])

    return with_noise
