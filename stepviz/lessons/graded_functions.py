"""Two functions learners write only in the graded problem sets, checked like the update rules of rule_check:
a cosine schedule, ``cosine_lr(t, lr, total, lr_min)``, against stepviz's ``cosine``, and a least-squares minibatch
gradient, ``minibatch_grad(theta, x, y, idx)``, against ``LeastSquares.grad_on``. Each check shows the first case
that differs with both results and names a catalogued mistake (:data:`COSINE_MISTAKES`, :data:`GRADIENT_MISTAKES`)
when the learner's results are that mistake's; the ``*_more`` checks are the hidden cases. Never raises.
"""
from __future__ import annotations

import numpy as np

from .. import _validate
from ..optim.schedules import cosine
from ..problems.least_squares import LeastSquares
from .feedback import feedback

def close(a, b) -> bool:
    with np.errstate(invalid="ignore"):
        return a.shape == b.shape and bool(np.all(np.isclose(a, b, rtol=1e-7, atol=1e-12)
                                                  | (np.isnan(a) & np.isnan(b))))


def as_array(out, shape):
    """The learner's return value as a float array of ``shape``, or a message saying what it was."""
    if out is None:
        return "your function returns None: complete it so that it returns its result"
    try:
        arr = np.asarray(out, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return f"your function should return numbers; it returned {_validate.show(out)}"
    if arr.shape != shape:
        return f"your function should return shape {shape}; it returned shape {arr.shape}"
    return arr


def call(fn, args, shape):
    try:
        with np.errstate(all="ignore"):
            out = fn(*args)
    except Exception as exc:  # the learner's code: report it, never raise
        return f"your function raised {type(exc).__name__}: {exc}"
    return as_array(out, shape)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _compare(fn, cases, reference, catalogue, right: str, on_error: str = "") -> bool:
    """Feedback on ``fn`` against ``reference`` on every case (args, description); the first case that
    differs is shown with both results, and a catalogued mistake that gives the same result is named."""
    if not callable(fn):
        return feedback(False, "", f"Pass your function itself; got {_validate.show(fn)}.")
    for args, where in cases:
        want = np.asarray(reference(*args), dtype=float)
        got = call(fn, args, want.shape)
        if isinstance(got, str):
            return feedback(False, "", f"{capital(got)} ({where}). {on_error}".strip())
        if close(got, want):
            continue
        named = [hint for _, wrong, hint in catalogue
                 if not isinstance(mine := call(wrong, args, want.shape), str) and close(mine, got)]
        hint = named[0] if named else "Compare your code with the formula line by line."
        return feedback(False, "", f"{capital(where)}: yours {np.array2string(got, precision=6)}, stepviz "
                                   f"{np.array2string(want, precision=6)}. {hint}")
    return feedback(True, right, "")


# The cosine schedule: cosine_lr(t, lr, total, lr_min) -> alpha_t, for a whole number t or an array of them.

def _cos(t, lr, total, lr_min, *, half=True, pi=True, clamp=True, floor=True, plus=True, period=0):
    tt = np.minimum(t, total + period) if clamp else t
    angle = (np.pi if pi else 1.0) * tt / (total + period)
    lo = lr_min if floor else 0.0
    return lo + (lr - lo) * ((1 + np.cos(angle)) if plus else (1 - np.cos(angle))) / (2 if half else 1)


def _cosine_variant(**kw):
    return lambda t, lr, total, lr_min: _cos(t, lr, total, lr_min, **kw)


COSINE_MISTAKES = [
    ("no clamp", _cosine_variant(clamp=False),
     "After `total` steps the step size stays at lr_min: use min(t, total) in the angle (np.minimum for arrays)."),
    ("no one half", _cosine_variant(half=False),
     "1 + cos(...) runs from 2 down to 0: halve it, so that α₀ = lr."),
    ("no pi", _cosine_variant(pi=False), "The angle runs from 0 to π: cos(π t / total), not cos(t / total)."),
    ("lr_min ignored", _cosine_variant(floor=False),
     "The schedule falls to lr_min, not to 0: α_t = lr_min + (lr − lr_min)(1 + cos(π t / total)) / 2."),
    ("one minus cos", _cosine_variant(plus=False),
     "The schedule starts at lr and falls: (1 + cos(π t / total)) / 2 is 1 at t = 0, (1 − cos) rises from 0."),
    ("total minus one", _cosine_variant(period=-1),
     "lr_min is reached at t = total: the angle is π t / total, not π t / (total − 1)."),
]
_COSINE_CASES = ((0.1, 40, 0.0), (0.5, 25, 0.02))


def _cosine_reference(t, lr, total, lr_min):
    return cosine(lr, total, lr_min)(t)


def check_cosine_schedule(fn) -> bool:
    """Does ``fn(t, lr, total, lr_min)`` give stepviz's cosine schedule at every t = 0, 1, ..., total + 10?"""
    cases = [((t, lr, total, lr_min), f"at t = {t} with lr={lr:g}, total={total}, lr_min={lr_min:g}")
             for lr, total, lr_min in _COSINE_CASES for t in range(total + 11)]
    return _compare(fn, cases, _cosine_reference, COSINE_MISTAKES,
                    "Your cosine schedule matches stepviz's sv.cosine at every step, and after `total`.")


def check_cosine_schedule_more(fn) -> bool:
    cases = [((np.arange(total + 20), lr, total, lr_min),
              f"for the array t = np.arange({total + 20}) with lr={lr:g}, total={total}, lr_min={lr_min:g}")
             for lr, total, lr_min in ((0.2, 60, 0.01), (0.05, 7, 0.05), (1.0, 1, 0.0))]
    return _compare(fn, cases, _cosine_reference, COSINE_MISTAKES,
                    "Your schedule also works on arrays of iteration counts, as stepviz calls it.",
                    on_error="stepviz calls a schedule on arrays of t as well: use np.minimum and np.cos, "
                             "not min and math.cos.")


# The minibatch gradient of least squares: minibatch_grad(theta, x, y, idx) -> (dJ/da, dJ/db) on the batch idx.

def _lsq(theta, x, y, idx, *, batch=True, scale="mean", sign=1.0, intercept_input=1):
    xb, yb = (x[idx], y[idx]) if batch else (x, y)
    r = sign * (theta[0] * xb + theta[1] - yb)
    g = np.array([np.sum(r * xb), np.sum(r * (xb if intercept_input == "x" else 1.0))])
    return g / {"mean": len(xb), "sum": 1.0, "n": len(x), "twice": len(xb) / 2}[scale]


def _gradient_variant(**kw):
    return lambda theta, x, y, idx: _lsq(np.asarray(theta, dtype=float), x, y, np.asarray(idx), **kw)


GRADIENT_MISTAKES = [
    ("sum, not mean", _gradient_variant(scale="sum"), "Average over the minibatch: divide the sum by b = len(idx)."),
    ("divided by n", _gradient_variant(scale="n"),
     "Divide by the batch size b = len(idx), not by n = len(x): the minibatch gradient is a mean over the batch."),
    ("whole data set", _gradient_variant(batch=False), "Use only the examples of the minibatch: x[idx] and y[idx]."),
    ("residual sign", _gradient_variant(sign=-1.0),
     "The residual is prediction minus target, r = a x + b − y; with y − (a x + b) the gradient points "
     "downhill."),
    ("intercept input", _gradient_variant(intercept_input="x"),
     "The intercept's input is 1: its gradient is the mean residual, mean(r), not mean(r x)."),
    ("factor two", _gradient_variant(scale="twice"),
     "J is the mean of ½ r²: the gradient of ½ r² is r (x, 1), not 2 r (x, 1)."),
]


def _gradient_reference(theta, x, y, idx):
    return LeastSquares(x, y).grad_on(theta, idx)


def _gradient_cases(n, seed, batches, thetas):
    data = LeastSquares.synthetic(n=n, seed=seed)
    return [((np.array(theta, dtype=float), data.x, data.y, np.asarray(idx)),
             f"on {n} points, θ = {tuple(theta)}, the minibatch idx = {_validate.show(list(idx))}")
            for theta in thetas for idx in batches]


def check_minibatch_gradient(fn) -> bool:
    """Does ``fn(theta, x, y, idx)`` give the least-squares gradient on the minibatch idx, 1/b sum r_i (x_i, 1)?"""
    cases = _gradient_cases(50, 3, ([3, 17, 41], [7], list(range(10))), ((1.0, 0.0), (2.5, -1.5)))
    return _compare(fn, cases, _gradient_reference, GRADIENT_MISTAKES,
                    "Your minibatch gradient matches stepviz's LeastSquares.grad_on on every batch.")


def check_minibatch_gradient_more(fn) -> bool:
    rng = np.random.default_rng(1)
    cases = _gradient_cases(300, 8, (rng.choice(300, 32, replace=False), [5, 5, 9], np.arange(300)),
                            ((0.0, 0.0), (-3.0, 4.0)))
    return _compare(fn, cases, _gradient_reference, GRADIENT_MISTAKES,
                    "Your gradient also holds on a larger data set, with a repeated index and the full batch.")


__all__ = ["check_cosine_schedule", "check_cosine_schedule_more", "check_minibatch_gradient",
           "check_minibatch_gradient_more", "COSINE_MISTAKES", "GRADIENT_MISTAKES", "close", "as_array", "call",
           "capital"]
