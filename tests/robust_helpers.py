"""Shared by the robustness tests (issue 12): a hang guard, error-message assertions, the checks' examples."""
from __future__ import annotations

import contextlib
import io
import re
import signal

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

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


# --- the fuzz suite's settings, guards and strategies (tests/test_fuzz*.py) ----------------------------

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
CLEAN = (ValueError, TypeError)
#: An example whose peak memory grows by more than this made an oversized allocation.
MAX_BYTES = 150 * 2 ** 20


def _rss(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


@contextlib.contextmanager
def bounded(seconds=20.0):
    """No hang (a guard of ``seconds``), no allocation above MAX_BYTES: the process's peak RSS (reset
    before the example through /proc/self/clear_refs, Linux) may grow by at most that much. Unlike
    tracemalloc this costs nothing per allocation, so a legitimate 100,000-step run stays fast."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset VmHWM to the current RSS
    before = _rss("VmRSS")
    with no_hang(seconds):
        yield
    grown = _rss("VmHWM") - before
    assert grown <= MAX_BYTES, f"allocated {grown / 2 ** 20:.0f} MB"


def names_an_argument(exc, *names):
    """A clean error names what was wrong: one of the call's arguments (numpy's own messages name none)."""
    msg = str(exc)
    assert any(re.search(n if "\\" in n else rf"\b{re.escape(n)}\b", msg) for n in names), \
        f"{type(exc).__name__}: {msg}"


# --- strategies ---------------------------------------------------------------------------------------

finite = st.floats(-1e6, 1e6, allow_nan=False)
any_float = st.floats(allow_nan=True, allow_infinity=True)
odd_scalars = st.one_of(
    any_float,
    st.integers(-10 ** 400, 10 ** 400),
    st.sampled_from([0, 1, -1, 10 ** 400, -(10 ** 400), 2 ** 63, 1e-320, 1e308, -0.0]),
    st.booleans(), st.none(), st.text(max_size=4), st.complex_numbers(max_magnitude=10),
    st.sampled_from([np.float64("nan"), np.complex128(0.5 + 1j), np.int64(3), np.float32(0.1), np.bool_(True),
                     np.array(0.1), object(), ..., {}, set(), b"0.1"]),
)
small_shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
odd_arrays = st.one_of(
    hnp.arrays(np.float64, small_shapes, elements=any_float),
    hnp.arrays(np.float64, small_shapes, elements=st.floats(1e-3, 0.5)),
    st.lists(st.one_of(any_float, st.none(), st.text(max_size=2)), max_size=4),
    st.lists(st.lists(st.floats(1e-3, 0.5), min_size=1, max_size=3), min_size=1, max_size=3),
)
junk = st.one_of(odd_scalars, odd_arrays)
