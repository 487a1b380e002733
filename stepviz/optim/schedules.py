"""Step-size schedules: plain callables t -> alpha_t, t = 0, 1, 2, ... the iteration count.

Each accepts a scalar or an array ``t``; hyperparameters may be arrays that broadcast against ``t``.
Pass one as ``lr`` to any optimizer: ``GD(lr=inverse_time(0.1, decay=0.01))``.
"""
from __future__ import annotations

import numpy as np

from .. import _format, _validate


class Schedule:
    """A named callable t -> alpha_t with a readable repr, e.g. ``inverse_time(lr=0.1, decay=0.05)``."""

    def __init__(self, fn, name: str, **params):
        self._fn = fn
        self.name = name
        self.params = params

    def __call__(self, t):
        if type(t) is int and 0 <= t <= 2 ** 31:  # the engine's step count: nothing to check
            out = self._fn(t)
            return float(out) if np.ndim(out) == 0 else out
        t = np.asarray(_validate.number("t", t, low=0.0, allowed="an iteration count 0, 1, 2, ... (finite, >= 0) "
                                                            "or an array of them"))
        if t.ndim == 0:
            out = self._fn(t)
            return float(out) if np.ndim(out) == 0 else out
        return self._fn(t)

    def __repr__(self):
        args = ", ".join(f"{k}={_format.value(v)}" for k, v in self.params.items())
        return f"{self.name}({args})"


def constant(lr) -> Schedule:
    """alpha_t = lr."""
    lr = _validate.positive("lr", lr)
    return Schedule(lambda t: lr + 0.0 * t, "constant", lr=lr)


def inverse_time(lr, decay) -> Schedule:
    """alpha_t = lr / (1 + decay * t): the article's 1/t decay (decay = 0 is a constant step)."""
    lr = _validate.positive("lr", lr)
    decay = _validate.non_negative("decay", decay, example="0.01")
    return Schedule(lambda t: lr / (1 + decay * t), "inverse_time",
                    lr=lr, decay=decay)


def step_decay(lr, factor, every) -> Schedule:
    """alpha_t = lr * factor ** floor(t / every): multiply by ``factor`` every ``every`` steps."""
    lr = _validate.positive("lr", lr)
    factor = _validate.number("factor", factor, low=0.0, high=1.0, low_open=True,
                              allowed="a number in (0, 1] (for example 0.5)")
    every = _validate.integer("every", every, low=1)
    return Schedule(lambda t: lr * factor ** np.floor(t / every), "step_decay", lr=lr, factor=factor, every=every)


def exponential(lr, gamma) -> Schedule:
    """alpha_t = lr * gamma ** t."""
    lr = _validate.positive("lr", lr)
    gamma = _validate.number("gamma", gamma, low=0.0, high=1.0, low_open=True,
                             allowed="a number in (0, 1] (for example 0.99)")
    return Schedule(lambda t: lr * gamma ** t, "exponential", lr=lr, gamma=gamma)


def cosine(lr, total, lr_min=0.0) -> Schedule:
    """alpha_t = lr_min + (lr - lr_min) (1 + cos(pi min(t, total) / total)) / 2: from lr down to lr_min
    over ``total`` steps, then flat at lr_min."""
    lr = _validate.positive("lr", lr)
    total = _validate.integer("total", total, low=1)
    lr_min = _validate.non_negative("lr_min", lr_min)
    if np.any(np.asarray(lr_min) > np.asarray(lr)):
        raise ValueError(f"lr_min must be <= lr (the schedule decreases from lr to lr_min); got lr={lr}, lr_min={lr_min}")

    def fn(t):
        return lr_min + (lr - lr_min) * (1 + np.cos(np.pi * np.minimum(t, total) / total)) / 2

    return Schedule(fn, "cosine",
                    lr=lr, total=total, lr_min=lr_min)


def by_epoch(schedule, iterations_per_epoch) -> Schedule:
    """A schedule written per epoch, applied per iteration: alpha_t = schedule(floor(t / iterations_per_epoch)),
    a staircase that changes only when an epoch (one pass over the data, n / b iterations) ends."""
    n = int(iterations_per_epoch)
    if n < 1 or n != iterations_per_epoch:
        raise ValueError(f"iterations_per_epoch must be a whole number >= 1 (n / b); got {iterations_per_epoch!r}")
    return Schedule(lambda t: schedule(np.floor(t / n)), "by_epoch", schedule=schedule, iterations_per_epoch=n)


def warmup(schedule, steps) -> Schedule:
    """Linear warmup: alpha_t = schedule(t) * min(1, (t + 1) / steps), so the first step is schedule(0) / steps
    and from step ``steps - 1`` on the schedule runs unchanged. ``schedule`` may be a number (a constant step)."""
    w = int(steps)
    if w < 1 or w != steps:
        raise ValueError(f"steps must be a whole number >= 1; got {steps!r}")
    base = schedule if callable(schedule) else constant(schedule)
    return Schedule(lambda t: base(t) * np.minimum(1.0, (t + 1.0) / w), "warmup", schedule=base, steps=w)


#: The schedules by name, in the order the schedule explorer offers them.
SCHEDULE_KINDS = ("constant", "inverse_time", "step_decay", "exponential", "cosine")


def from_decay(kind: str, lr, decay, steps: int) -> Schedule:
    """The schedule ``kind`` driven by one ``decay`` knob (what the schedule explorer's slider sets):

    - 'constant': alpha_t = lr;  'inverse_time': lr / (1 + decay t);
    - 'exponential': lr exp(-decay t) (gamma = exp(-decay); the same slope at t = 0 as 1/t);
    - 'step_decay': halve every round(ln 2 / decay) steps (the half-life of 'exponential');
    - 'cosine': from lr down to 0 over ``steps`` steps (decay not used).
    decay = 0 gives a constant step for every kind but 'cosine'.
    """
    _validate.choice("schedule", kind, SCHEDULE_KINDS)
    if kind == "cosine":
        return cosine(lr, total=max(int(steps), 1))
    if kind == "constant" or decay == 0:
        return constant(lr)
    if kind == "inverse_time":
        return inverse_time(lr, decay)
    if kind == "exponential":
        return exponential(lr, float(np.exp(-decay)))
    return step_decay(lr, 0.5, max(1, int(round(np.log(2) / decay))))
