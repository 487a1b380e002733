"""Lesson 05, schedules: the four schedules of the notebook, which one reaches the tolerance first, iterations
versus epochs, and warmup."""
from __future__ import annotations

import numpy as np

from ..analysis.stochastic import steps_to_tolerance
from ..engine import run
from ..optim.rules import GD
from ..optim.schedules import by_epoch, constant, cosine, exponential, inverse_time, step_decay, warmup
from ..problems.surfaces import Saddle, Surface
from .feedback import feedback, parse_vector

#: Every schedule of the notebook starts at ALPHA0 and runs STEPS steps on the bowl (mu = 1, L = 10).
ALPHA0, STEPS = 0.1, 300
BOWL_CURVATURES = (1.0, 10.0)
#: The noisy comparison: gradient noise, the tolerance, how many runs are averaged.
NOISE, TOL, REPEATS = 1.0, 1e-2, 50
#: The explorer's controls shown first, the rest behind 'more controls':
#: Try this moves the decay and switches the schedule.
EXPLORER_FIRST = ("decay", "schedule")


def schedules(alpha0=ALPHA0, steps=STEPS) -> dict:
    """The notebook's five step-size rules, by name."""
    return {"constant": constant(alpha0),
            "inverse_time": inverse_time(alpha0, decay=0.05),
            "step_decay": step_decay(alpha0, factor=0.5, every=50),
            "exponential": exponential(alpha0, gamma=0.99),
            "cosine": cosine(alpha0, total=steps)}


#: The epoch example: n examples in minibatches of b, the 1/t schedule with a decay of DECAY per epoch.
EPOCH_EXAMPLE = dict(n=1000, batch_size=50, decay=0.5)
#: The warmup demo on notebook 03's saddle surface: the start, where the local limit is 0.20, the peak step,
#: the warmup length, the safe constant step, and the run length.
WARMUP_START = (1.5, 1.9)
WARMUP_PEAK, WARMUP_STEPS, SAFE_LR, WARMUP_RUN = 0.9, 10, 0.2, 60


def warmup_runs() -> dict:
    """The three runs of the warmup demo, {label: Trajectory}: the peak step from the start, the step that is
    safe at the start, and the peak step reached by a linear warmup."""
    surface, start = Saddle(), np.array(WARMUP_START)
    rules = {f"constant α = {WARMUP_PEAK:g}": WARMUP_PEAK,
             f"constant α = {SAFE_LR:g}": SAFE_LR,
             f"warmup to {WARMUP_PEAK:g} over {WARMUP_STEPS} steps": warmup(WARMUP_PEAK, WARMUP_STEPS)}
    return {label: run(GD(lr=lr), surface, start, WARMUP_RUN) for label, lr in rules.items()}


def check_epoch(answer, n_examples, batch_size, decay_per_epoch) -> bool:
    """Is ``answer`` [iterations per epoch, decay per iteration]: n / b, and the decay per iteration that gives
    the per-epoch 1/t schedule's step at the first iteration of every epoch, decay_per_epoch / (n / b)?"""
    try:
        per_epoch = float(n_examples) / float(batch_size)
        decay = float(decay_per_epoch) / per_epoch
    except Exception:
        return feedback(False, "", "The check needs numbers n_examples, batch_size and decay_per_epoch.")
    x = parse_vector(answer, 2)
    if x is None:
        return feedback(False, "", f"Answer with two numbers, [iterations per epoch, decay per iteration]; got {answer!r}.")
    iters_ok = abs(x[0] - per_epoch) <= 1e-9 * per_epoch
    decay_ok = abs(x[1] - decay) <= 1e-3 * decay
    if iters_ok and decay_ok:
        return feedback(True, f"{n_examples:g} / {batch_size:g} = {per_epoch:g} iterations per epoch, and "
                              f"{decay_per_epoch:g} / {per_epoch:g} = {decay:.4g} per iteration.", "")
    if not iters_ok:
        hint = ("An epoch is one pass over the data: n examples in minibatches of b take n / b iterations."
                if abs(x[0] - float(n_examples) * float(batch_size)) > 1e-9 else
                "n × b is not it: each iteration uses b examples, so one pass takes n / b iterations.")
    elif abs(x[1] - float(decay_per_epoch) * per_epoch) <= 1e-3 * float(decay_per_epoch) * per_epoch:
        hint = "Per iteration the decay is smaller: the epoch count grows 1/(n/b) per iteration, so divide by n / b."
    else:
        hint = "epoch = t / (n/b), so decay · epoch = (decay / (n/b)) · t: divide the decay by the iterations per epoch."
    return feedback(False, "", hint)


def check_fastest_schedule(answer, schedules: dict, surface, tol, steps=300, *, start=None, noise=0.0,
                           seed=0, repeats=1) -> bool:
    """Is ``answer`` the label (a key of ``schedules``) of the schedule whose GD run stays within
    loss - f* <= tol from the earliest step on (the mean over ``repeats`` noisy runs when repeats > 1)?"""
    try:
        if not isinstance(surface, Surface) or not isinstance(schedules, dict) or not schedules:
            raise TypeError("expected a non-empty dict and a stepviz Surface")
        reached = steps_to_tolerance(schedules, surface, tol, steps, start=start, noise=noise, seed=seed,
                                     repeats=repeats)
    except Exception as exc:
        return feedback(False, "", f"The check needs a dict label -> schedule and a stepviz surface ({exc}).")
    hit = {k: v for k, v in reached.items() if v >= 0}
    table = ", ".join(f"{k}: {f'from {v}' if v >= 0 else 'never'}" for k, v in reached.items())
    if not hit:
        return feedback(False, "", f"None of these stays below {tol:g} by the end of {steps} steps ({table}).")
    best = min(hit.values())
    winners = [k for k, v in hit.items() if v == best]
    labels = {str(k).strip().lower(): k for k in schedules}
    key = labels.get(answer.strip().lower()) if isinstance(answer, str) else None
    if key is None:
        return feedback(False, "", f"Answer with one of the names {', '.join(repr(k) for k in schedules)}; "
                                   f"got {answer!r}.")
    if key in winners:
        return feedback(True, f"{key!r} stays below {tol:g} first, from step {best} on (where each stays below "
                              f"the tolerance: {table}).", "")
    mine = reached[key]
    why = (f"{key!r} is never below {tol:g} for good within {steps} steps" if mine < 0
           else f"{key!r} stays below it from step {mine} on, but another schedule is sooner")
    return feedback(False, "", f"{why}. Look where each curve goes below the tolerance line and stays there.")


__all__ = ["check_fastest_schedule", "check_epoch"]
