"""Autograder tests for the graded problem sets (``assignments/``, run by nbgrader): the lessons' checks, raising.

An nbgrader test cell passes when it runs without an exception and writes nothing to stderr. The helpers here
turn a self-check's verdict into that. :func:`verdict` runs any check quietly and returns the line it would
print; :func:`expect` raises AssertionError with that line when the check says 'not yet', so a graded set
shows the same named hint as the self-check notebooks. :func:`expect_rule` checks a function the learner
wrote: an update rule with the notebooks' own rule check (:func:`rule_check.check_rule`), or one of the two
functions learners write only in the graded sets (graded_functions: a cosine schedule and a least-squares
minibatch gradient). :func:`expect_rule_more` holds the hidden cases (other problems, other hyperparameters, longer parameter
vectors, arrays of iteration counts). :func:`mistakes` lists the catalogued mistakes of each function, from
which the course's sample submissions are generated (assignments/samples.py).
"""
from __future__ import annotations

import contextlib
import io
import textwrap
from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..optim.rules import make_optimizer
from ..problems.surfaces import Rosenbrock, Saddle
from . import graded_functions as graded
from . import rule_check
from .feedback import NOT_YET, feedback, guard, not_a_number, parse_bool, parse_number, parse_vector
from .graded_functions import as_array, capital, close


@dataclass(frozen=True)
class Verdict:
    """What a check decided: ``ok``, and the line it printed ('Correct. ...' or 'Not yet. <hint>')."""

    ok: bool
    message: str


def verdict(check, *args, **kwargs) -> Verdict:
    """Run ``check(*args, **kwargs)`` (any self-check; it never raises) without printing; return its verdict."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ok = guard(check)(*args, **kwargs)
    return Verdict(bool(ok), out.getvalue().strip())


def _fail(message: str):
    """Raise the verdict, wrapped to lines of at most 88 characters: tracebacks are shown unwrapped (in
    JupyterLab and in nbgrader's feedback pages), and the hint is at the end of the line."""
    __tracebackhide__ = True
    text = message if message.startswith(NOT_YET) else f"{NOT_YET} {message}"
    raise AssertionError(textwrap.fill(text, width=88, break_long_words=False, break_on_hyphens=False))


def expect(check, *args, **kwargs) -> None:
    """An autograder test: print the check's 'Correct. ...' line, or raise AssertionError with its 'Not yet. <hint>'."""
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
        arrays = [as_array(a, theta.shape) for a in parts] if len(parts) == 1 + len(spec.state) else \
            [f"your step should return {spec.signature.split('-> ')[1]}"]
        bad = [a for a in arrays if isinstance(a, str)]
        if bad:
            if "shape" in bad[0]:
                bad[0] += ": write it with whole-array operations, so that it works on vectors of any length"
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


#: Hidden cases of the update rules, with hyperparameters the visible check does not use: a bowl in six
#: coordinates (the rule must work elementwise, on parameter vectors of any length; its gradients have both
#: signs), the saddle, and Rosenbrock from another start.
_CURVATURES, _TARGET = np.geomspace(0.5, 20.0, 6), np.linspace(-1.0, 1.0, 6)
_START = np.array([2.0, -2.0, 2.5, -1.5, 2.0, -2.5])
MORE_HYPERPARAMETERS = {
    "GD": dict(lr=0.04),
    "Momentum": dict(lr=0.02, momentum=0.7),
    "Nesterov": dict(lr=0.02, momentum=0.7),
    "RMSprop": dict(lr=0.02, rho=0.8, eps=1e-6),
    "Adam": dict(lr=0.05, beta1=0.8, beta2=0.99, eps=1e-6),
}
MORE_ROSENBROCK = {
    "GD": dict(lr=8e-4),
    "Momentum": dict(lr=3e-4, momentum=0.85),
    "Nesterov": dict(lr=3e-4, momentum=0.85),
    "RMSprop": dict(lr=5e-3, rho=0.95, eps=1e-8),
    "Adam": dict(lr=0.02, beta1=0.85, beta2=0.995, eps=1e-8),
}
MORE_STEPS = 30


def _rule_cases(rule: str):
    def shown(hp):
        return ", ".join(f"{k}={v:g}" for k, v in hp.items())

    hp, rosen = MORE_HYPERPARAMETERS[rule], MORE_ROSENBROCK[rule]
    return [(lambda p: _CURVATURES * (p - _TARGET), _START, hp,
             f"a bowl in 6 coordinates (curvatures 0.5 to 20) with {shown(hp)}"),
            (Saddle().grad, np.array([1.5, 1e-3]), hp, f"the saddle from (1.5, 0.001) with {shown(hp)}"),
            (Rosenbrock().grad, np.array([-1.0, 1.5]), rosen, f"Rosenbrock from (-1, 1.5) with {shown(rosen)}")]


def _named(rule: str, grad, start, hp, mine, problem) -> list:
    """The hints of the catalogued mistakes that give the learner's iterates (and stop where they stop)."""
    hints = []
    for _, wrong, hint in rule_check.MISTAKES.get(rule, []):
        path, stopped = _rule_path(wrong, rule, grad, start, hp, MORE_STEPS)
        if close(path, mine) and stopped == problem:
            hints.append(hint)
    return hints


def _rule_more(step, rule: str) -> bool:
    if not callable(step):
        return feedback(False, "", f"Pass your function itself; got {_validate.show(step)}.")
    for grad, start, hp, where in _rule_cases(rule):
        mine, problem = _rule_path(step, rule, grad, start, hp, MORE_STEPS)
        named = _named(rule, grad, start, hp, mine, problem) if problem is not None else []
        if problem is not None:
            return feedback(False, "", f"{capital(problem)}, on {where}. {named[0] if named else ''}".strip())
        ref = _reference_path(rule, grad, start, hp, MORE_STEPS)
        same = [close(a, b) for a, b in zip(mine, ref)]
        if all(same):
            continue
        k = same.index(False)
        named = _named(rule, grad, start, hp, mine, None)
        hint = named[0] if named else (f"Compare each line with the formula of {rule}: every operation must act "
                                       "coordinate by coordinate, on arrays of any length.")
        yours, theirs = (np.array2string(x[k], precision=6) for x in (mine, ref))
        return feedback(False, "", f"Step {k} differs on {where}: yours θ = {yours}, stepviz θ = {theirs}. {hint}")
    return feedback(True, f"Your {rule} also matches stepviz in 6 coordinates, on the saddle and on Rosenbrock.", "")


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
            "cosine": LearnerFunction(graded.check_cosine_schedule, graded.check_cosine_schedule_more,
                                      tuple(graded.COSINE_MISTAKES)),
            "minibatch gradient": LearnerFunction(graded.check_minibatch_gradient,
                                                  graded.check_minibatch_gradient_more,
                                                  tuple(graded.GRADIENT_MISTAKES))}


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
           "expect_rule", "expect_rule_more", "mistakes", "mistake", "kinds", "LearnerFunction"]
