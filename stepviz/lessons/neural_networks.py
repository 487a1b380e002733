"""Lesson 11, neural networks (11_neural_networks.ipynb): the spirals and the network, the step sizes of the
sweep, the optimizers compared, a step size read off the range test, held-out data (validation and test sets),
and grid against random search of momentum's (alpha, gamma) on the validation loss."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..engine import run
from ..optim.rules import GD, Adam, Momentum
from ..problems.mlp import MLP, NetworkLoss, spirals
from .feedback import feedback, parse_number

#: The data set and the network of 11 and 12: two spirals of 200 points, an MLP 2-16-16-1.
N_POINTS, SIZES, SEED = 200, (2, 16, 16, 1), 0
#: The six step sizes of the sweep.
SWEEP_LRS = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
#: Seeds of the held-out sets: the validation set (to choose with) and the test set (to report on).
VALIDATION_SEED, TEST_SEED = 1, 2


def network_loss(activation: str = "tanh") -> NetworkLoss:
    """The cross-entropy of the seeded MLP on the seeded spirals, a problem sv.run can train."""
    X, y = spirals(n=N_POINTS, seed=SEED)
    return NetworkLoss(MLP(SIZES, activation=activation, seed=SEED), X, y)


def held_out_spirals(n: int = 2000, noise: float = 0.05, seed: int = VALIDATION_SEED):
    """``n`` fresh points from the distribution the training spirals sample: a class k in {0, 1} (half each,
    shuffled), t uniform in [0.1, 1], the point t (cos phi, sin phi) with phi = 2 pi t + k pi, plus Gaussian
    noise of standard deviation ``noise``. (The training set, ``problems.mlp.spirals``, spaces t evenly over
    the same interval: a stratified sample of the same distribution.) Returns X (n, 2) and y (n,)."""
    n = _validate.integer("n", n, low=2, high=100_000, why="held-out examples")
    rng = np.random.default_rng(_validate.seed("seed", seed))
    y = rng.permutation(np.repeat([0, 1], [n // 2, n - n // 2]))
    t = rng.uniform(0.1, 1.0, n)
    phi = 2 * np.pi * t + np.pi * y
    X = np.stack([t * np.cos(phi), t * np.sin(phi)], -1) + noise * rng.standard_normal((n, 2))
    return X, y


def validation_loss(seed: int = VALIDATION_SEED, activation: str = "tanh") -> NetworkLoss:
    """The loss of :func:`network_loss`'s network on held-out spirals (``seed`` VALIDATION_SEED or TEST_SEED):
    the same theta, data it is never trained on."""
    X, y = held_out_spirals(seed=seed)
    return NetworkLoss(MLP(SIZES, activation=activation, seed=SEED), X, y)


def nudged_starts(count: int = 4, scale: float = 1e-12, seed: int = 0) -> np.ndarray:
    """``count`` copies of the network's start, each weight moved by ``scale`` times a standard normal number:
    runs from them show which features of a run are the step size's and which are chance."""
    start = network_loss().start
    rng = np.random.default_rng(seed)
    return start + scale * rng.standard_normal((count, start.size))


def optimizer_runs() -> dict:
    """The comparison of 11: each optimizer at a step size that works for it, by label."""
    return {"GD, α = 1": GD(1.0), "Momentum, α = 0.1, γ = 0.9": Momentum(0.1, momentum=0.9),
            "Adam, α = 0.03": Adam(0.03)}


# --- choosing a step size --------------------------------------------------------------------------------
def _trained(trajectory) -> np.ndarray:
    """Per run of a sweep: did it train? Final accuracy >= 95 % and, over its last 200 steps, a loss below the
    start's (no thrashing). The sweep's own criterion for the range-test pick."""
    acc = trajectory.problem.accuracy(trajectory.points[-1])
    calm = np.all(trajectory.losses[-200:] < trajectory.losses[0], axis=0)
    return (acc >= 0.95) & calm


def _sweep_reading(sweep, x, side):
    """'α = a ends at loss l (p % accuracy)' for the sweep's run nearest to x on ``side`` ('below', 'above',
    'near'), or '' without a sweep."""
    try:
        lrs = np.ravel(sweep.lrs[0])
        final = np.ravel(sweep.losses[-1])
        acc = np.ravel(sweep.problem.accuracy(sweep.points[-1]))
    except Exception:  # no sweep, or not a network's
        return ""
    pick = {"below": lrs <= x, "above": lrs >= x, "near": np.ones(lrs.size, bool)}[side]
    if not pick.any():
        pick = np.ones(lrs.size, bool)
    i = np.flatnonzero(pick)[np.argmin(np.abs(np.log(lrs[pick] / x)))]
    return (f"in the sweep, α = {lrs[i]:g} ends at loss {final[i]:.2g} ({100 * acc[i]:g} % accuracy) "
            f"after {sweep.steps} steps")


def check_range_test_pick(answer, rt, sweep=None) -> bool:
    """A step size read off a range test ``rt`` (stepviz.lr_range_test on a NetworkLoss), judged as the sweep
    of the notebook judges it: accepted from min_lr / 20 up to min_lr, the range test's lowest point (the
    sweep's runs there all train); below, training is slow; above, there is no margin before the blow-up.
    ``sweep``: the notebook's sweep (a batched Trajectory), quoted as evidence in the feedback."""
    try:
        lo, best, blow = rt.min_lr / 20, rt.min_lr, rt.blowup_lr
    except AttributeError:
        return feedback(False, "", "Pass the range test result as the second argument: "
                                   "check_range_test_pick(my_lr, rt).")
    if not np.isfinite(best):  # the loss blew up at once: there is no lowest point to read a step size off
        return feedback(False, "", "This range test found no lowest loss before the blow-up (its min_lr is nan): "
                                   "run it from a smaller lr_min, then read the step size off the curve.")
    x = parse_number(answer)
    if x is None or x <= 0:
        return feedback(False, "", f"Your answer should be a step size > 0, e.g. 0.5; got {answer!r}.")
    if x > best:
        where = (f"past the range test's blow-up at {blow:.3g}" if np.isfinite(blow) and x >= blow else
                 f"beyond the range test's lowest point ({best:.3g}), with no margin before its blow-up"
                 + (f" at {blow:.3g}" if np.isfinite(blow) else ""))
        seen = _sweep_reading(sweep, x, "above")
        return feedback(False, "", f"α = {x:.3g} is {where}{f'; {seen}' if seen else ''}. During a run the "
                                   f"curvature changes: step back below the lowest point, by a factor of 1.5 to 10.")
    if x < lo:
        seen = _sweep_reading(sweep, x, "below")
        return feedback(False, "", f"α = {x:.3g} is safe but slow{f': {seen}' if seen else ''}. The range test's loss "
                                   f"is lowest at {best:.3g}: take about a tenth of that, or more.")
    seen = _sweep_reading(sweep, x, "near")
    return feedback(True, f"α = {x:.3g} sits {best / x:.1f}x below the range test's lowest point ({best:.3g})"
                          f"{f'; {seen}' if seen else ''}.", "")


# --- held-out data ---------------------------------------------------------------------------------------
#: A stopping step is accepted where the validation loss is within this factor of its lowest value.
STOP_BAND = 1.05


def stopping_band(validation_losses) -> tuple:
    """(best step, first step, last step) of a run's validation losses (one per step): the step of the lowest,
    and the stretch around it where the loss stays within STOP_BAND of the lowest."""
    val = np.asarray(validation_losses, dtype=float)
    best = int(np.nanargmin(val))
    near = val <= STOP_BAND * val[best]
    first, last = best, best
    while first > 0 and near[first - 1]:
        first -= 1
    while last + 1 < val.size and near[last + 1]:
        last += 1
    return best, first, last


def check_stopping_step(answer, curves) -> bool:
    """At which step would you stop a run, judged on held-out data? ``curves``: the run's (training losses,
    validation losses), one of each per step. Accepted: any step where the validation loss is within 5 % of its
    lowest. The mistake named: the last step, where the *training* loss is lowest."""
    try:
        train, val = (np.asarray(c, dtype=float) for c in curves)
        if train.shape != val.shape or val.ndim != 1 or val.size < 2 or not np.isfinite(val).all():
            raise ValueError
        best, first, last = stopping_band(val)
    except Exception:
        return feedback(False, "", "Pass the run's two curves: check_stopping_step(my_step, curves[label]), "
                                   "curves[label] = (training losses, validation losses).")
    steps = val.size - 1
    x = parse_number(answer)
    if x is None or x != int(x) or not 0 <= x <= steps:
        return feedback(False, "", f"Your answer should be a step, a whole number from 0 to {steps}; got {answer!r}.")
    k = int(x)
    where = f"its lowest, {val[best]:.3g}, is at step {best}"
    if first <= k <= last:
        return feedback(True, f"at step {k} the validation loss is {val[k]:.3g}; {where}. Stopping where the held-out "
                              f"loss is lowest is early stopping: the number of steps, like α, is chosen on held-out "
                              f"data.", "")
    if k == int(np.argmin(train)):
        return feedback(False, "", f"Step {k} is where the *training* loss is lowest. The validation loss there is "
                                   f"{val[k]:.3g}, {100 * (val[k] / val[best] - 1):.0f} % above its lowest: read the "
                                   f"dashed curve.")
    side = "still falling" if k < first else "already rising"
    return feedback(False, "", f"At step {k} the validation loss ({val[k]:.3g}) is {side}: find the bottom of the "
                               f"dashed curve.")


# --- grid or random search -------------------------------------------------------------------------------
#: Momentum's (alpha, gamma) searched on the validation loss: 16 runs of 500 steps each, alpha from 0.01 to 1
#: and 1 - gamma from 1 to 0.01 (gamma from 0 to 0.99), both on log scales.
SEARCH_RUNS, SEARCH_STEPS = 16, 500
SEARCH_LR, SEARCH_ONE_MINUS_GAMMA = (0.01, 1.0), (0.01, 1.0)


@dataclass(eq=False)
class Search:
    """One search: the settings tried, the loss of each trained network on the training and on the validation
    data (inf where a run diverged), and the final parameters."""

    kind: str
    lrs: np.ndarray
    momenta: np.ndarray
    train: np.ndarray
    validation: np.ndarray
    final: np.ndarray

    @property
    def effective(self) -> np.ndarray:
        """The effective step alpha / (1 - gamma) of each setting (lesson 06)."""
        return self.lrs / (1 - self.momenta)

    @property
    def best(self) -> int:
        """The index of the setting with the lowest validation loss."""
        return int(np.argmin(self.validation))


def search_settings(kind: str, runs: int = SEARCH_RUNS, seed: int = 0):
    """(lrs, momenta) of a search with ``runs`` settings: 'grid', a square grid, even on the log scales of alpha
    and 1 - gamma, or 'random', each setting drawn log-uniformly on the same ranges."""
    kind = _validate.choice("kind", kind, ("grid", "random"))
    (a0, a1), (m0, m1) = SEARCH_LR, SEARCH_ONE_MINUS_GAMMA
    if kind == "grid":
        side = int(round(runs ** 0.5))
        if side * side != runs:
            raise ValueError(f"a grid search needs a square number of runs (4, 9, 16, ...); got runs={runs}")
        lrs, one_minus = np.meshgrid(np.geomspace(a0, a1, side), np.geomspace(m1, m0, side))
        return lrs.ravel(), 1 - one_minus.ravel()
    rng = np.random.default_rng(_validate.seed("seed", seed))
    lrs = 10 ** rng.uniform(np.log10(a0), np.log10(a1), runs)
    return lrs, 1 - 10 ** rng.uniform(np.log10(m0), np.log10(m1), runs)


def momentum_search(kind: str, runs: int = SEARCH_RUNS, seed: int = 0, steps: int = SEARCH_STEPS) -> Search:
    """Train one network per setting of :func:`search_settings` with Momentum (one batched run) and score it on
    the validation set."""
    lrs, momenta = search_settings(kind, runs, seed)
    tr = run(Momentum(lrs, momentum=momenta), network_loss(), steps=steps)
    with np.errstate(all="ignore"):
        val = validation_loss().value(tr.points[-1])
    finite = ~tr.diverged & np.isfinite(val)
    return Search(kind, lrs, momenta, np.where(finite, tr.losses[-1], np.inf), np.where(finite, val, np.inf),
                  tr.points[-1])


__all__ = ["check_range_test_pick", "check_stopping_step"]
