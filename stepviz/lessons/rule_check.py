"""Check an update rule the learner wrote: run it step by step beside stepviz's own and name the mistake.

The learner completes a function such as ``step(theta, v, grad, lr, momentum)`` that returns the new
``(theta, v)``; ``grad`` is the gradient *function* (the learner calls ``grad(theta)``, or ``grad`` at a
look-ahead point for Nesterov). :func:`check_rule` feeds it a rotated bowl and Rosenbrock's valley, compares
every iterate with the matching stepviz optimizer, and reports the first step that differs with both
values. When the learner's iterates match one of the typical mistakes of :data:`MISTAKES` (a wrong sign,
the velocity updated after the move, the gradient taken at theta instead of the look-ahead, PyTorch's form of
Nesterov, g unsquared, beta1 and beta2 swapped, a missing bias correction, eps inside the square root, the
state returned first, the untouched template, ...), the hint names that mistake. It never raises: a half-written
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


def _rms(theta, s, grad, lr, rho, eps, *, square=lambda g: g * g, keep=None, new=None, eps_inside=False,
         sqrt=True, old_s=False, sign=-1.0):
    """RMSprop in the learner's signature; the keywords make it one of the typical mistakes: ``keep`` and ``new``
    weigh the old s and the new square (rho and 1 - rho when None), ``square`` is how g is squared."""
    g = grad(theta)
    s_new = (rho if keep is None else keep(rho)) * s + (1 - rho if new is None else new(rho)) * square(g)
    with np.errstate(divide="ignore", invalid="ignore"):
        s_used = s if old_s else s_new
        scale = np.sqrt(s_used + eps) if eps_inside else (np.sqrt(s_used) + eps if sqrt else s_used + eps)
        return theta + sign * lr * g / scale, s_new


def _rms_variant(**kw):
    return lambda theta, s, grad, lr, rho, eps: _rms(theta, s, grad, lr, rho, eps, **kw)


def _adam(theta, m, s, k, grad, lr, beta1, beta2, eps, *, correct_m=True, correct_s=True, eps_inside=False,
          sqrt=True, sign=-1.0, k_shift=0, square=lambda g: g * g, swap=False, swap_averages=False,
          s_hat_beta1=False, hats=False, eps_hat=False):
    """Adam in the learner's signature; the keywords make it one of the typical mistakes (``swap``: beta1 and
    beta2 exchanged everywhere, ``swap_averages``: in the averages only; ``s_hat_beta1``: s corrected with beta1;
    ``hats``: m_hat, s_hat returned as the state; ``eps_hat``: the Adam paper's efficient form
    alpha_k = alpha sqrt(1 - beta2^k) / (1 - beta1^k), theta -= alpha_k m / (sqrt(s) + eps))."""
    b1, b2 = (beta2, beta1) if swap else (beta1, beta2)
    a1, a2 = (beta2, beta1) if swap_averages else (b1, b2)
    g = grad(theta)
    m = a1 * m + (1 - a1) * g
    s = a2 * s + (1 - a2) * square(g)
    kk = k + k_shift
    with np.errstate(divide="ignore", invalid="ignore"):
        if eps_hat:
            return theta + sign * lr * np.sqrt(1 - b2 ** kk) / (1 - b1 ** kk) * m / (np.sqrt(s) + eps), m, s
        m_hat = m / (1 - b1 ** kk) if correct_m else m
        s_hat = s / (1 - (b1 if s_hat_beta1 else b2) ** kk) if correct_s else s
        scale = np.sqrt(s_hat + eps) if eps_inside else (np.sqrt(s_hat) + eps if sqrt else s_hat + eps)
        theta = theta + sign * lr * m_hat / scale
    return (theta, m_hat, s_hat) if hats else (theta, m, s)


def _variant(**kw):
    return lambda theta, m, s, k, grad, lr, beta1, beta2, eps: _adam(theta, m, s, k, grad, lr, beta1, beta2, eps,
                                                                      **kw)


def _hb(theta, v, grad, lr, momentum):
    v = momentum * v + lr * grad(theta)
    return theta - v, v


def _nag(theta, v, grad, lr, momentum):
    v = momentum * v + lr * grad(theta - momentum * v)
    return theta - v, v


def _nag_pytorch(theta, v, grad, lr, momentum):
    """torch.optim.SGD(nesterov=True) (Bengio et al. 2013): its theta is the course's look-ahead point."""
    g = grad(theta)
    v = momentum * v + lr * g
    return theta - momentum * v - lr * g, v


def _state_first(step):
    """``step`` returning its state before the point: (v, theta), (s, theta), (m, s, theta)."""
    def wrong(*args, **kwargs):
        theta, *state = step(*args, **kwargs)
        return (*state, theta)
    return wrong


def _template(n):
    """The notebook's cell as handed out: every line still `...`."""
    return lambda *args, **kwargs: (...,) * n


def _order_hint(rule):
    state = ", ".join(rule.state)
    return (f"Wrong return order: you returned ({state}, θ), so your {rule.state[0]} was taken as the new point. "
            f"Return the point first: {rule.signature.split('-> ')[1]}.")


TEMPLATE = ("Your step still returns the template's placeholders `...` (Ellipsis): replace each `...` with its "
            "formula, then run the cell again.")
UNSQUARED = ("You averaged g, not its square: s ← {w}s + (1 − {w})g². An average of signed gradients can go "
             "negative, and the square root of a negative s is nan (not a number): that is the nan in your θ.")
SWAPPED_BETAS = ("β₁ and β₂ are swapped: β₁ (0.9) belongs to the average of g, m ← β₁m + (1 − β₁)g, and β₂ "
                 "(0.999) to the average of g², s ← β₂s + (1 − β₂)g²; each average is corrected with its own β.")
ABS_G = "You averaged |g|; the average is of the squares: s ← {w}s + (1 − {w})g², then divide by its root √s."

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
        ("return order", _state_first(_hb), _order_hint(RULES["Momentum"])),
        ("untouched template", _template(2), TEMPLATE),
    ],
    "Nesterov": [
        ("gradient at theta", _nag_at_theta, "You took the gradient at θ: that is heavy-ball momentum. Nesterov "
                                            "looks ahead first: v ← γv + α∇J(θ − γv)."),
        ("look-ahead sign", _nag_lookahead_sign, "The look-ahead point is θ − γv (where the momentum is about to "
                                                 "carry you), not θ + γv."),
        ("sign", _nag_uphill, "You moved uphill: θ ← θ − v."),
        ("order", _nag_move_first, "Order of the updates: first the new velocity, then the move θ ← θ − v with it."),
        ("PyTorch's (Bengio's) form", _nag_pytorch,
         "That is Nesterov as PyTorch (Bengio et al. 2013) writes it: v ← γv + α∇J(θ), θ ← θ − γv − α∇J(θ), "
         "the gradient at the point itself. It is the same method, but its point is the course's look-ahead point "
         "θ − γv (07, section 4). Here write the course's form: v ← γv + α∇J(θ − γv), θ ← θ − v."),
        ("return order", _state_first(_nag), _order_hint(RULES["Nesterov"])),
        ("untouched template", _template(2), TEMPLATE),
    ],
    "RMSprop": [
        ("eps inside the square root", _rms_variant(eps_inside=True), "ε goes outside the square root: divide by "
                                                                      "√s + ε, not √(s + ε)."),
        ("missing 1 - rho", _rms_variant(new=lambda rho: 1.0), "The average needs its weight: s ← ρs + (1 − ρ)g²."),
        ("no square root", _rms_variant(sqrt=False), "Divide by the square root √s + ε (the RMS of the gradient), "
                                                     "not by s."),
        ("old s", _rms_variant(old_s=True), "Update s with this step's gradient first, then divide by √s + ε."),
        ("sign", _rms_variant(sign=1.0), "You moved uphill: θ ← θ − α g / (√s + ε)."),
        ("unsquared g", _rms_variant(square=lambda g: g), UNSQUARED.format(w="ρ")),
        ("|g| for g^2", _rms_variant(square=np.abs), ABS_G.format(w="ρ")),
        ("rho and 1 - rho swapped", _rms_variant(keep=lambda rho: 1 - rho, new=lambda rho: rho),
         "ρ and 1 − ρ are swapped: keep ρ of the old average and add (1 − ρ) of the new square, s ← ρs + (1 − ρ)g² "
         "(with ρ = 0.9 the average changes slowly)."),
        ("Adagrad for RMSprop", _rms_variant(keep=lambda rho: 1.0, new=lambda rho: 1.0),
         "That is Adagrad: s ← s + g² sums every squared gradient so far. RMSprop forgets old ones: "
         "s ← ρs + (1 − ρ)g²."),
        ("return order", _state_first(_rms), _order_hint(RULES["RMSprop"])),
        ("untouched template", _template(2), TEMPLATE),
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
        ("unsquared g", _variant(square=lambda g: g), UNSQUARED.format(w="β₂")),
        ("|g| for g^2", _variant(square=np.abs), ABS_G.format(w="β₂")),
        ("beta1 and beta2 swapped", _variant(swap=True), SWAPPED_BETAS),
        ("beta1 and beta2 swapped in the averages", _variant(swap_averages=True), SWAPPED_BETAS),
        ("s_hat corrected with beta1", _variant(s_hat_beta1=True),
         "ŝ is corrected with β₂, the β of its own average: ŝ = s / (1 − β₂ᵏ) (you divided by 1 − β₁ᵏ, m's)."),
        ("m_hat and s_hat returned", _variant(hats=True),
         "Return m and s, not m̂ and ŝ: the corrected values are only for this step's move; the averages carry "
         "on uncorrected (otherwise they are corrected again and again)."),
        ("the Adam paper's eps-hat form", _variant(eps_hat=True),
         "That is the Adam paper's faster form, α_k = α√(1 − β₂ᵏ)/(1 − β₁ᵏ) and θ ← θ − α_k m / (√s + ε̂): the same "
         "except for ε, which it adds to √s instead of √ŝ. The course (and PyTorch) divide by √ŝ + ε."),
        ("return order", _state_first(_adam), _order_hint(RULES["Adam"])),
        ("untouched template", _template(3), TEMPLATE),
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


def _mistake(rule: Rule, mine, problem, surface, hp):
    """The catalogued mistake whose iterates (and early stop, if any) the learner's reproduce, or None."""
    for name, wrong, hint in MISTAKES.get(rule.name, []):
        path, stop = _learner_path(wrong, rule, surface, hp, STEPS if problem else len(mine) - 1)
        if len(path) == len(mine) and stop == problem and _same(mine, path).all():
            return name, hint
    return None


def rule_spec(rule) -> Rule:
    """The :class:`Rule` named ``rule``, case-insensitive ('gd', 'Adam', ...), as optimizer names are."""
    if not isinstance(rule, str):
        raise TypeError(f"rule must be a name, one of {', '.join(RULES)}; got {rule!r:.60}")
    spec = {name.lower(): spec for name, spec in RULES.items()}.get(rule.lower())
    if spec is None:
        raise ValueError(f"unknown rule {rule!r:.60}; choose one of: {', '.join(RULES)}")
    return spec


def check_rule(step, rule: str) -> bool:
    """Does the learner's ``step`` function implement ``rule`` ('GD', 'Momentum', 'Nesterov', 'RMSprop',
    'Adam') exactly? Prints the verdict: the first step that differs from stepviz (on a rotated bowl and on
    Rosenbrock) with both values, and a hint naming the mistake when it is a typical one. ``rule`` is
    case-insensitive; an unknown name is a ValueError that lists the rules."""
    spec = rule_spec(rule)
    if not callable(step):
        return feedback(False, "", f"Pass your function itself: check(step), with {spec.signature}; got {step!r:.60}.")
    for surface, hp in CASES[spec.name]:
        mine, problem = _learner_path(step, spec, surface, hp, STEPS)
        ref = _reference_path(spec, surface, hp, STEPS)
        ok = _same(mine, ref)
        if problem is None and ok.all():
            continue
        k = int(np.argmin(ok)) if not ok.all() else len(mine)
        where = f"on {surface!r} with {', '.join(f'{p}={v:g}' for p, v in hp.items())}"
        named = _mistake(spec, mine, problem, surface, hp)
        if problem is not None and ok.all():
            return feedback(False, "", named[1] if named else f"{problem} ({where}).")
        diff = (f"Step {k} differs {where}: yours θ = {np.array2string(mine[k], precision=6)}, "
                f"stepviz θ = {np.array2string(ref[k], precision=6)}.")
        hint = named[1] if named else (f"Compare each line with the formula of {spec.name}; the signature is "
                                       f"{spec.signature}.")
        return feedback(False, "", f"{diff} {hint}")
    return feedback(True, f"Your {spec.name} matches stepviz step for step on the bowl and on Rosenbrock ({STEPS} steps "
                          "each).", "")


__all__ = ["Rule", "RULES", "MISTAKES", "check_rule", "rule_spec"]
