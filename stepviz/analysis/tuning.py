"""Choosing a step size: grid search, the learning-rate range test, backtracking line search.

Three answers to "which alpha?", each with its price in gradient evaluations:

- :func:`grid_search` runs the whole log grid of step sizes as one batched :func:`~stepviz.run` and keeps
  the lowest final loss; ``refine`` adds coarse-to-fine rounds around the best.
- :func:`lr_range_test` (Smith 2017) runs *one* trajectory whose step size grows exponentially every step
  and reads a step size off the loss-versus-alpha curve.
- :class:`~stepviz.optim.line_search.Backtracking` chooses the step anew at every iteration (it is an update
  rule, in :mod:`stepviz.optim`); it pays in function evaluations instead of in tuning runs.

Both work on any problem: a surface, least squares, a network's loss.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import _validate
from .._memory import CHUNK_BYTES
from ..engine import MAX_STEPS, Trajectory, check_memory, memory_needed, run, trajectory_bytes
from ..optim.rules import OPTIMIZERS, Optimizer, optimizer_class
from ..optim.schedules import Schedule
from ..problems.base import Problem
from ..problems.surfaces import get_surface

#: Offset of the range test's log grid, (sqrt(5) - 1) / 2: irrational, so no step size lands exactly on a
#: round number such as 0.1 (see :func:`lr_range_test`).
_OFFSET = (5 ** 0.5 - 1) / 2
_TINY = np.finfo(float).tiny
#: Most refinement rounds of a grid search (each round narrows the bracket by about a grid spacing).
MAX_REFINE = 20


def _factory(optimizer, surface, hyperparameters: dict):
    """A function lr -> Optimizer from a name, an Optimizer class or a factory function."""
    if "lr" in hyperparameters:
        raise TypeError("lr is the quantity being tuned; pass the step sizes as lrs (or lr_min, lr_max), not lr=")
    if isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a name such as 'GD' or a class such as GD, not an instance "
                        f"({optimizer!r}): the step size is set by the search")
    if isinstance(optimizer, str):
        cls = optimizer_class(optimizer)
    elif isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        cls = optimizer
    elif callable(optimizer):
        def make(lr):
            opt = optimizer(lr=lr, **hyperparameters)
            if not isinstance(opt, Optimizer):
                raise TypeError(f"optimizer factory {optimizer!r} must return a stepviz Optimizer; got {opt!r}")
            return opt
        return make
    else:
        raise TypeError(f"optimizer must be a name ({', '.join(OPTIMIZERS)}), an Optimizer class or a "
                        f"function lr -> Optimizer; got {optimizer!r}")
    allowed = set(cls.hyperparameter_names) | ({"surface"} if cls.evaluates_the_problem else set())
    unknown = sorted(set(hyperparameters) - allowed)
    if unknown:
        raise TypeError(f"{cls.__name__} takes no hyperparameter {unknown[0]!r}; "
                        f"its hyperparameters are: {', '.join(cls.hyperparameter_names)}")
    arrays = [k for k, v in hyperparameters.items() if k != "surface" and not callable(v) and _is_array(v)]
    if arrays:
        raise ValueError(f"the other hyperparameters must be single numbers, not arrays (the search makes the "
                         f"batch of step sizes); got {arrays[0]}={_validate.show(hyperparameters[arrays[0]])}")
    if cls.evaluates_the_problem and "surface" not in hyperparameters:
        return lambda lr: cls(surface, lr=lr, **hyperparameters)
    return lambda lr: cls(lr=lr, **hyperparameters)


def _is_array(value) -> bool:
    try:
        return np.ndim(value) != 0
    except (TypeError, ValueError):  # a ragged list
        return True


def as_problem(problem) -> Problem:
    """A problem, or a surface from its name."""
    return problem if isinstance(problem, Problem) else get_surface(problem)


def _start(problem, start) -> np.ndarray:
    start = problem.start if start is None else _validate.points("start", start, dim=problem.dim)
    if start.shape != (problem.dim,):
        raise ValueError(f"start must be a single point of shape ({problem.dim},); got shape {start.shape}")
    return start


def _single(opt, shape) -> Optimizer:
    """``opt`` if its batch is exactly the step sizes being searched (other hyperparameters scalar)."""
    try:
        ok = opt.batch_shape == shape
    except ValueError:  # array hyperparameters that do not even broadcast
        ok = False
    if not ok:
        raise ValueError(f"the other hyperparameters must be single numbers, not arrays; got {opt!r}")
    return opt


@dataclass(eq=False)
class GridRound:
    """One round of :func:`grid_search`: its step sizes, their final losses and the batched Trajectory."""

    lrs: np.ndarray
    final_losses: np.ndarray
    trajectory: Trajectory = field(repr=False)


@dataclass(eq=False)
class GridSearchResult:
    """The result of :func:`grid_search`.

    Attributes:
        lrs: every step size tried, all rounds merged, ascending.
        final_losses: the loss after the last step for each of ``lrs``; +inf where the run diverged.
        best_lr: the step size with the lowest final loss (nan if every run diverged).
        best_loss: that final loss (+inf if every run diverged).
        rounds: the rounds, coarse first; ``rounds[i].trajectory`` is round i's batched Trajectory.
        grad_evals: gradient evaluations spent, all runs of all rounds (runs x steps for GD and friends).
        value_evals: function evaluations spent by the optimizer itself (0 except for Backtracking).
    """

    lrs: np.ndarray
    final_losses: np.ndarray
    best_lr: float
    best_loss: float
    rounds: tuple = field(repr=False)
    grad_evals: int = 0
    value_evals: int = 0

    def __repr__(self):
        return (f"GridSearchResult(best_lr={self.best_lr:.4g}, best_loss={self.best_loss:.3g}, "
                f"{self.lrs.size} step sizes in {len(self.rounds)} round(s), grad_evals={self.grad_evals})")

    @property
    def trajectory(self) -> Trajectory:
        """The batched Trajectory of the last round (of the only round without ``refine``)."""
        return self.rounds[-1].trajectory

    @property
    def best_trajectory(self) -> Trajectory:
        """The single run with the best step size."""
        for r in self.rounds:
            hit = np.flatnonzero(r.lrs == self.best_lr)
            if hit.size:
                return r.trajectory[int(hit[0])]
        raise ValueError("every run diverged: there is no best trajectory")


def grid_search(optimizer, surface, lrs=None, steps=100, start=None, *, refine=0, refine_points=None,
                noise=0.0, batch_size=None, seed=None, **hyperparameters) -> GridSearchResult:
    r"""Try every step size of a (log) grid and keep the one with the lowest final loss.

    .. code-block:: text

        round 0:  run all alpha in lrs at once (one batched run), score = loss after `steps` steps
        round r:  best = argmin score over everything tried so far
                  new grid = refine_points log-spaced step sizes strictly between the two tried
                             neighbours of best (one grid spacing beyond it at an edge of the grid)
        answer:   argmin of the score over all rounds; diverged runs score +inf; ties (several runs
                  reaching exactly 0, say) go to the lowest mean log-loss over the run, the fastest

    The cost is len(lrs) x steps gradient evaluations per round, whatever the answer.

    Args:
        optimizer: a name ('GD', 'Momentum', ...), an Optimizer class (GD, :class:`Backtracking`, ...) or a
            function lr -> Optimizer. Other hyperparameters go in ``**hyperparameters`` as single numbers.
        surface: any problem (a surface, least squares, a network's loss) or a surface's name ('bowl',
            'rosenbrock', 'saddle').
        lrs: step sizes > 0 to try, 1-D (default: ``np.geomspace(1e-4, 10, 26)``, 5 per decade).
        steps: steps per run, >= 1 (default: 100).
        start: one start point (default: ``surface.start``).
        refine: number of coarse-to-fine rounds after the first, from 0 to 20 (default: 0). The rounds
            together take at most 100,000 steps ((refine + 1) x steps), and each round's batched run fits
            run()'s memory limit.
        refine_points: step sizes per refinement round, >= 1 (default: None, as many as in ``lrs``).
        noise, batch_size, seed: gradient noise, minibatch size and their seed, passed to
            :func:`~stepviz.run` (default: 0.0, None, None).
    """
    surface = as_problem(surface)
    make = _factory(optimizer, surface, hyperparameters)
    lrs = np.geomspace(1e-4, 10.0, 26) if lrs is None else np.atleast_1d(_validate.positive("lrs", lrs))
    if lrs.ndim != 1 or lrs.size == 0:
        raise ValueError(f"lrs must be a non-empty 1-D array of step sizes > 0; got shape {lrs.shape}")
    steps = _validate.integer("steps", steps, low=1, high=MAX_STEPS, why=f"a run takes at most {MAX_STEPS:,} steps")
    start = _start(surface, start)
    refine = _validate.integer("refine", refine, low=0, high=MAX_REFINE,
                               why=f"at most {MAX_REFINE} refinement rounds")
    refine_points = lrs.size if refine_points is None else _validate.integer("refine_points", refine_points, low=1)
    if refine and np.unique(lrs).size < 2:
        raise ValueError(f"refine needs at least 2 different step sizes in lrs to know the grid spacing; got "
                         f"lrs={_validate.show(lrs)}")
    if (refine + 1) * steps > MAX_STEPS:
        raise ValueError(f"refine={refine} with steps={steps:,} runs {refine + 1} rounds x {steps:,} steps = "
                         f"{(refine + 1) * steps:,} steps in all; a grid search takes at most {MAX_STEPS:,}: "
                         f"fewer refinement rounds or fewer steps")
    _check_rounds(steps, np.unique(lrs).size, refine, refine_points, start.shape[-1])

    rounds, grid, grad_evals, value_evals = [], np.unique(lrs), 0, 0
    tried, scores, ties = np.empty(0), np.empty(0), np.empty(0)
    for r in range(refine + 1):
        opt = _single(make(grid), grid.shape)
        traj = run(opt, surface, start, steps, noise=noise, batch_size=batch_size, seed=seed)
        grad_evals += traj.grad_evals
        value_evals += int(np.sum(traj.state.get("value_evals", 0)))
        score = np.where(traj.diverged, np.inf, traj.final_loss)
        with np.errstate(all="ignore"):  # tie-break: mean log-loss, i.e. how fast the loss fell
            tie = np.where(traj.diverged, np.inf, _mean_log(traj.losses))
        rounds.append(GridRound(grid, score, traj))
        tried, scores, ties = (np.concatenate(a) for a in ((tried, grid), (scores, score), (ties, tie)))
        order = np.argsort(tried, kind="stable")
        tried, scores, ties = tried[order], scores[order], ties[order]
        i = int(np.lexsort((ties, scores))[0])
        if r == refine or not np.isfinite(scores[i]):
            break
        lo = tried[i - 1] if i > 0 else tried[0] ** 2 / tried[1]
        hi = tried[i + 1] if i + 1 < tried.size else tried[-1] ** 2 / tried[-2]
        grid = np.geomspace(lo, hi, refine_points + 2)[1:-1]
    best = bool(np.isfinite(scores[i]))
    return GridSearchResult(tried, scores, float(tried[i]) if best else float("nan"), float(scores[i]),
                            tuple(rounds), grad_evals, value_evals)


def _check_rounds(steps, first, refine, refine_points, dim):
    """A ValueError before any run when every round's trajectory (all are kept in the result) and the
    working copies of the largest round would not fit MEMORY_BUDGET."""
    sizes = [first] + [refine_points] * refine
    need = sum(trajectory_bytes(steps, (k,), dim, lr_runs=0) for k in sizes) + \
        memory_needed(0, (max(sizes),), dim, lr_runs=0) - trajectory_bytes(0, (max(sizes),), dim, lr_runs=0)
    check_memory(need, f"grid_search of {' + '.join(f'{k:,}' for k in sizes)} step sizes x {steps:,} steps (every "
                       f"round's trajectory is kept)", "try fewer step sizes, fewer steps or fewer refinement rounds")


def _mean_log(losses) -> np.ndarray:
    """The mean over steps of log(max(loss, tiny)) per run, a block of steps at a time (no temporary of the
    losses' size)."""
    n = int(np.prod(losses.shape[1:]))
    rows = max(1, CHUNK_BYTES // (16 * max(1, n)))
    acc = np.zeros(losses.shape[1:])
    for t in range(0, losses.shape[0], rows):
        acc += np.log(np.maximum(losses[t:t + rows], _TINY)).sum(axis=0)
    return acc / losses.shape[0]


@dataclass(eq=False)
class RangeTestResult:
    """The result of :func:`lr_range_test`.

    Attributes:
        lrs: (steps,) the step size of each step, growing exponentially from lr_min to lr_max.
        losses: (steps,) the loss *after* the step taken with ``lrs[t]`` (NaN once the run diverged).
        smoothed: (steps,) the losses after exponential smoothing (equal to ``losses`` for smooth=0).
        suggested_lr: the suggestion of ``rule`` (nan if the loss blew up at once).
        rule: 'minimum' or 'steepest', the rule behind the suggestion.
        min_lr: the step size at the lowest smoothed loss before the blow-up.
        blowup_lr, blowup_step: where the smoothed loss first exceeded stop_factor x its running minimum
            (or stopped being finite); nan and -1 if it never did.
        trajectory: the single run.
        grad_evals: gradient evaluations spent (= steps).
    """

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    suggested_lr: float
    rule: str
    min_lr: float
    blowup_lr: float
    blowup_step: int
    trajectory: Trajectory = field(repr=False)
    grad_evals: int = 0


    def __repr__(self):
        return (f"RangeTestResult(suggested_lr={self.suggested_lr:.4g} (rule {self.rule!r}), "
                f"min_lr={self.min_lr:.4g}, blowup_lr={self.blowup_lr:.4g}, grad_evals={self.grad_evals})")


def _range_test_arguments(lr_min, lr_max, steps, divisor, stop_factor):
    """The checked arguments of a range test."""
    lr_min = _validate.positive("lr_min", lr_min, example="1e-5")
    lr_max = _validate.positive("lr_max", lr_max, example="10.0")
    if np.ndim(lr_min) or np.ndim(lr_max) or not lr_min < lr_max:
        raise ValueError(f"lr_min and lr_max must be single numbers with lr_min < lr_max; "
                         f"got lr_min={lr_min!r}, lr_max={lr_max!r}")
    steps = _validate.integer("steps", steps, low=2, high=MAX_STEPS,
                              why=f"one step per step size; a run takes at most {MAX_STEPS:,} steps")
    with np.errstate(over="ignore"):
        ratio = lr_max / lr_min
    if not np.isfinite(ratio):
        raise ValueError(f"lr_min={lr_min:g} and lr_max={lr_max:g} are too far apart (lr_max / lr_min "
                         f"overflows a float): narrow the range, e.g. lr_min=1e-6, lr_max=10")
    divisor = _validate.number("divisor", divisor, low=1.0, scalar=True,
                               allowed="a finite number >= 1 (for example 10)")
    stop_factor = float(_validate.number("stop_factor", stop_factor, low=1.0, low_open=True,
                                         allowed="a finite number > 1 (for example 4.0)", scalar=True))
    return lr_min, lr_max, steps, divisor, stop_factor


def _blowup_index(losses, first_loss, stop_factor) -> int:
    """First index where the loss is not finite or above stop_factor x its running minimum (which
    includes ``first_loss``, the loss before the first step); len(losses) if it never blows up."""
    with np.errstate(invalid="ignore", over="ignore"):
        running = np.minimum(np.fmin.accumulate(losses), first_loss)
        blown = ~np.isfinite(losses) | (losses > stop_factor * running)
    return int(np.argmax(blown)) if blown.any() else len(losses)


def lr_range_test(optimizer, surface, lr_min=1e-5, lr_max=10.0, steps=100, start=None, *, rule="minimum",
                  divisor=10.0, stop_factor=4.0, smooth=0.0, noise=0.0, batch_size=None, seed=None,
                  **hyperparameters) -> RangeTestResult:
    r"""The learning-rate range test (Smith 2017; fast.ai's ``lr_find``): one run, a growing step size.

    .. code-block:: text

        alpha_t = lr_min (lr_max / lr_min)^((t + 0.618) / steps),  t = 0 .. steps - 1   (one step each)
        l_t     = loss after step t;  s_t = EMA of l_t with factor `smooth`, bias-corrected
        blow-up = first t with s_t > stop_factor * min(loss_0, s_0 .. s_t), or s_t not finite
        rule 'minimum':  suggestion = alpha at min s_t before the blow-up, divided by `divisor`
        rule 'steepest': suggestion = alpha where d log s / d log alpha is most negative before it

    Why 'minimum' / 10 is the default: the loss keeps falling for a while after alpha passes the edge of
    stability (on a bowl 2/L), because the unstable direction must first grow back from where the small
    steps left it. The minimum of the curve therefore lies *beyond* the largest stable step, and a tenth of
    it lands safely below. 'steepest' is often closer to the edge and, on badly conditioned bowls, can lie
    beyond it: the loss falls fastest just before it turns up.

    Why the grid is offset by 0.618 (so alpha_0 is a little above lr_min and the last step a little below
    lr_max): with round end points the grid can hit a step of exactly 1/L, which on a bowl wipes out the
    stiff direction to rounding error; the instability then stays invisible until far past 2/L and the
    suggestion lands beyond the edge. An irrational offset keeps every alpha_t off such round numbers.

    Args:
        optimizer: a name ('GD', 'Adam', ...), an Optimizer class or a function lr -> Optimizer; other
            hyperparameters as single numbers in ``**hyperparameters``.
        surface: any problem (a surface, least squares, a network's loss) or a surface's name ('bowl',
            'rosenbrock', 'saddle').
        lr_min: the first step size, > 0 (default: 1e-5).
        lr_max: the last step size, > lr_min (default: 10.0).
        steps: number of steps, one per step size, from 2 to 100,000 (default: 100).
        start: one start point (default: ``surface.start``).
        rule: 'minimum' or 'steepest' (default: 'minimum').
        divisor: the 'minimum' rule divides by this, >= 1 (default: 10.0).
        stop_factor: how far above its running minimum the loss counts as blown up, > 1 (default: 4.0).
        smooth: EMA factor in [0, 1); 0 uses the raw losses, right for exact gradients; with ``noise`` try
            0.9 (default: 0.0).
        noise, batch_size, seed: gradient noise, minibatch size and their seed, passed to
            :func:`~stepviz.run` (default: 0.0, None, None).
    """
    surface = as_problem(surface)
    make = _factory(optimizer, surface, hyperparameters)
    lr_min, lr_max, steps, divisor, stop_factor = _range_test_arguments(lr_min, lr_max, steps, divisor, stop_factor)
    start = _start(surface, start)
    rule = _validate.choice("rule", rule, ("minimum", "steepest"))
    smooth = float(_validate.unit_interval("smooth", smooth, example="0.9", scalar=True))
    noise = _validate.non_negative("noise", noise, example="0.1", scalar=True)  # one run: one noise level

    ratio = lr_max / lr_min
    schedule = Schedule(lambda t: lr_min * ratio ** ((t + _OFFSET) / steps), "range_test",
                        lr_min=lr_min, lr_max=lr_max)
    opt = _single(make(schedule), ())
    traj = run(opt, surface, start, steps, noise=noise, batch_size=batch_size, seed=seed)
    with np.errstate(over="ignore"):  # a huge lr_max: the last step sizes may overflow, as the run did
        lrs, losses = np.asarray(schedule(np.arange(steps))), traj.losses[1:]

    smoothed, avg = np.empty(steps), 0.0
    with np.errstate(all="ignore"):
        for t in range(steps):
            avg = smooth * avg + (1 - smooth) * losses[t]
            smoothed[t] = avg / (1 - smooth ** (t + 1))
    stop = _blowup_index(smoothed, traj.losses[0], stop_factor)
    nan = float("nan")
    if stop == 0:
        suggested = min_lr = nan
    else:
        min_lr = float(lrs[int(np.argmin(smoothed[:stop]))])
        if rule == "minimum":
            suggested = min_lr / divisor
        elif stop >= 2:
            slope = np.gradient(np.log(np.maximum(smoothed[:stop], _TINY)), np.log(lrs[:stop]))
            suggested = float(lrs[int(np.argmin(slope))])
        else:
            suggested = nan
    return RangeTestResult(lrs, losses, smoothed, suggested, rule, min_lr,
                           float(lrs[stop]) if stop < steps else nan, stop if stop < steps else -1,
                           traj, traj.grad_evals)


def step_counts(lrs) -> dict:
    """{step size: how many steps took it}, sorted by step size, as plain Python numbers: e.g. what a
    :class:`~stepviz.optim.line_search.Backtracking` run accepted, ``step_counts(trajectory.lrs)``."""
    values, counts = np.unique(np.asarray(lrs, dtype=float).reshape(-1), return_counts=True)
    return {float(v): int(c) for v, c in zip(values, counts)}
