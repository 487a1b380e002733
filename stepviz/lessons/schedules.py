"""Lesson 05, schedules: which schedule reaches the tolerance first."""
from __future__ import annotations

from ..analysis.stochastic import steps_to_tolerance
from ..problems.surfaces import Surface
from .feedback import feedback


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


__all__ = ["check_fastest_schedule"]
