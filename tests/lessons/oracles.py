"""Oracles for every self-check (issue 18): an independent judgement of a learner's answer, written here from
the closed forms and the rules the course states, never from the check's own code.

A check is covered by one entry of :data:`ORACLES`: name -> a list of :class:`Case` (the arguments after the
answer, a judge, and the right answer from which the harness derives the learner's ways of writing it and
near misses). ``judge(answer)`` is True (right), False (wrong) or None (too close to a tolerance edge to
call: either verdict is accepted). How an answer may be written, the same for every check:

- a number: int, float, a numpy integer or float scalar, a 0-d real array, Fraction, Decimal. Not a bool,
  not text ('0.2' with quotes: the learner is told to drop them), not a list of one number;
- several numbers: a list, tuple or 1-D array of exactly that many numbers as above;
- yes/no: True or False (Python or numpy), nothing else;
- a name or a letter: text, compared without case and surrounding spaces;
- an update rule: a function, judged by running it beside a hand-written loop of the rule.
"""
from __future__ import annotations

import decimal
import fractions
import math
import numbers
from dataclasses import dataclass, field

import numpy as np

import stepviz as sv

BOWL = sv.QuadraticBowl((1.0, 10.0), angle=30.0)


# --- how a learner writes an answer -----------------------------------------------------------------------

def as_number(a):
    """``a`` as a finite float if it is one real number written in an accepted way, else None."""
    if isinstance(a, np.ndarray):
        if a.ndim != 0 or a.dtype.kind not in "iuf":
            return None
        a = a[()]
    if isinstance(a, (bool, np.bool_)) or not isinstance(a, (numbers.Real, np.integer, np.floating, decimal.Decimal)):
        return None
    try:
        x = float(a)
    except (OverflowError, ValueError, decimal.InvalidOperation):
        return None
    return x if math.isfinite(x) else None


def as_vector(a, n):
    """``a`` as n finite floats if it is a list/tuple/1-D array of n numbers, else None."""
    if isinstance(a, np.ndarray):
        if a.ndim != 1 or a.dtype.kind not in "iufO":
            return None
        a = list(a)
    if not isinstance(a, (list, tuple)) or len(a) != n:
        return None
    xs = [as_number(v) for v in a]
    return None if any(x is None for x in xs) else np.array(xs)


def as_bool(a):
    return bool(a) if isinstance(a, (bool, np.bool_)) else None


def as_text(a):
    return a.strip().lower() if isinstance(a, str) else None


def within(x, target, rtol, atol=0.0, edge=1e-6):
    """True/False for |x - target| <= rtol |target| + atol; None within ``edge`` (relative) of the limit."""
    if x is None:
        return False
    limit = rtol * abs(target) + atol
    d = abs(x - target)
    if abs(d - limit) <= edge * max(limit, 1e-300):
        return None
    return bool(d <= limit)


def all_within(xs, targets, tols):
    verdicts = [within(x, t, 0.0, tol) for x, t, tol in zip(xs, targets, tols)]
    return None if None in verdicts and False not in verdicts else all(v is True for v in verdicts)


def number_forms(x):
    """Ways a learner writes the number x (each judged by the oracle as it is written)."""
    forms = [float(x), np.float64(x), np.array(x), fractions.Fraction(float(x)), decimal.Decimal(repr(float(x))),
             np.float32(x), repr(float(x)), [float(x)], np.array([x]), -float(x)]
    if float(x).is_integer():
        forms += [int(x), np.int64(int(x))]
    return forms


def vector_forms(v):
    v = [float(c) for c in v]
    return [v, tuple(v), np.array(v), [fractions.Fraction(c) for c in v], [np.float64(c) for c in v],
            [decimal.Decimal(repr(c)) for c in v], [repr(c) for c in v], v[:1], v + [0.0], [v], v[::-1]]


def _step(theta, grad, lr):  # a function where a number is asked for
    return theta - lr * grad(theta)


#: Answers that are never right, whatever the question.
MALFORMED = [None, ..., "", "abc", "0.2", float("nan"), float("inf"), -float("inf"), 10 ** 400,
             1 + 2j, np.complex128(0.5 + 1j), object(), _step, lambda: 0.2, ["a", "b"], list("abc"), {}, set(),
             [], np.array([]), np.zeros((2, 2)), {"answer": 0.2}, b"0.2"]
#: A huge answer: a check echoes it shortened.
HUGE = list(range(200_000))   # its repr: 1.3 MB


@dataclass
class Case:
    """One valid call of a check without its answer, and the judge of answers to it."""

    args: tuple
    judge: object                       # answer -> True / False / None
    answers: list = field(default_factory=list)   # the right answer's forms and near misses, all judged
    kwargs: dict = field(default_factory=dict)
    slow: bool = False                  # the check runs optimizers: fewer generated answers
    target: object = None               # the right number (or numbers), to generate near misses from


def number_case(args, target, rtol, atol=0.0, extra=(), kwargs=None):
    """A check whose answer is one number within rtol |target| + atol of ``target``."""
    near = [target * (1 + 3 * rtol) + 3 * atol, target * (1 - 0.5 * rtol), target * 2, target / 2, 0.0]
    answers = number_forms(target) + near + list(extra)
    return Case(tuple(args), lambda a: within(as_number(a), target, rtol, atol), answers, kwargs or {},
                target=target)


def vector_case(args, target, tols, extra=(), kwargs=None):
    target = np.asarray(target, dtype=float)
    tols = np.broadcast_to(tols, target.shape)
    near = [target + 3 * tols, target - 0.5 * tols, 2 * target, -target]
    answers = vector_forms(target) + [list(v) for v in near] + list(extra)
    return Case(tuple(args), lambda a: (lambda v: False if v is None else all_within(v, target, tols))(
        as_vector(a, target.size)), answers, kwargs or {}, target=target)


def bool_case(args, truth):
    truth = bool(truth)
    return Case(tuple(args), lambda a: as_bool(a) == truth if as_bool(a) is not None else False,
                [truth, not truth, np.bool_(truth), int(truth), str(truth), "yes", None])


def text_case(args, right: set, options, kwargs=None, slow=False):
    answers = [w for o in options for w in (o, o.upper(), f" {o} ")] + ["", "smoth", 0.3]
    return Case(tuple(args), lambda a: as_text(a) in right if as_text(a) is not None else False, answers,
                kwargs or {}, slow)


# --- closed forms, written out here ------------------------------------------------------------------------

def hessian(bowl):
    a = np.deg2rad(bowl.angle)
    r = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return r @ np.diag(bowl.curvatures) @ r.T


def heavy_ball_radius(lr, momentum, lam):
    """Spectral radius of theta's iteration on a curvature lam: [[1 + m - lr lam, -m], [1, 0]]."""
    return max(abs(np.linalg.eigvals(np.array([[1 + momentum - lr * lam, -momentum], [1.0, 0.0]]))))


def rosenbrock_limit(x, y, b=100.0):
    h = np.array([[2 - 4 * b * (y - x * x) + 8 * b * x * x, -4 * b * x], [-4 * b * x, 2 * b]])
    tr, det = np.trace(h), np.linalg.det(h)
    return 2.0 / ((tr + math.sqrt(tr * tr - 4 * det)) / 2)


def settled(gaps, tol):
    """The step from which gaps <= tol to the end (-1 if the last is above), written as a loop."""
    k = -1
    for t, g in enumerate(gaps):
        if g <= tol:
            k = t if k < 0 else k
        else:
            k = -1
    return k


def gd_gaps(schedule, bowl, steps):
    """GD on the bowl by hand: p <- p - alpha_t H p; the gaps 1/2 p^T H p (f* = 0)."""
    h, p = hessian(bowl), np.array(bowl.start, dtype=float)
    gaps = [0.5 * p @ h @ p]
    for t in range(steps):
        a = schedule(t) if callable(schedule) else schedule
        p = p - float(a) * (h @ p)
        gaps.append(0.5 * p @ h @ p)
    return gaps


def fastest_case():
    schedules = {"a": 0.1, "b": sv.inverse_time(0.1, 0.1), "slow": 0.01}
    reached = {k: settled(gd_gaps(s, BOWL, 100), 1e-3) for k, s in schedules.items()}
    best = min(v for v in reached.values() if v >= 0)
    right = {k.lower() for k, v in reached.items() if v == best}
    return text_case((schedules, BOWL, 1e-3), right, list(schedules) + ["c"], kwargs={"steps": 100})


def quiz_judge(a):
    key = {1: "b", 2: "c", 3: "a", 4: "a"}
    if not isinstance(a, dict):
        return False
    got = {}
    for k, v in a.items():
        if isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)):
            q = int(k)
        elif isinstance(k, str) and k.strip().isdigit():
            q = int(k.strip())
        else:
            return False
        if q not in key or not isinstance(v, str):
            return False
        if q in got and got[q] != v.strip().lower():
            return None  # the same question answered twice, differently
        got[q] = v.strip().lower()
    return got == key


def letters_judge(right):
    def judge(a):
        if isinstance(a, str):
            got = {c for c in a.lower() if c.isalpha()}
        elif isinstance(a, (list, tuple, set, frozenset)) and all(isinstance(x, str) for x in a):
            got = {c for x in a for c in x.lower() if c.isalpha()}
        else:
            return False
        return got == right
    return judge


# --- the capstone: the mystery surface, run by hand --------------------------------------------------------

def mystery_judge(a):
    """Reaches J - J* <= 1e-8 (to stay) within 100 of 1,000 steps: GD, heavy ball and Nesterov by hand."""
    spec = _optimizer_spec(a)
    if spec is None:
        return False
    name, lr, m = spec
    s = sv.lessons.summary.mystery_surface()
    p, v = np.array(s.start, dtype=float), np.zeros(2)
    gaps = [float(s.value(p))]
    for _ in range(1000):
        if name == "nesterov":
            v = m * v + lr * s.grad(p - m * v)
        else:
            v = m * v + lr * s.grad(p)
        p = p - v
        if not np.all(np.abs(p) <= 600):  # diverged (the bound: 100 x the window's reach of 6 from (0, 0))
            return False
        gaps.append(float(s.value(p)))
    k = settled(np.array(gaps), 1e-8)
    return 0 <= k <= 100


def _optimizer_spec(a):
    """(name, lr, momentum) of a GD / Momentum / Nesterov answer written as the check allows, else None."""
    if isinstance(a, (sv.GD, sv.Momentum, sv.Nesterov)):
        hp = a.hyperparameters
        name = type(a).__name__
    elif isinstance(a, dict):
        hp = dict(a)
        name = hp.pop("optimizer", None)
    elif isinstance(a, (tuple, list)) and len(a) == 2 and isinstance(a[1], dict):
        name, hp = a[0], dict(a[1])
    else:
        return None
    if not isinstance(name, str) or name.lower() not in ("gd", "momentum", "nesterov"):
        return None
    allowed = {"gd": {"lr"}}.get(name.lower(), {"lr", "momentum"})
    if set(hp) - allowed or "lr" not in hp:
        return None
    lr, m = as_number(hp["lr"]), as_number(hp.get("momentum", 0.0 if name.lower() == "gd" else 0.9))
    if lr is None or m is None or not lr > 0 or not 0 <= m < 1:
        return None
    return name.lower(), lr, m


def mystery_case():
    answers = [{"optimizer": "Momentum", "lr": 0.0536, "momentum": 0.629}, sv.Momentum(0.045, momentum=0.7),
               ("momentum", {"lr": 0.0536, "momentum": 0.629}), ("Nesterov", {"lr": 0.01, "momentum": 0.9}),
               {"optimizer": "Momentum", "lr": 0.5, "momentum": 0.9}, {"optimizer": "GD", "lr": 1e-4},
               {"optimizer": "Momentum", "lr": 0.0475, "momentum": 0.473}, {"optimizer": "GD", "lr": 0.031},
               {"optimizer": "Momentum", "lr": "0.0536", "momentum": 0.629},
               {"optimizer": "Momentum", "lr": 0.0536, "momentun": 0.629}, {"optimizer": "momentum"}]
    return Case((), mystery_judge, answers, slow=True)


# --- update rules the learner writes: judged against hand-written loops ------------------------------------

def _reference(rule, theta, grad, steps, hp):
    """The rule's iterates, written out (the table of ARCHITECTURE.md)."""
    out, v, m, s = [theta], np.zeros(2), np.zeros(2), np.zeros(2)
    for k in range(1, steps + 1):
        g = grad(theta)
        if rule == "GD":
            theta = theta - hp["lr"] * g
        elif rule == "Momentum":
            v = hp["momentum"] * v + hp["lr"] * g
            theta = theta - v
        elif rule == "Nesterov":
            v = hp["momentum"] * v + hp["lr"] * grad(theta - hp["momentum"] * v)
            theta = theta - v
        elif rule == "RMSprop":
            s = hp["rho"] * s + (1 - hp["rho"]) * g * g
            theta = theta - hp["lr"] * g / (np.sqrt(s) + hp["eps"])
        else:  # Adam
            m = hp["beta1"] * m + (1 - hp["beta1"]) * g
            s = hp["beta2"] * s + (1 - hp["beta2"]) * g * g
            mh, sh = m / (1 - hp["beta1"] ** k), s / (1 - hp["beta2"] ** k)
            theta = theta - hp["lr"] * mh / (np.sqrt(sh) + hp["eps"])
        out.append(theta)
    return np.array(out)


RULE_HP = {"GD": {"lr": 0.04}, "Momentum": {"lr": 0.02, "momentum": 0.7}, "Nesterov": {"lr": 0.02, "momentum": 0.7},
           "RMSprop": {"lr": 0.01, "rho": 0.9, "eps": 1e-3}, "Adam": {"lr": 0.03, "beta1": 0.9, "beta2": 0.99, "eps": 1e-3}}
RULE_STATE = {"GD": 0, "Momentum": 1, "Nesterov": 1, "RMSprop": 1, "Adam": 2}


def rule_judge(rule):
    """A learner's step function is right when its iterates equal the hand-written loop's on a turned bowl."""
    def judge(step):
        if not callable(step):
            return False
        hp, n = RULE_HP[rule], RULE_STATE[rule]
        theta, state, path = np.array([-1.5, 1.0]), [np.zeros(2) for _ in range(n)], [np.array([-1.5, 1.0])]
        try:
            with np.errstate(all="ignore"):
                for k in range(1, 16):
                    args = [theta, *state] + ([k] if rule == "Adam" else []) + [BOWL.grad]
                    out = step(*args, **hp)
                    out = out if isinstance(out, tuple) else (out,)
                    if len(out) != n + 1:
                        return False
                    theta, state = np.asarray(out[0], dtype=float), [np.asarray(x, dtype=float) for x in out[1:]]
                    if theta.shape != (2,):
                        return False
                    path.append(theta)
        except Exception:  # a learner's function that raises is not right
            return False
        ref = _reference(rule, np.array([-1.5, 1.0]), BOWL.grad, 15, hp)
        return bool(np.allclose(np.array(path), ref, rtol=1e-7, atol=1e-12))
    return judge


def rule_answers(rule):
    """A right implementation and typical wrong ones, each with the learner's signature."""
    def gd(theta, grad, lr):
        return theta - lr * grad(theta)

    def gd_up(theta, grad, lr):
        return theta + lr * grad(theta)

    def gd_none(theta, grad, lr):
        theta - lr * grad(theta)

    def hb(theta, v, grad, lr, momentum):
        v = momentum * v + lr * grad(theta)
        return theta - v, v

    def hb_late(theta, v, grad, lr, momentum):
        return theta - v, momentum * v + lr * grad(theta)

    def nag(theta, v, grad, lr, momentum):
        v = momentum * v + lr * grad(theta - momentum * v)
        return theta - v, v

    def rms(theta, s, grad, lr, rho, eps):
        g = grad(theta)
        s = rho * s + (1 - rho) * g * g
        return theta - lr * g / (np.sqrt(s) + eps), s

    def rms_inside(theta, s, grad, lr, rho, eps):
        g = grad(theta)
        s = rho * s + (1 - rho) * g * g
        return theta - lr * g / np.sqrt(s + eps), s

    def adam(theta, m, s, k, grad, lr, beta1, beta2, eps):
        g = grad(theta)
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        return theta - lr * (m / (1 - beta1 ** k)) / (np.sqrt(s / (1 - beta2 ** k)) + eps), m, s

    def adam_no_bias(theta, m, s, k, grad, lr, beta1, beta2, eps):
        g = grad(theta)
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        return theta - lr * m / (np.sqrt(s) + eps), m, s

    def raises(*args, **kwargs):
        raise ZeroDivisionError("my rule broke")

    own = {"GD": [gd, gd_up, gd_none], "Momentum": [hb, hb_late, nag], "Nesterov": [nag, hb],
           "RMSprop": [rms, rms_inside], "Adam": [adam, adam_no_bias]}[rule]
    others = [gd, hb, rms, adam]
    return own + [f for f in others if f.__name__ not in {g.__name__ for g in own}] + [raises, "step", 0.1]


def rule_case(rule):
    return Case((), rule_judge(rule), rule_answers(rule), slow=True)


# --- the registry: one entry per check -------------------------------------------------------------------------

def _range_tests():
    found = sv.lr_range_test("GD", BOWL, steps=60)
    none = sv.lr_range_test("GD", sv.QuadraticBowl((1.0, 10.0)), lr_min=5, lr_max=100)   # blows up at once
    assert np.isfinite(found.min_lr) and np.isnan(none.min_lr)
    lo, hi = found.min_lr / 20, found.min_lr   # the notebook's sweep: every run from min_lr / 20 to min_lr trains

    def judge(a):
        x = as_number(a)
        if x is None:
            return False
        if min(abs(x - lo) / lo, abs(x - hi) / hi) < 1e-9:
            return None
        return lo <= x <= hi
    picks = [found.min_lr / 10, found.min_lr / 3, found.min_lr, found.min_lr / 50, 1e9, 1e-9]
    return [Case((found,), judge, sum((number_forms(p) for p in picks[:1]), []) + picks),
            Case((none,), lambda a: False, picks + [0.5, 1.0])]


def _stopping_cases():
    """A held-out curve with its bottom at step 30 (a parabola), the training loss falling to the last step."""
    k = np.arange(101)
    val, train = 1.0 + (k - 30.0) ** 2 / 400.0, np.exp(-k / 20.0)

    def judge(a):
        x = as_number(a)
        if x is None or not x.is_integer() or not 0 <= x <= 100:
            return False
        ratio = val[int(x)] / val.min()
        return None if abs(ratio - 1.05) < 1e-9 else bool(ratio <= 1.05)
    picks = [30, 25, 34, 35, 26, 100, 0, 20, 40, 101, -1, 30.5, 1e9]
    return [Case(((train, val),), judge, number_forms(30) + picks)]


def _batch_factor():
    n, b0, b1 = 200, 10, 40
    c = lambda b: (n - b) / (b * (n - 1))   # noqa: E731
    exact, rough = c(b1) / c(b0), b0 / b1
    lo, hi = min(exact, rough) * 0.9, max(exact, rough) * 1.1

    def judge(a):
        x = as_number(a)
        if x is None:
            return False
        return None if min(abs(x - lo), abs(x - hi)) < 1e-12 else lo <= x <= hi
    return [Case((), judge, number_forms(exact) + number_forms(rough) + [0.5, (b0 / b1) ** 0.5, 4.0, 0.17, 0.29])]


def _rmsprop_first():
    p, lr, rho, eps = np.array([1.0, 1.0]), 0.1, 0.99, 1e-8
    g = hessian(BOWL) @ p
    target = p - lr * g / (np.sqrt((1 - rho) * g * g) + eps)
    tol = 1e-3 * lr / math.sqrt(1 - rho)
    return [vector_case((BOWL, (1.0, 1.0), lr), target, tol, extra=[list(p - lr * np.sign(g)), list(target - p)])]


def _adam_first():
    p, lr, eps = np.array([1.0, 1.0]), 0.1, 1e-8
    g = hessian(BOWL) @ p
    target = p - lr * g / (np.abs(g) + eps)
    tols = 1e-3 * lr + 1e-9 * np.abs(target)
    return [vector_case((BOWL, (1.0, 1.0), lr), target, tols, extra=[list(p - lr * g), list(target - p)])]


def _adadelta_first():
    eps, rho, g = 1e-6, 0.9, 1.5   # the default bowl's gradient at its start (-1.5, 1): (-1.5, 10)
    return [number_case((), math.sqrt(eps) / math.sqrt((1 - rho) * g * g + eps) * g, 0.02,
                        extra=[math.sqrt(eps)])]


def _heavy_ball():
    mu, L = 1.0, 10.0
    lr = 4 / (math.sqrt(L) + math.sqrt(mu)) ** 2
    g = ((math.sqrt(L) - math.sqrt(mu)) / (math.sqrt(L) + math.sqrt(mu))) ** 2
    return [vector_case((BOWL,), (lr, g), (1e-2 * lr, 1e-2 * max(g, 1e-3)),
                        extra=[[g, lr], [lr, math.sqrt(g)], [2 / (mu + L), g]])]


def _iterate():
    lam, lr, theta0, k = 2.0, 0.3, 1.5, 3
    target = (1 - lr * lam) ** k * theta0
    return [number_case((lam, lr, theta0, k), target, 1e-3, 1e-9, extra=[(1 - lr * lam) * theta0,
                                                                      (1 + lr * lam) ** k * theta0])]


def _grid_cost():
    return [number_case((26, 100), 2600.0, 1e-9, extra=[26, 100, 2626]),
            number_case(([26, 8, 8], 100), 4200.0, 1e-9, extra=[2600, 42])]


ORACLES = {
    "check_number": [number_case((0.2,), 0.2, 1e-2), number_case((0.0,), 0.0, 0.0, 1e-12)],
    "check_gd_step": [vector_case(((1.0, 2.0), (0.5, -1.0), 0.1), (0.95, 2.1), 1e-6 + 1e-3 * np.array([0.95, 2.1]),
                                  extra=[[1.05, 1.9], [0.5, 3.0]])],
    "check_iterate": _iterate(),
    "check_largest_stable_step": [number_case((4.0,), 0.5, 1e-2, extra=[0.25, 8.0, 2.0])],
    "check_regime": [text_case((0.3, 1.0), {"smooth"}, ["creeping", "smooth", "oscillating", "diverging"]),
                     text_case((1.5, 1.0), {"oscillating"}, ["smooth", "oscillating", "diverging"])],
    "check_gd_rule": [rule_case("GD")],
    "check_converges": [bool_case((BOWL, 0.1), True), bool_case((BOWL, 0.25), False)],
    "check_optimal_rate": [number_case((BOWL,), 9 / 11, 5e-3, extra=[10.0, 0.9])],
    "check_local_limit": [number_case((sv.Rosenbrock(), (1.0, 1.0)), rosenbrock_limit(1.0, 1.0), 1e-2,
                                      extra=[1 / 1001.6, 2 / 802.0])],
    "check_escape_steps": [number_case((0.1, 1e-3), math.log(0.5 / 1e-3) / math.log(1.1), 0.1, extra=[10.0])],
    "check_grid_cost": _grid_cost(),
    "check_epoch": [vector_case((1000, 50, 0.5), (20.0, 0.025), (1e-9 * 20, 1e-3 * 0.025),
                                extra=[[50000, 0.025], [20, 0.5], [20, 10.0]])],
    "check_fastest_schedule": [fastest_case()],
    "check_momentum_stable": [bool_case((BOWL, 0.25, 0.5), heavy_ball_radius(0.25, 0.5, 10.0) < 1),
                              bool_case((BOWL, 0.35, 0.5), heavy_ball_radius(0.35, 0.5, 10.0) < 1)],
    "check_heavy_ball_optimum": _heavy_ball(),
    "check_momentum_rule": [rule_case("Momentum")],
    "check_nesterov_rule": [rule_case("Nesterov")],
    "check_nesterov_limit": [number_case((BOWL, 0.5), (2 + 2 * 0.5) / ((1 + 2 * 0.5) * 10.0), 0.02,
                                         extra=[0.3, 0.2])],
    "check_rmsprop_first_step": _rmsprop_first(),
    "check_rmsprop_rule": [rule_case("RMSprop")],
    "check_adam_first_step": _adam_first(),
    "check_adadelta_first_step": _adadelta_first(),
    "check_adam_rule": [rule_case("Adam")],
    "check_batch_factor": _batch_factor(),
    "check_robbins_monro": [Case((), letters_judge({"b", "d"}), ["b, d", "bd", "B,D", " d b ", ["b", "d"], {"b", "d"},
                                                                  ("d", "b"), ["bd"], "b", "b, d, e", "a, c", "x",
                                                                  ["b", 1], "b; d; f"])],
    "check_range_test_pick": _range_tests(),
    "check_stopping_step": _stopping_cases(),
    "check_sharpness_limit": [number_case((10.0,), 0.2, 0.02, extra=[0.1, 20.0])],
    "check_quiz": [Case((), quiz_judge, [{1: "b", 2: "c", 3: "a", 4: "a"}, {"1": "B", "2": " c", 3: "a", 4: "A"},
                                          {np.int64(1): "b", 2: "c", 3: "a", 4: "a"}, {1: "a", 2: "c", 3: "a", 4: "a"},
                                          {1: "b", 2: "c", 3: "a"}, {1: "b", 2: "c", 3: "a", 4: "a", 5: "a"},
                                          {1.0: "b", 2: "c", 3: "a", 4: "a"}, {True: "b", 2: "c", 3: "a", 4: "a"},
                                          {1: 2, 2: "c", 3: "a", 4: "a"}, [("1", "b")], "b c a a"])],
    "check_mystery": [mystery_case()],
}


def cases():
    """(check name, case index, answer) for every judged answer: each case's own answers and MALFORMED."""
    out = []
    for name, entries in ORACLES.items():
        for i, case in enumerate(entries):
            extra = MALFORMED if not case.slow else MALFORMED[::3]
            out += [(name, i, a) for a in case.answers + extra + [True, False]]   # yes/no: right for some
    return out
