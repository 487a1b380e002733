"""Autograder tests for the graded problem sets (``assignments/``, run by nbgrader): the lessons' checks, raising.

An nbgrader test cell passes when it runs without an exception and writes nothing to stderr. The helpers here
turn a self-check's verdict into that. :func:`verdict` runs any check quietly and returns the line it would
print; :func:`expect` raises AssertionError with that line when the check says 'not yet', so a graded set
shows the same named hint as the self-check notebooks. :func:`expect_rule` checks a function the learner
wrote: an update rule with the notebooks' own rule check (:func:`rule_check.check_rule`), or one of the two
functions learners write only in the graded sets, a cosine schedule and a least-squares minibatch gradient.
:func:`expect_rule_more` holds the hidden cases (other problems, other hyperparameters, longer parameter
vectors, arrays of iteration counts). :func:`mistakes` lists the catalogued mistakes of each function, from
which the course's sample submissions are generated (assignments/samples.py).
"""
from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..optim.rules import make_optimizer
from ..optim.schedules import cosine
from ..problems.least_squares import LeastSquares
from ..problems.surfaces import Saddle
from . import rule_check
from .feedback import feedback, guard, not_a_number, parse_bool, parse_number, parse_vector


@dataclass(frozen=True)
class Verdict:
    """What a check decided: ``ok``, and the line it printed ('✅ Correct. ...' or '❌ Not yet. <hint>')."""

    ok: bool
    message: str


def verdict(check, *args, **kwargs) -> Verdict:
    """Run ``check(*args, **kwargs)`` (any self-check; it never raises) without printing; return its verdict."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ok = guard(check)(*args, **kwargs)
    return Verdict(bool(ok), out.getvalue().strip())


def _fail(message: str):
    raise AssertionError(message if message.startswith("❌") else f"❌ Not yet. {message}")


def expect(check, *args, **kwargs) -> None:
    """An autograder test: print the check's ✅ line, or raise AssertionError with its '❌ Not yet. <hint>'."""
    __tracebackhide__ = True  # IPython leaves this frame out of the traceback the learner reads
    result = verdict(check, *args, **kwargs)
    if not result.ok:
        _fail(result.message)
    print(result.message)


# --- visible tests of an answer's form (the hidden tests check its value) ----------------------------------

def expect_number(answer) -> None:
    """The answer is one finite number (not None, not text)."""
    __tracebackhide__ = True
    if parse_number(answer) is None:
        _fail(f"Your answer should be a number ({not_a_number(answer)}); got {_validate.show(answer)}.")


def expect_numbers(answer, n: int = 2) -> None:
    """The answer is ``n`` finite numbers, e.g. a point [θ₁, θ₂]."""
    __tracebackhide__ = True
    if parse_vector(answer, n) is None:
        _fail(f"Your answer should be {n} numbers, e.g. [0.5, -1.0]; got {_validate.show(answer)}.")


def expect_bool(answer) -> None:
    """The answer is True or False."""
    __tracebackhide__ = True
    if parse_bool(answer) is None:
        _fail(f"Answer True or False; got {_validate.show(answer)}.")


def expect_choice(answer, choices) -> None:
    """The answer is one of ``choices`` (text, compared without case and surrounding spaces)."""
    __tracebackhide__ = True
    names = {str(c).lower() for c in choices}
    if not isinstance(answer, str) or answer.strip().lower() not in names:
        _fail(f"Answer with one of {', '.join(repr(c) for c in choices)}; got {_validate.show(answer)}.")


# --- functions learners write: the visible check, the hidden cases, the catalogued mistakes -----------------

def _close(a, b) -> bool:
    with np.errstate(invalid="ignore"):
        return a.shape == b.shape and bool(np.all(np.isclose(a, b, rtol=1e-7, atol=1e-12)
                                                  | (np.isnan(a) & np.isnan(b))))


def _as_array(out, shape):
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


def _call(fn, args, shape):
    try:
        with np.errstate(all="ignore"):
            out = fn(*args)
    except Exception as exc:  # the learner's code: report it, never raise
        return f"your function raised {type(exc).__name__}: {exc}"
    return _as_array(out, shape)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _compare(fn, cases, reference, catalogue, right: str, on_error: str = "") -> bool:
    """Feedback on ``fn`` against ``reference`` on every case (args, description); the first case that
    differs is shown with both results, and a catalogued mistake that gives the same result is named."""
    if not callable(fn):
        return feedback(False, "", f"Pass your function itself; got {_validate.show(fn)}.")
    for args, where in cases:
        want = np.asarray(reference(*args), dtype=float)
        got = _call(fn, args, want.shape)
        if isinstance(got, str):
            return feedback(False, "", f"{_capital(got)} ({where}). {on_error}".strip())
        if _close(got, want):
            continue
        named = [hint for _, wrong, hint in catalogue
                 if not isinstance(mine := _call(wrong, args, want.shape), str) and _close(mine, got)]
        hint = named[0] if named else "Compare your code with the formula line by line."
        return feedback(False, "", f"{_capital(where)}: yours {np.array2string(got, precision=6)}, stepviz "
                                   f"{np.array2string(want, precision=6)}. {hint}")
    return feedback(True, right, "")


def _rule_path(step, rule: str, grad, start, hp, steps: int):
    """The learner's iterates of ``rule`` from ``start`` (any length), or a message if it stopped."""
    spec = rule_check.RULES[rule]
    theta = np.array(start, dtype=float)
    state = [np.zeros_like(theta) for _ in spec.state]
    path = [theta]
    for t in range(steps):
        try:
            with np.errstate(all="ignore"):
                out = spec.call(step, theta.copy(), [s.copy() for s in state], t + 1, grad, hp)
        except Exception as exc:  # the learner's code
            return np.array(path), f"your step raised {type(exc).__name__} at step {t + 1}: {exc}"
        parts = out if isinstance(out, tuple) else (out,)
        arrays = [_as_array(a, theta.shape) for a in parts] if len(parts) == 1 + len(spec.state) else \
            [f"your step should return {spec.signature.split('-> ')[1]}"]
        bad = [a for a in arrays if isinstance(a, str)]
        if bad:
            if "shape" in bad[0]:
                bad[0] += ": write it with whole-array operations, so that it works on parameter vectors of any length"
            return np.array(path), f"{bad[0]} (at step {t + 1})"
        theta, state = arrays[0], arrays[1:]
        path.append(theta)
    return np.array(path), None


def _reference_path(rule: str, grad, start, hp, steps: int):
    opt = make_optimizer(rule, **hp)
    p = np.array(start, dtype=float)
    state, path = opt.init(p), [p]
    for t in range(steps):
        p, state = opt.step(p, grad, state, t)
        path.append(p)
    return np.array(path)


#: Hidden cases of the update rules: a bowl in six coordinates (the rule must work elementwise, on
#: parameter vectors of any length) and the saddle, with hyperparameters the visible check does not use.
_CURVATURES, _TARGET = np.geomspace(0.5, 20.0, 6), np.linspace(-1.0, 1.0, 6)
MORE_HYPERPARAMETERS = {
    "GD": dict(lr=0.04),
    "Momentum": dict(lr=0.02, momentum=0.7),
    "Nesterov": dict(lr=0.02, momentum=0.7),
    "RMSprop": dict(lr=0.02, rho=0.8, eps=1e-6),
    "Adam": dict(lr=0.05, beta1=0.8, beta2=0.99, eps=1e-6),
}
MORE_STEPS = 30


def _rule_cases(rule: str):
    hp = MORE_HYPERPARAMETERS[rule]
    hps = ", ".join(f"{k}={v:g}" for k, v in hp.items())
    return [(lambda p: _CURVATURES * (p - _TARGET), np.full(6, 2.0), hp,
             f"a bowl in 6 coordinates (curvatures 0.5 to 20) with {hps}"),
            (Saddle().grad, np.array([1.5, 1e-3]), hp, f"the saddle from (1.5, 0.001) with {hps}")]


def _rule_more(step, rule: str) -> bool:
    if not callable(step):
        return feedback(False, "", f"Pass your function itself; got {_validate.show(step)}.")
    for grad, start, hp, where in _rule_cases(rule):
        mine, problem = _rule_path(step, rule, grad, start, hp, MORE_STEPS)
        if problem is not None:
            return feedback(False, "", f"{_capital(problem)}, on {where}.")
        ref = _reference_path(rule, grad, start, hp, MORE_STEPS)
        same = [_close(a, b) for a, b in zip(mine, ref)]
        if all(same):
            continue
        k = same.index(False)
        named = [hint for _, wrong, hint in rule_check.MISTAKES.get(rule, [])
                 if _close(_rule_path(wrong, rule, grad, start, hp, MORE_STEPS)[0], mine)]
        hint = named[0] if named else (f"Compare each line with the formula of {rule}: every operation must act "
                                       "coordinate by coordinate, on arrays of any length.")
        return feedback(False, "", f"Step {k} differs on {where}: yours θ = {np.array2string(mine[k], precision=6)}, "
                                   f"stepviz θ = {np.array2string(ref[k], precision=6)}. {hint}")
    return feedback(True, f"Your {rule} also matches stepviz in 6 coordinates and on the saddle.", "")


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


def _cosine_more(fn) -> bool:
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
     "The residual is prediction minus target, r = a x + b − y; with y − (a x + b) the gradient points downhill."),
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


def _gradient_more(fn) -> bool:
    rng = np.random.default_rng(1)
    cases = _gradient_cases(300, 8, (rng.choice(300, 32, replace=False), [5, 5, 9], np.arange(300)),
                            ((0.0, 0.0), (-3.0, 4.0)))
    return _compare(fn, cases, _gradient_reference, GRADIENT_MISTAKES,
                    "Your gradient also holds on a larger data set, with a repeated index and the full batch.")


@dataclass(frozen=True)
class LearnerFunction:
    """A function learners write: its visible check, its hidden cases and its catalogued mistakes
    (name, a function that makes the mistake, the hint that names it)."""

    check: object
    more: object
    mistakes: tuple


def _functions() -> dict:
    rules = {rule: LearnerFunction(lambda fn, rule=rule: rule_check.check_rule(fn, rule),
                                   lambda fn, rule=rule: _rule_more(fn, rule),
                                   tuple(rule_check.MISTAKES.get(rule, ()))) for rule in rule_check.RULES}
    return {**rules,
            "cosine": LearnerFunction(check_cosine_schedule, _cosine_more, tuple(COSINE_MISTAKES)),
            "minibatch gradient": LearnerFunction(check_minibatch_gradient, _gradient_more, tuple(GRADIENT_MISTAKES))}


def _function(kind: str) -> LearnerFunction:
    functions = _functions()
    if kind not in functions:
        raise ValueError(f"kind must be one of {', '.join(map(repr, functions))}; got {_validate.show(kind)}")
    return functions[kind]


def expect_rule(fn, kind: str) -> None:
    """Visible test: ``fn`` implements ``kind`` (an update rule 'GD', 'Momentum', ..., 'cosine' or
    'minibatch gradient'), with the hint that names a typical mistake."""
    __tracebackhide__ = True
    expect(_function(kind).check, fn)


def expect_rule_more(fn, kind: str) -> None:
    """Hidden test: ``fn`` implements ``kind`` on more cases (other problems, hyperparameters, shapes)."""
    __tracebackhide__ = True
    expect(_function(kind).more, fn)


def mistakes(kind: str) -> tuple:
    """The catalogued mistakes of ``kind``: (name, a function with the learner's signature that makes it, hint)."""
    return _function(kind).mistakes


def mistake(kind: str, name: str):
    """The function that makes the catalogued mistake ``name`` of ``kind`` (it has the learner's signature)."""
    found = [fn for mistake_name, fn, _ in mistakes(kind) if mistake_name == name]
    if not found:
        raise ValueError(f"{kind!r} has no catalogued mistake {name!r}; it has {[m[0] for m in mistakes(kind)]}")
    return found[0]


def kinds() -> tuple:
    """Every kind of function learners write in the graded sets."""
    return tuple(_functions())


__all__ = ["Verdict", "verdict", "expect", "expect_number", "expect_numbers", "expect_bool", "expect_choice",
           "expect_rule", "expect_rule_more", "mistakes", "mistake", "kinds", "check_cosine_schedule",
           "check_minibatch_gradient", "COSINE_MISTAKES", "GRADIENT_MISTAKES", "LearnerFunction"]
