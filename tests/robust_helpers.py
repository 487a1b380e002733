"""Shared by the robustness tests (issue 12): a hang guard, error-message assertions, the checks' examples."""
from __future__ import annotations

import contextlib
import io
import signal

import numpy as np

import stepviz as sv


#: A Python int that no float can hold.
HUGE = 10 ** 400


def close_figure(obj):
    """Close what a figure-making call returned: an explorer (close()), or anything with a figure."""
    import matplotlib.pyplot as plt

    fig = getattr(obj, "figure", None)
    if hasattr(obj, "close"):
        obj.close()
    elif fig is not None:
        plt.close(fig)


class Hung(Exception):
    """A call ran past its guard: it would hang a learner's kernel."""


@contextlib.contextmanager
def no_hang(seconds: float = 30.0):
    """Turn a call that runs for minutes into a test failure after ``seconds`` (a guard, not a timing)."""
    def stop(signum, frame):
        raise Hung(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def says(exc: BaseException, *words: str) -> str:
    """Assert the message of ``exc`` contains every one of ``words`` (case-insensitive); return it."""
    msg = str(exc)
    low = msg.lower()
    missing = [w for w in words if w.lower() not in low]
    assert not missing, f"message lacks {missing}: {msg!r}"
    return msg


def quiet(fn, *args, **kwargs):
    """fn(*args, **kwargs) with its printed output captured: (result, text)."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        result = fn(*args, **kwargs)
    return result, buf.getvalue()


BOWL = sv.QuadraticBowl((1.0, 10.0), angle=30.0)


def check_examples() -> dict:
    """A valid call of every self-check without its answer: name -> (args, kwargs), from the first case of
    each check's oracle (tests/lessons/oracles.py), so a check with an oracle is fuzzed too."""
    from tests.lessons.oracles import ORACLES

    return {name: (cases[0].args, dict(cases[0].kwargs)) for name, cases in ORACLES.items()}


def all_checks() -> dict:
    """Every public self-check of sv.checks: name -> function."""
    return {name: getattr(sv.checks, name) for name in sv.checks.__all__
            if name.startswith("check_") and callable(getattr(sv.checks, name))}


ODD_VALUES = [0, -1, 1, 0.0, -0.0, 1e-320, 1e308, -1e308, 10 ** 400, float("nan"), float("inf"), -float("inf"),
              None, True, "", "abc", "1e400", [], [1.0], (1.0, 2.0, 3.0), {}, np.array([]), np.zeros((2, 2)),
              np.float64("nan"), 1 + 2j, np.complex128(0.5 + 1j), object(), lambda t: 0.1, ...]
