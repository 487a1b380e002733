"""Lesson 13, summary (13_summary.ipynb): the cheat-sheet quiz and the capstone's mystery surface."""
from __future__ import annotations

import numpy as np

from ..engine import run
from ..optim.line_search import Backtracking
from ..optim.rules import Optimizer, make_optimizer
from ..problems.surfaces import Surface
from .feedback import feedback

#: Answer key of the cheat-sheet quiz in 13_summary.
QUIZ_KEY = {1: "b", 2: "c", 3: "a", 4: "a"}


QUIZ_HINTS = {
    1: "On a bowl GD's rate is max |1 - α λ|; the best constant α balances the flattest and steepest directions.",
    2: "The bowl is turned: per-coordinate scaling cannot straighten it. Which method's rate depends on sqrt(κ) instead of κ?",
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


_ANGLE = np.deg2rad(35.0)


_R = np.array([[np.cos(_ANGLE), -np.sin(_ANGLE)], [np.sin(_ANGLE), np.cos(_ANGLE)]])


_H = _R @ np.diag([0.8, 60.0]) @ _R.T


_MIN = np.array([1.0, -0.5])


_U = _R[:, 0]


_Q = 0.1


MYSTERY_TOL = 1e-8     #: the tolerance on J - J* to reach


MYSTERY_STEPS = 1000   #: the budget of steps


MYSTERY_TARGET = 100   #: steps to beat for a pass (GD at its best step size needs MYSTERY_GD_BEST)


#: The scan that finds GD's best constant step on the mystery surface: 2,000 step sizes in [0.001, 0.1].
GD_SCAN = np.geomspace(1e-3, 0.1, 2000)


MYSTERY_GD_BEST = 325  #: GD's fewest steps to MYSTERY_TOL over GD_SCAN (a test recomputes it)


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


__all__ = ["QUIZ_KEY", "QUIZ_HINTS", "check_quiz", "MYSTERY_TOL", "MYSTERY_STEPS", "MYSTERY_TARGET", "MYSTERY_GD_BEST", "GD_SCAN", "mystery_surface", "mystery_steps", "check_mystery"]
