"""Lesson 13, summary (13_summary.ipynb): the cheat-sheet quiz and the capstone's mystery surface."""
from __future__ import annotations

import numpy as np

from ..analysis.quadratic import momentum_lr_limit
from ..engine import run
from ..optim.line_search import Backtracking
from ..optim.rules import Momentum, Optimizer, make_optimizer, optimizer_class
from ..problems.surfaces import QuadraticBowl, Surface
from .feedback import feedback

#: Answer key of the cheat-sheet quiz in 13_summary.
QUIZ_KEY = {1: "b", 2: "c", 3: "a", 4: "a"}


QUIZ_HINTS = {
    1: "On a bowl GD's rate is max |1 - α λ|; the best constant α balances the flattest and steepest directions.",
    2: "The bowl is turned: per-coordinate scaling cannot straighten it. Which method's rate depends on sqrt(κ) instead of κ?",
    3: "A constant step keeps SGD in a noise ball of size ~ α; what makes the ball shrink?",
    4: "When nothing is known, measure: one cheap run with a growing step size.",
}
#: The explorer's controls shown first, the rest behind 'more controls':
#: the capstone: the learner picks the optimizer and its momentum.
EXPLORER_FIRST = ("optimizer", "momentum")


def check_quiz(answer) -> bool:
    """The cheat-sheet quiz: ``answer`` a dict {question number: letter}, e.g. {1: 'a', 2: 'b', 3: 'c', 4: 'd'}."""
    if not isinstance(answer, dict) or not answer:
        return feedback(False, "", f"Answer with a dict such as {{1: 'a', 2: 'b', 3: 'c', 4: 'd'}}; got {answer!r}.")
    got = {}
    for k, v in answer.items():
        # a question number: a whole number (1, not 1.9 or True) or its digits as text ('1')
        if isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)):
            q = int(k)
        elif isinstance(k, str) and k.strip().isdigit():
            q = int(k.strip())
        else:
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


_ANGLE = np.deg2rad(35.0)


_R = np.array([[np.cos(_ANGLE), -np.sin(_ANGLE)], [np.sin(_ANGLE), np.cos(_ANGLE)]])


_H = _R @ np.diag([0.8, 60.0]) @ _R.T


_MIN = np.array([1.0, -0.5])


_U = _R[:, 0]


_Q = 0.1


MYSTERY_TOL = 1e-8     #: the tolerance on J - J* to reach and stay within


MYSTERY_STEPS = 1000   #: the length of every run: a count is the step from which J - J* stays <= tol to its end


MYSTERY_TARGET = 100   #: steps to beat for a pass (GD at its best step size needs MYSTERY_GD_BEST)


#: "Excellent" for this many steps or fewer: the best heavy-ball settings need about 56, and a plateau of settings
#: typed with two digits (e.g. lr 0.05, momentum 0.62 or 0.63) reaches it, so rounding does not decide the badge.
MYSTERY_EXCELLENT = 60


#: The scan that finds GD's best constant step on the mystery surface: 2,000 step sizes in [0.001, 0.1].
GD_SCAN = np.geomspace(1e-3, 0.1, 2000)


MYSTERY_GD_BEST = 325  #: GD's fewest steps to MYSTERY_TOL over GD_SCAN (a test recomputes it)


#: The mystery surface's Hessian at its minimum, as a bowl (the curvatures 0.8 and 60 the solution uses).
MYSTERY_BOWL = QuadraticBowl((0.8, 60.0), angle=35.0)


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
            known = optimizer_class(name).hyperparameter_names
        except (TypeError, ValueError) as exc:
            return f"That optimizer could not be built: {exc}"
        unknown = sorted(set(hp) - set(known), key=str)
        if unknown:  # make_optimizer would ignore a misspelt name and run with the default
            return (f"{name} takes no hyperparameter {unknown[0]!r}; its hyperparameters are: "
                    f"{', '.join(known)}.")
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
    """The step from which J - J* stays <= MYSTERY_TOL to the end of a MYSTERY_STEPS-step run of the optimizer
    described by ``answer`` on the mystery surface (-1 if the run ends outside; raises ValueError for a
    malformed answer)."""
    opt = _as_optimizer(answer)
    if isinstance(opt, str):
        raise ValueError(opt)
    tr = run(opt, mystery_surface(), steps=MYSTERY_STEPS)
    return int(tr.steps_to(MYSTERY_TOL))


def check_mystery(answer) -> bool:
    """The capstone: does the optimizer in ``answer`` bring J - J* below 1e-8 on the mystery surface and keep it
    there from step MYSTERY_TARGET on (see :func:`mystery_steps`)? ``answer``: {'optimizer': name, 'lr': ...,
    other hyperparameters}, a pair
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
    edge = _near_the_edge(opt)
    if k < 0:
        return feedback(False, "", f"{opt!r} does not stay within {MYSTERY_TOL:g} by the end of its {MYSTERY_STEPS} "
                                   f"steps (final J - J* = {float(tr.gap()[-1]):.3g}). "
                                   f"{edge or 'Measure the curvature, then tune.'}")
    if k > MYSTERY_TARGET:
        return feedback(False, "", f"{opt!r} stays within {MYSTERY_TOL:g} only from step {k}; the target is "
                                   f"{MYSTERY_TARGET} (GD at its best needs {MYSTERY_GD_BEST}). "
                                   f"{edge or _next_move(opt)}")
    medal = f" Excellent: {MYSTERY_EXCELLENT} steps or fewer." if k <= MYSTERY_EXCELLENT else ""
    return feedback(True, f"{opt!r} reaches {MYSTERY_TOL:g} and stays there from step {k} (target {MYSTERY_TARGET}, "
                          f"GD at its best {MYSTERY_GD_BEST}).{medal}", "")


def _next_move(opt) -> str:
    if isinstance(opt, Momentum):
        return ("Momentum is the right tool; tune (lr, momentum) for the curvature near the minimum "
                "(mystery.hessian where a run ends), not only at the start.")
    return "The valley is ill-conditioned: which method handles that?"


def _near_the_edge(opt) -> str:
    """A hint for heavy-ball settings within 2 % of the steep direction's limit lr L < 2 + 2 momentum at the
    minimum (L = 60): the steep direction then barely decays, typically after rounding lr up. Else ''."""
    if type(opt) is not Momentum or callable(opt.lr):
        return ""
    limit = float(momentum_lr_limit(MYSTERY_BOWL, opt.momentum))
    if not 0.98 * limit <= float(opt.lr) < limit:
        return ""
    return (f"Your step size is within {100 * (1 - float(opt.lr) / limit):.1f} % of the steep direction's limit "
            f"(2 + 2γ) / L = {limit:.4g} (L = 60 at the minimum): there the steep direction barely decays. "
            f"Round the step size down, not up.")


__all__ = ["QUIZ_KEY", "QUIZ_HINTS", "check_quiz", "MYSTERY_TOL", "MYSTERY_STEPS", "MYSTERY_TARGET", "MYSTERY_EXCELLENT",
           "MYSTERY_BOWL", "MYSTERY_GD_BEST", "GD_SCAN", "mystery_surface", "mystery_steps", "check_mystery"]
