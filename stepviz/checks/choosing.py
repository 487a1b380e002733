"""Self-checks for the notebooks on choosing a step size (03 curved valleys and saddles, 04 choosing a step
size, 05 schedules). Each prints a verdict and a hint, returns True/False and never raises."""
from __future__ import annotations

import numpy as np

from .. import theory
from ..run import run
from ..optimizers import GD
from ..surfaces import Surface
from .core import _number, check_number, feedback


def _close(x, y, rtol=1e-2):
    return x is not None and np.isfinite(y) and abs(x - y) <= rtol * abs(y)


def check_local_limit(answer, surface, point) -> bool:
    """Is ``answer`` the local limit 2 / lambda_max of the Hessian of ``surface`` at ``point``?"""
    try:
        p = np.asarray(point, dtype=float)
        H = np.asarray(surface.hessian(p), dtype=float)
        lam = np.linalg.eigvalsh(H)
        limit = float(theory.local_lr_limit(surface, p))
    except Exception as exc:  # a wrong surface or point from the notebook itself
        return feedback(False, "", f"The check needs a stepviz surface and a point (x, y); got {surface!r}, "
                                   f"{point!r} ({exc}).")
    x = _number(answer)
    hint = ("Compute the Hessian at the point (surface.hessian(point)), take its largest eigenvalue "
            "lambda_max (np.linalg.eigvalsh(...)[-1]) and divide 2 by it.")
    if _close(x, 1 / lam[-1]):
        hint = "That is 1 / lambda_max; the limit is where |1 - alpha lambda_max| reaches 1, i.e. 2 / lambda_max."
    elif lam[0] > 0 and _close(x, 2 / lam[0]) and not _close(x, limit):
        hint = "That uses the smallest eigenvalue; the steepest direction (largest eigenvalue) breaks first."
    elif any(_close(x, 2 / d) for d in np.diag(H) if d > 0) and not _close(x, limit):
        hint = ("That uses a diagonal entry of the Hessian. The Hessian is not diagonal here: its eigenvalues, "
                "not its diagonal, give the curvatures along the principal directions.")
    return check_number(answer, limit, right=f"2 / lambda_max = 2 / {lam[-1]:.4g} = {limit:.4g}.", hint=hint)


def check_escape_steps(answer, lr, offset, threshold=0.5) -> bool:
    """Is ``answer`` (within 10 %) the number of GD steps for theta_2 to grow from ``offset`` to
    ``threshold`` near the saddle, log(threshold / offset) / log(1 + lr)?"""
    try:
        lr, offset, threshold = float(lr), abs(float(offset)), float(threshold)
        expected = np.log(threshold / offset) / np.log1p(lr)
    except Exception:
        return feedback(False, "", "The check needs numbers lr, offset and threshold.")
    x = _number(answer)
    hint = ("Near the saddle GD multiplies theta_2 by (1 + alpha) each step, so after k steps it is "
            "offset * (1 + alpha)^k. Solve offset * (1 + alpha)^k = threshold for k.")
    if _close(x, 1 / lr, 0.1) and not _close(x, expected, 0.1):
        hint = "1 / alpha is not it: the distance grows geometrically, so the logarithm of the ratio matters."
    return check_number(answer, expected, rtol=0.1,
                        right=f"k = log({threshold:g} / {offset:g}) / log(1 + {lr:g}) = {expected:.1f} steps "
                              "(a tenfold smaller offset costs only log(10) / log(1 + alpha) more).",
                        hint=hint)


def check_grid_cost(answer, n_lrs, steps, rounds=1) -> bool:
    """Is ``answer`` the gradient evaluations of a grid search with GD (one gradient per step per run)?

    ``n_lrs`` is the grid size (run ``rounds`` times), or a list of the step sizes tried in each round,
    e.g. [26, 8, 8] for a coarse grid of 26 and two refinement rounds of 8: sum(n_lrs) x steps.
    """
    try:
        if np.ndim(n_lrs) == 0:
            per_round = [int(n_lrs)] * int(rounds)
        else:
            per_round = [int(n) for n in n_lrs]
        steps = int(steps)
        expected = sum(per_round) * steps
        if expected <= 0:
            raise ValueError
    except Exception:
        return feedback(False, "", "The check needs whole numbers: n_lrs (or a list per round), steps, rounds.")
    x = _number(answer)
    hint = "Every step size in the grid is a full run, and every step of a run costs one gradient."
    if x is not None and len(per_round) > 1 and x == per_round[0] * steps:
        hint = "That is the coarse round only; every refinement round runs its whole new grid again."
    elif x is not None and x in (sum(per_round), steps):
        hint = "Count both: how many runs, and how many steps (one gradient each) in every run."
    runs = " + ".join(map(str, per_round))
    runs = f"({runs})" if len(per_round) > 1 else runs
    return check_number(answer, expected, rtol=1e-9,
                        right=f"{runs} runs x {steps} steps = {expected:,} gradient evaluations.", hint=hint)


def steps_to_tolerance(schedules: dict, surface, tol, steps=300, *, start=None, noise=0.0, seed=0,
                       repeats=1) -> dict:
    """{label: first step where loss - f* <= tol (-1 if never)} for GD with each labelled step size or
    schedule; with ``repeats`` > 1, the mean of loss - f* over that many noisy runs (one batched run each)."""
    start = surface.start if start is None else np.asarray(start, dtype=float)
    starts = np.broadcast_to(start, (int(repeats), 2)) if repeats > 1 else start
    out = {}
    for label, lr in schedules.items():
        tr = run(GD(lr=lr), surface, starts, steps, noise=noise, seed=seed)
        gap = tr.gap()
        if repeats > 1:
            gap = np.where(tr.diverged, np.inf, gap).mean(axis=1) if tr.diverged.any() else gap.mean(axis=1)
        with np.errstate(invalid="ignore"):
            hit = gap <= tol
        out[label] = int(np.argmax(hit)) if hit.any() else -1
    return out


def check_fastest_schedule(answer, schedules: dict, surface, tol, steps=300, *, start=None, noise=0.0,
                           seed=0, repeats=1) -> bool:
    """Is ``answer`` the label (a key of ``schedules``) of the schedule whose GD run first reaches
    loss - f* <= tol (the mean over ``repeats`` noisy runs when repeats > 1)?"""
    try:
        if not isinstance(surface, Surface) or not isinstance(schedules, dict) or not schedules:
            raise TypeError("expected a non-empty dict and a stepviz Surface")
        reached = steps_to_tolerance(schedules, surface, tol, steps, start=start, noise=noise, seed=seed,
                                     repeats=repeats)
    except Exception as exc:
        return feedback(False, "", f"The check needs a dict label -> schedule and a stepviz surface ({exc}).")
    hit = {k: v for k, v in reached.items() if v >= 0}
    table = ", ".join(f"{k}: {v if v >= 0 else 'never'}" for k, v in reached.items())
    if not hit:
        return feedback(False, "", f"None of these reaches {tol:g} within {steps} steps ({table}).")
    best = min(hit.values())
    winners = [k for k, v in hit.items() if v == best]
    labels = {str(k).strip().lower(): k for k in schedules}
    key = labels.get(answer.strip().lower()) if isinstance(answer, str) else None
    if key is None:
        return feedback(False, "", f"Answer with one of the names {', '.join(repr(k) for k in schedules)}; "
                                   f"got {answer!r}.")
    if key in winners:
        return feedback(True, f"{key!r} reaches {tol:g} first, at step {best} (steps to the tolerance: {table}).", "")
    mine = reached[key]
    why = (f"{key!r} never gets within {tol:g} in {steps} steps" if mine < 0
           else f"{key!r} gets there at step {mine}, but another schedule is sooner")
    return feedback(False, "", f"{why}. Look where each curve first crosses the tolerance line.")


__all__ = ["check_local_limit", "check_escape_steps", "check_grid_cost", "steps_to_tolerance",
           "check_fastest_schedule"]
