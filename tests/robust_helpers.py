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
    """A valid call of every self-check without its answer: name -> (args, kwargs)."""
    rt = sv.lr_range_test("GD", BOWL, steps=60)

    def gd_step(theta, grad, lr):
        return theta - lr * grad(theta)

    return {
        "check_adam_first_step": ((BOWL, (1.0, 1.0), 0.1), {}),
        "check_adam_rule": ((), {}),
        "check_adadelta_first_step": ((), {}),
        "check_rmsprop_first_step": ((BOWL, (1.0, 1.0), 0.1), {}),
        "check_nesterov_limit": ((BOWL, 0.5), {}),
        "check_gd_rule": ((), {}),
        "check_momentum_rule": ((), {}),
        "check_nesterov_rule": ((), {}),
        "check_rmsprop_rule": ((), {}),
        "check_batch_factor": ((), {}),
        "check_converges": ((BOWL, 0.1), {}),
        "check_escape_steps": ((0.1, 1e-3), {}),
        "check_fastest_schedule": (({"a": 0.1, "b": sv.inverse_time(0.1, 0.1)}, BOWL, 1e-3), {"steps": 100}),
        "check_gd_step": (((1.0, 2.0), (0.5, -1.0), 0.1), {}),
        "check_grid_cost": ((26, 100), {}),
        "check_heavy_ball_optimum": ((BOWL,), {}),
        "check_iterate": ((2.0, 0.3, 1.5, 3), {}),
        "check_largest_stable_step": ((4.0,), {}),
        "check_local_limit": ((sv.Rosenbrock(), (1.0, 1.0)), {}),
        "check_momentum_stable": ((BOWL, 0.3, 0.5), {}),
        "check_mystery": ((), {}),
        "check_number": ((0.2,), {}),
        "check_optimal_rate": ((BOWL,), {}),
        "check_quiz": ((), {}),
        "check_range_test_pick": ((rt,), {}),
        "check_regime": ((0.3, 1.0), {}),
        "check_robbins_monro": ((), {}),
        "check_sharpness_limit": ((10.0,), {}),
    }


def all_checks() -> dict:
    """Every public self-check of sv.checks: name -> function."""
    return {name: getattr(sv.checks, name) for name in sv.checks.__all__
            if name.startswith("check_") and callable(getattr(sv.checks, name))}


ODD_VALUES = [0, -1, 1, 0.0, -0.0, 1e-320, 1e308, -1e308, 10 ** 400, float("nan"), float("inf"), -float("inf"),
              None, True, "", "abc", "1e400", [], [1.0], (1.0, 2.0, 3.0), {}, np.array([]), np.zeros((2, 2)),
              np.float64("nan"), 1 + 2j, np.complex128(0.5 + 1j), object(), lambda t: 0.1, ...]
