"""Check an update rule the learner wrote: run it step by step beside stepviz's own and name the mistake.

The learner completes a function such as ``step(theta, v, grad, lr, momentum)`` that returns the new
``(theta, v)``; ``grad`` is the gradient *function* (the learner calls ``grad(theta)``, or ``grad`` at a
look-ahead point for Nesterov). :func:`check_rule` feeds it a rotated bowl and Rosenbrock's valley, compares
every iterate with the matching stepviz optimizer, and reports the first step that differs with both
values. When the learner's iterates match one of the typical mistakes of :data:`MISTAKES` (a wrong sign,
the velocity updated after the move, the gradient taken at theta instead of the look-ahead, a missing bias
correction, eps inside the square root, ...), the hint names that mistake. It never raises: a half-written
function, one that returns None or raises, gets a "not yet" and a hint.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import run
from ..optim.rules import make_optimizer
from ..problems.surfaces import QuadraticBowl, Rosenbrock
from .feedback import feedback


@dataclass(frozen=True)
class Rule:
    """How a learner's step function for one update rule is called, and what it returns."""

    name: str
    state: tuple        # names of the state arrays, in the order the function takes and returns them
    params: tuple       # hyperparameter keywords
    counts_steps: bool  # called with k, the number of steps taken so far including this one (Adam)
    signature: str      # shown in messages

    def call(self, step, theta, state, k, grad, hp):
        args = [theta, *state] + ([k] if self.counts_steps else []) + [grad]
        return step(*args, **{p: hp[p] for p in self.params})


RULES = {
    "GD": Rule("GD", (), ("lr",), False, "step(theta, grad, lr) -> theta"),
    "Momentum": Rule("Momentum", ("v",), ("lr", "momentum"), False,
                     "step(theta, v, grad, lr, momentum) -> (theta, v)"),
    "Nesterov": Rule("Nesterov", ("v",), ("lr", "momentum"), False,
                     "step(theta, v, grad, lr, momentum) -> (theta, v)"),
    "RMSprop": Rule("RMSprop", ("s",), ("lr", "rho", "eps"), False,
                    "step(theta, s, grad, lr, rho, eps) -> (theta, s)"),
    "Adam": Rule("Adam", ("m", "s"), ("lr", "beta1", "beta2", "eps"), True,
                 "step(theta, m, s, k, grad, lr, beta1, beta2, eps) -> (theta, m, s)"),
}

#: The problems every rule is checked on, with hyperparameters that keep the runs stable and informative.
CASES = {
    "GD": [(QuadraticBowl((1.0, 10.0), angle=30.0), dict(lr=0.05)), (Rosenbrock(), dict(lr=1e-3))],
    "Momentum": [(QuadraticBowl((1.0, 10.0), angle=30.0), dict(lr=0.03, momentum=0.8)),
                 (Rosenbrock(), dict(lr=5e-4, momentum=0.9))],
    "Nesterov": [(QuadraticBowl((1.0, 10.0), angle=30.0), dict(lr=0.03, momentum=0.8)),
                 (Rosenbrock(), dict(lr=5e-4, momentum=0.9))],
    # a large eps on the bowl, so that where it sits (inside or outside the square root) shows in the iterates
    "RMSprop": [(QuadraticBowl((1.0, 10.0), angle=30.0), dict(lr=0.01, rho=0.9, eps=1e-3)),
                (Rosenbrock(), dict(lr=0.01, rho=0.9, eps=1e-8))],
    "Adam": [(QuadraticBowl((1.0, 10.0), angle=30.0), dict(lr=0.05, beta1=0.9, beta2=0.999, eps=1e-3)),
             (Rosenbrock(), dict(lr=0.02, beta1=0.9, beta2=0.999, eps=1e-8))],
}
STEPS = 25


# --- typical mistakes, each a complete (wrong) step function with the learner's signature ---------------

def _gd_uphill(theta, grad, lr):
    return theta + lr * grad(theta)


def _gd_no_lr(theta, grad, lr):
    return theta - grad(theta)


def _gd_step_only(theta, grad, lr):
    return -lr * grad(theta)


def _gd_unchanged(theta, grad, lr):
    return theta


def _hb_uphill(theta, v, grad, lr, momentum):
    v = momentum * v + lr * grad(theta)
    return theta + v, v


def _hb_move_first(theta, v, grad, lr, momentum):
    return theta - v, momentum * v + lr * grad(theta)


def _hb_no_memory(theta, v, grad, lr, momentum):
    v = lr * grad(theta)
    return theta - v, v


def _hb_average(theta, v, grad, lr, momentum):
    v = momentum * v + (1 - momentum) * lr * grad(theta)
    return theta - v, v


def _nag_at_theta(theta, v, grad, lr, momentum):
    v = momentum * v + lr * grad(theta)
    return theta - v, v


def _nag_lookahead_sign(theta, v, grad, lr, momentum):
    v = momentum * v + lr * grad(theta + momentum * v)
    return theta - v, v


def _nag_uphill(theta, v, grad, lr, momentum):
    v = momentum * v + lr * grad(theta - momentum * v)
    return theta + v, v


def _nag_move_first(theta, v, grad, lr, momentum):
    return theta - v, momentum * v + lr * grad(theta - momentum * v)


def _rms_eps_inside(theta, s, grad, lr, rho, eps):
    g = grad(theta)
    s = rho * s + (1 - rho) * g * g
    return theta - lr * g / np.sqrt(s + eps), s


def _rms_no_one_minus_rho(theta, s, grad, lr, rho, eps):
    g = grad(theta)
    s = rho * s + g * g
    return theta - lr * g / (np.sqrt(s) + eps), s


def _rms_no_sqrt(theta, s, grad, lr, rho, eps):
    g = grad(theta)
    s = rho * s + (1 - rho) * g * g
    return theta - lr * g / (s + eps), s


def _rms_old_s(theta, s, grad, lr, rho, eps):
    g = grad(theta)
    step = lr * g / (np.sqrt(s) + eps)
    return theta - step, rho * s + (1 - rho) * g * g


def _rms_uphill(theta, s, grad, lr, rho, eps):
    g = grad(theta)
    s = rho * s + (1 - rho) * g * g
    return theta + lr * g / (np.sqrt(s) + eps), s


def _adam(theta, m, s, k, grad, lr, beta1, beta2, eps, *, correct_m=True, correct_s=True, eps_inside=False,
          sqrt=True, sign=-1.0, k_shift=0):
    g = grad(theta)
    m = beta1 * m + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g * g
    kk = k + k_shift
    with np.errstate(divide="ignore", invalid="ignore"):
        m_hat = m / (1 - beta1 ** kk) if correct_m else m
        s_hat = s / (1 - beta2 ** kk) if correct_s else s
        scale = np.sqrt(s_hat + eps) if eps_inside else (np.sqrt(s_hat) + eps if sqrt else s_hat + eps)
        return theta + sign * lr * m_hat / scale, m, s


def _variant(**kw):
    return lambda theta, m, s, k, grad, lr, beta1, beta2, eps: _adam(theta, m, s, k, grad, lr, beta1, beta2, eps,
                                                                      **kw)


#: rule -> [(mistake, the step function that makes it, the hint that names it)]
MISTAKES = {
    "GD": [
        ("sign", _gd_uphill, "You stepped uphill: the gradient points up the slope, so subtract: θ − α∇J(θ)."),
        ("no step size", _gd_no_lr, "You forgot the step size: scale the gradient by α before subtracting it."),
        ("returns the step", _gd_step_only, "You returned the step −α∇J(θ); return the new point θ − α∇J(θ)."),
        ("no move", _gd_unchanged, "Your step returns θ unchanged: subtract α∇J(θ) (call grad(theta) for ∇J(θ))."),
    ],
    "Momentum": [
        ("sign", _hb_uphill, "You moved uphill: the velocity points up the slope, so θ ← θ − v."),
        ("order", _hb_move_first, "Order of the updates: first the velocity v ← γv + α∇J(θ), then the move "
                                  "θ ← θ − v with the NEW velocity (you moved with the old one)."),
        ("no memory", _hb_no_memory, "Your velocity forgets its past (that is plain GD): keep γ times the old "
                                     "velocity, v ← γv + α∇J(θ)."),
        ("average", _hb_average, "You averaged, v ← γv + (1 − γ)α∇J: the heavy ball sums, v ← γv + α∇J(θ) "
                                 "(there is no 1 − γ in front of the gradient)."),
    ],
    "Nesterov": [
        ("gradient at theta", _nag_at_theta, "You took the gradient at θ: that is heavy-ball momentum. Nesterov "
                                            "looks ahead first: v ← γv + α∇J(θ − γv)."),
        ("look-ahead sign", _nag_lookahead_sign, "The look-ahead point is θ − γv (where the momentum is about to "
                                                 "carry you), not θ + γv."),
        ("sign", _nag_uphill, "You moved uphill: θ ← θ − v."),
        ("order", _nag_move_first, "Order of the updates: first the new velocity, then the move θ ← θ − v with it."),
    ],
    "RMSprop": [
        ("eps inside the square root", _rms_eps_inside, "ε goes outside the square root: divide by √s + ε, not "
                                                         "√(s + ε)."),
        ("missing 1 - rho", _rms_no_one_minus_rho, "The average needs its weight: s ← ρs + (1 − ρ)g²."),
        ("no square root", _rms_no_sqrt, "Divide by the square root √s + ε (the RMS of the gradient), not by s."),
        ("old s", _rms_old_s, "Update s with this step's gradient first, then divide by √s + ε."),
        ("sign", _rms_uphill, "You moved uphill: θ ← θ − α g / (√s + ε)."),
    ],
    "Adam": [
        ("missing bias correction", _variant(correct_m=False, correct_s=False),
         "You skipped the bias correction: m̂ = m / (1 − β₁ᵏ) and ŝ = s / (1 − β₂ᵏ), k = steps so far."),
        ("bias correction of m only", _variant(correct_s=False),
         "Correct s too: ŝ = s / (1 − β₂ᵏ) (you corrected only m)."),
        ("bias correction of s only", _variant(correct_m=False),
         "Correct m too: m̂ = m / (1 − β₁ᵏ) (you corrected only s)."),
        ("eps inside the square root", _variant(eps_inside=True),
         "ε goes outside the square root: divide by √ŝ + ε, not √(ŝ + ε)."),
        ("no square root", _variant(sqrt=False), "Divide by √ŝ + ε, the square root of the corrected average."),
        ("k counted from 0", _variant(k_shift=-1),
         "k counts the steps taken so far including this one: k = 1 at the first step (1 − β¹ ≠ 0)."),
        ("sign", _variant(sign=1.0), "You moved uphill: θ ← θ − α m̂ / (√ŝ + ε)."),
    ],
}


def _as_output(rule: Rule, out):
    """The learner's return value as (theta, state arrays), or a message saying what was wrong."""
    want = 1 + len(rule.state)
    if out is None:
        return f"your step returns None: complete it so that it returns {rule.signature.split('-> ')[1]}."
    parts = (out,) if want == 1 and not isinstance(out, tuple) else out
    if not isinstance(parts, tuple) or len(parts) != want:
        return f"your step should return {rule.signature.split('-> ')[1]}; it returned {out!r:.80}."
    try:
        arrays = [np.asarray(a, dtype=float) for a in parts]
    except (TypeError, ValueError, OverflowError):
        return f"your step should return arrays of numbers; it returned {out!r:.80}."
    if any(a.shape != (2,) for a in arrays):
        return f"your step should return arrays of shape (2,) like theta; got shapes {[a.shape for a in arrays]}."
    return arrays[0], arrays[1:]


def _learner_path(step, rule: Rule, surface, hp, steps):
    """The learner's iterates (steps + 1, 2), possibly shorter, and a message if it stopped early."""
    theta = np.array(surface.start, dtype=float)
    state = [np.zeros(2) for _ in rule.state]
    path = [theta]
    for t in range(steps):
        try:
            with np.errstate(all="ignore"):
                out = rule.call(step, theta.copy(), [s.copy() for s in state], t + 1, surface.grad, hp)
        except Exception as exc:  # the learner's code: report it, never raise
            message = f"your step raised {type(exc).__name__} at step {t + 1}: {exc}"
            if isinstance(exc, TypeError) and ("function" in str(exc) or "method" in str(exc)):
                message = "grad is a function: call it, grad(theta), to get the gradient. Y" + message[1:]
            return np.array(path), message
        got = _as_output(rule, out)
        if isinstance(got, str):
            return np.array(path), got
        theta, state = got
        path.append(theta)
    return np.array(path), None


def _reference_path(rule: Rule, surface, hp, steps):
    return run(make_optimizer(rule.name, **hp), surface, surface.start, steps).points


def _same(a, b, rtol=1e-7):
    n = min(len(a), len(b))
    with np.errstate(invalid="ignore"):
        close = np.isclose(a[:n], b[:n], rtol=rtol, atol=1e-12) | (np.isnan(a[:n]) & np.isnan(b[:n]))
    return close.all(axis=-1)


def _mistake(rule: Rule, mine, surface, hp):
    """The catalogued mistake whose iterates the learner's reproduce, or None."""
    for name, wrong, hint in MISTAKES.get(rule.name, []):
        path, _ = _learner_path(wrong, rule, surface, hp, len(mine) - 1)
        if len(path) == len(mine) and _same(mine, path).all():
            return name, hint
    return None


def check_rule(step, rule: str) -> bool:
    """Does the learner's ``step`` function implement ``rule`` ('GD', 'Momentum', 'Nesterov', 'RMSprop',
    'Adam') exactly? Prints the verdict: the first step that differs from stepviz (on a rotated bowl and on
    Rosenbrock) with both values, and a hint naming the mistake when it is a typical one."""
    spec = RULES[rule]
    if not callable(step):
        return feedback(False, "", f"Pass your function itself: check(step), with {spec.signature}; got {step!r:.60}.")
    for surface, hp in CASES[rule]:
        mine, problem = _learner_path(step, spec, surface, hp, STEPS)
        ref = _reference_path(spec, surface, hp, STEPS)
        ok = _same(mine, ref)
        if problem is None and ok.all():
            continue
        k = int(np.argmin(ok)) if not ok.all() else len(mine)
        where = f"on {surface!r} with {', '.join(f'{p}={v:g}' for p, v in hp.items())}"
        if problem is not None and ok.all():
            return feedback(False, "", f"{problem} ({where}).")
        diff = (f"Step {k} differs {where}: yours θ = {np.array2string(mine[k], precision=6)}, "
                f"stepviz θ = {np.array2string(ref[k], precision=6)}.")
        named = _mistake(spec, mine, surface, hp)
        hint = named[1] if named else f"Compare each line with the formula of {rule}; the signature is {spec.signature}."
        return feedback(False, "", f"{diff} {hint}")
    return feedback(True, f"Your {rule} matches stepviz step for step on the bowl and on Rosenbrock ({STEPS} steps "
                          "each).", "")


__all__ = ["Rule", "RULES", "MISTAKES", "check_rule"]
