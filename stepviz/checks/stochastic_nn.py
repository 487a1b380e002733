"""Self-checks for the notebooks on stochastic gradients (08), neural networks (09) and the summary (10).

Every check prints a verdict and a hint, returns True/False and never raises, whatever the answer.
The capstone's mystery surface lives here too (:func:`mystery_surface`), so the check can run the
learner's optimizer on it.
"""
from __future__ import annotations

import numpy as np

from ..optimizers import Optimizer, make_optimizer
from ..run import run
from ..surfaces import Surface
from .core import _number, check_number, feedback


# --- 08: stochastic gradients -----------------------------------------------------------------------
def _c_b(n, b):
    return (n - b) / (b * (n - 1))


def check_batch_factor(answer, n: int = 200, b_from: int = 10, b_to: int = 40) -> bool:
    """By what factor does SGD's noise floor change when the batch grows from b_from to b_to (same alpha)?

    The floor is proportional to the minibatch gradient *variance*, c_b = (n - b) / (b (n - 1)) times the
    per-point variance: about b_from / b_to, exactly c_{b_to} / c_{b_from}. Both are accepted (10 %).
    """
    exact, rough = _c_b(n, b_to) / _c_b(n, b_from), b_from / b_to
    x = _number(answer)
    right = (f"The floor is proportional to the gradient variance, which shrinks like 1/b: about {rough:.3g} "
             f"(exactly {exact:.3g}, since batches of distinct points from n = {n} vary a little less).")
    hint = ("The floor E[J] - J* is proportional to the variance of the minibatch gradient. "
            "How does the variance of a mean of b samples depend on b?")
    if x is None:
        return feedback(False, "", f"Your answer should be a number such as 0.5; got {answer!r}. {hint}")
    if abs(x - (b_from / b_to) ** 0.5) < 0.02:
        hint = ("That is how the standard deviation of the gradient shrinks (1/sqrt(b)). "
                "The floor is a loss, proportional to the variance.")
    elif x > 1:
        hint = "A factor above 1 means the floor grows; a bigger batch averages out more noise. " + hint
    ok = min(exact, rough) * 0.9 <= x <= max(exact, rough) * 1.1
    return feedback(ok, right, hint)


#: The schedules of the Robbins-Monro self-check in 08, alpha_t for t = 0, 1, 2, ...
RM_OPTIONS = {
    "a": ("0.1 (constant)", "sum of alpha_t^2 is infinite: the noise never averages out"),
    "b": ("0.2 / (1 + 0.05 t)", None),
    "c": ("0.2 * 0.95^t", "sum of alpha_t is finite (4): the iterates stop before they reach the minimum"),
    "d": ("0.2 / (1 + t)^0.75", None),
    "e": ("0.2 / sqrt(1 + t)", "sum of alpha_t^2 ~ sum 1/t is infinite: the noise does not average out"),
    "f": ("0.2 / (1 + t)^2", "sum of alpha_t is finite: it stops short of the minimum"),
}
RM_CORRECT = frozenset({"b", "d"})


def _letters(answer):
    if isinstance(answer, str):
        items = [c for c in answer.lower() if c.isalpha()]
    elif isinstance(answer, (list, tuple, set, frozenset)):
        if not all(isinstance(a, str) for a in answer):
            return None
        items = [c for a in answer for c in a.lower() if c.isalpha()]
    else:
        return None
    return set(items) if items else None


def check_robbins_monro(answer) -> bool:
    """Which schedules of :data:`RM_OPTIONS` satisfy sum alpha_t = inf and sum alpha_t^2 < inf?
    ``answer``: letters such as 'b, d' or {'b', 'd'}."""
    got = _letters(answer)
    options = ", ".join(RM_OPTIONS)
    if got is None:
        return feedback(False, "", f"Answer with the letters of the schedules, e.g. 'a, c' or {{'a', 'c'}}; got {answer!r}.")
    unknown = got - set(RM_OPTIONS)
    if unknown:
        return feedback(False, "", f"Use only the letters {options}; got {', '.join(sorted(unknown))}.")
    if got == RM_CORRECT:
        return feedback(True, "alpha_t ~ c / t^p works for 1/2 < p <= 1: (b) has p = 1, (d) has p = 0.75.", "")
    wrong = sorted(got - RM_CORRECT)
    missing = sorted(RM_CORRECT - got)
    if wrong:
        k = wrong[0]
        hint = f"({k}) alpha_t = {RM_OPTIONS[k][0]}: {RM_OPTIONS[k][1]}."
    else:
        hint = (f"You missed {len(missing)} that qualif{'ies' if len(missing) == 1 else 'y'}. For alpha_t ~ 1/t^p, "
                f"sum alpha_t = inf needs p <= 1 and sum alpha_t^2 < inf needs p > 1/2.")
    return feedback(False, "", hint)


# --- 09: neural networks ------------------------------------------------------------------------------
def check_range_test_pick(answer, rt) -> bool:
    """A step size read off a range test ``rt`` (stepviz.nn.range_test): accepted between min_lr / 20 and
    min_lr / 1.5 (the rule of thumb is min_lr / 10)."""
    try:
        lo, hi, best = rt.min_lr / 20, rt.min_lr / 1.5, rt.min_lr
    except AttributeError:
        return feedback(False, "", "Pass the range test result as the second argument: check_range_test_pick(my_lr, rt).")
    x = _number(answer)
    if x is None or x <= 0:
        return feedback(False, "", f"Your answer should be a step size > 0, e.g. 0.5; got {answer!r}.")
    if x > hi:
        where = "past the blow-up" if np.isfinite(rt.blowup_lr) and x >= rt.blowup_lr else \
            "at the bottom of the curve, where the loss is about to shoot up"
        return feedback(False, "", f"α = {x:.3g} is {where} (lowest loss at {best:.3g}). During a real run the "
                                   f"curvature changes; step back by a factor of 3 to 10.")
    if x < lo:
        return feedback(False, "", f"α = {x:.3g} is safe but slow: the loss still falls steeply up to {best:.3g}. "
                                   f"Take about a tenth of the step size with the lowest loss.")
    return feedback(True, f"α = {x:.3g} sits {best / x:.1f}x below the lowest point ({best:.3g}): "
                          f"fast, with a margin for the changes of curvature during training.", "")


def check_sharpness_limit(answer, lam) -> bool:
    """The largest stable GD step size where the Hessian's largest eigenvalue is ``lam``: 2 / lam (2 %)."""
    lam = _number(lam)
    if lam is None or lam <= 0:
        return feedback(False, "", "Pass the sharpness (a positive number) as the second argument.")
    x = _number(answer)
    hint = "Near theta the loss is a quadratic bowl whose steepest curvature is lambda_max: recall the limit of lesson 02."
    if x is not None and abs(x - 1 / lam) <= 0.02 / lam:
        hint = "That is 1/λ_max, where the steepest direction is solved in one step; the limit is where |1 - αλ| reaches 1."
    return check_number(answer, 2 / lam, rtol=0.02, right=f"2 / λ_max = {2 / lam:.3g}, for as long as the curvature stays put.",
                        hint=hint)


# --- 10: summary ----------------------------------------------------------------------------------------
#: Answer key of the cheat-sheet quiz in 10_summary.
QUIZ_KEY = {1: "b", 2: "c", 3: "a", 4: "a"}
QUIZ_HINTS = {
    1: "On a bowl GD's rate is max |1 - α λ|; the best constant α balances the flattest and steepest directions.",
    2: "Which method's rate depends on sqrt(κ) instead of κ?",
    3: "A constant step keeps SGD in a noise ball of size ~ α; what makes the ball shrink?",
    4: "When nothing is known, measure: one cheap run with a growing step size.",
}


def check_quiz(answer) -> bool:
    """The cheat-sheet quiz: ``answer`` a dict {question number: letter}, e.g. {1: 'a', 2: 'b', 3: 'c', 4: 'd'}."""
    if not isinstance(answer, dict) or not answer:
        return feedback(False, "", f"Answer with a dict such as {{1: 'a', 2: 'b', 3: 'c', 4: 'd'}}; got {answer!r}.")
    got = {}
    for k, v in answer.items():
        try:
            q = int(k)
        except (TypeError, ValueError):
            q = None
        if q not in QUIZ_KEY or not isinstance(v, str):
            return feedback(False, "", f"Keys are the question numbers 1-{len(QUIZ_KEY)}, values letters such as 'a'; "
                                       f"got {k!r}: {v!r}.")
        got[q] = v.strip().lower()
    missing = sorted(set(QUIZ_KEY) - set(got))
    if missing:
        return feedback(False, "", f"Answer every question; missing: {missing}.")
    wrong = [q for q in sorted(QUIZ_KEY) if got[q] != QUIZ_KEY[q]]
    if wrong:
        return feedback(False, "", f"{len(wrong)} of {len(QUIZ_KEY)} not yet right. Question {wrong[0]}: {QUIZ_HINTS[wrong[0]]}")
    return feedback(True, "All four: the cheat sheet is yours.", "")


# the mystery surface of the capstone: a rotated, ill-conditioned bowl that stiffens along its flat valley
_ANGLE = np.deg2rad(35.0)
_R = np.array([[np.cos(_ANGLE), -np.sin(_ANGLE)], [np.sin(_ANGLE), np.cos(_ANGLE)]])
_H = _R @ np.diag([0.8, 60.0]) @ _R.T
_MIN = np.array([1.0, -0.5])
_U = _R[:, 0]
_Q = 0.1

MYSTERY_TOL = 1e-8     #: the tolerance on J - J* to reach
MYSTERY_STEPS = 1000   #: the budget of steps
MYSTERY_TARGET = 100   #: steps to beat for a pass (GD at its best step size needs 330)
MYSTERY_GD_BEST = 330  #: GD at its best constant step size (a scan of 400 step sizes)


def _mystery_value(p):
    d = p - _MIN
    return 0.5 * np.einsum("...i,ij,...j->...", d, _H, d) + _Q * (d @ _U) ** 4


def _mystery_grad(p):
    d = p - _MIN
    return d @ _H + 4 * _Q * ((d @ _U) ** 3)[..., None] * _U


def mystery_surface() -> Surface:
    """The capstone's mystery surface (a fresh instance): ``value``, ``grad``, ``hessian`` work as on any
    stepviz surface; its minimum value is 0. Start: ``surface.start``."""
    return Surface.from_function(_mystery_value, _mystery_grad, bounds=((-3.0, 4.0), (-3.0, 3.0)), name="mystery",
                                 minima=[_MIN], start=(-2.0, 2.0))


def _as_optimizer(answer):
    """An Optimizer from an Optimizer, a dict {'optimizer': name, **hp} or a pair (name, {hp}); or a hint str."""
    from ..tuning import Backtracking

    example = "{'optimizer': 'Momentum', 'lr': 0.01, 'momentum': 0.9}"
    if isinstance(answer, Backtracking):
        return "Backtracking tries several step sizes per step; choose a fixed-step method."
    if isinstance(answer, Optimizer):
        opt = answer
    else:
        if isinstance(answer, dict):
            hp = dict(answer)
            name = hp.pop("optimizer", None)
        elif isinstance(answer, (tuple, list)) and len(answer) == 2 and isinstance(answer[1], dict):
            name, hp = answer[0], dict(answer[1])
        else:
            return f"Answer with a dict such as {example}; got {answer!r}."
        if not isinstance(name, str):
            return f"Name the optimizer as a string under 'optimizer', e.g. {example}; got {name!r}."
        if "lr" not in hp:
            return f"Give a step size 'lr', e.g. {example}."
        try:
            opt = make_optimizer(name, **hp)
        except Exception as exc:  # a learner's answer: say what was wrong, never raise
            return f"That optimizer could not be built: {exc}"
    try:
        if opt.batch_shape != ():
            return "Give single numbers as hyperparameters (one run), not arrays."
    except Exception as exc:
        return f"That optimizer could not be used: {exc}"
    return opt


def mystery_steps(answer) -> int:
    """Steps the optimizer described by ``answer`` needs to bring J - J* below MYSTERY_TOL on the mystery
    surface from its start (-1 if not within MYSTERY_STEPS; raises ValueError for a malformed answer)."""
    opt = _as_optimizer(answer)
    if isinstance(opt, str):
        raise ValueError(opt)
    tr = run(opt, mystery_surface(), steps=MYSTERY_STEPS)
    return int(tr.steps_to(MYSTERY_TOL))


def check_mystery(answer) -> bool:
    """The capstone: does the optimizer in ``answer`` reach J - J* <= 1e-8 on the mystery surface within
    MYSTERY_TARGET steps? ``answer``: {'optimizer': name, 'lr': ..., other hyperparameters}, a pair
    (name, {hyperparameters}) or a stepviz optimizer."""
    opt = _as_optimizer(answer)
    if isinstance(opt, str):
        return feedback(False, "", opt)
    try:
        tr = run(opt, mystery_surface(), steps=MYSTERY_STEPS)
    except Exception as exc:  # e.g. a schedule that fails on arrays
        return feedback(False, "", f"Running {opt!r} failed: {exc}")
    if tr.diverged:
        return feedback(False, "", f"{opt!r} diverged at step {int(tr.diverged_at)}: the step is too large somewhere "
                                   f"on the way (the curvature at the start differs from the one at the minimum).")
    k = int(tr.steps_to(MYSTERY_TOL))
    if k < 0:
        return feedback(False, "", f"{opt!r} is not within {MYSTERY_TOL:g} after {MYSTERY_STEPS} steps "
                                   f"(final J - J* = {float(tr.gap()[-1]):.3g}). Measure the curvature, then tune.")
    if k > MYSTERY_TARGET:
        return feedback(False, "", f"{opt!r} needs {k} steps; the target is {MYSTERY_TARGET} (GD at its best needs "
                                   f"{MYSTERY_GD_BEST}). The valley is ill-conditioned: which method handles that?")
    medal = " Excellent: under 40." if k < 40 else ""
    return feedback(True, f"{opt!r} reaches {MYSTERY_TOL:g} in {k} steps (target {MYSTERY_TARGET}, GD at its best "
                          f"{MYSTERY_GD_BEST}).{medal}", "")


__all__ = ["check_batch_factor", "RM_OPTIONS", "RM_CORRECT", "check_robbins_monro", "check_range_test_pick",
           "check_sharpness_limit", "QUIZ_KEY", "check_quiz", "MYSTERY_TOL", "MYSTERY_STEPS", "MYSTERY_TARGET",
           "MYSTERY_GD_BEST", "mystery_surface", "mystery_steps", "check_mystery"]
