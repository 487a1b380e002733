"""Argument checking shared by the package: one place for the wording of error messages."""
from __future__ import annotations

import numbers

import numpy as np


def as_float_array(name: str, value, allowed: str) -> np.ndarray:
    """``value`` as a float64 array, or a TypeError that names the argument and what is allowed."""
    if isinstance(value, (bool, np.bool_)) or isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be {allowed}; got {value!r} ({type(value).__name__})")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be {allowed}; got {value!r} ({type(value).__name__})") from None
    return arr


def _describe(arr: np.ndarray, bad: np.ndarray) -> str:
    if arr.ndim == 0:
        return repr(float(arr))
    return f"an array containing {float(arr[bad].flat[0])!r}"


def _scalar_or_array(arr: np.ndarray):
    return float(arr) if arr.ndim == 0 else arr


def number(name: str, value, *, low=None, high=None, low_open=False, high_open=False, allowed: str):
    """A finite number (or array of them) within [low, high]; open ends where asked."""
    arr = as_float_array(name, value, allowed)
    ok = np.isfinite(arr)
    with np.errstate(invalid="ignore"):
        if low is not None:
            ok &= (arr > low) if low_open else (arr >= low)
        if high is not None:
            ok &= (arr < high) if high_open else (arr <= high)
    if not ok.all():
        raise ValueError(f"{name} must be {allowed}; got {_describe(arr, ~ok)}")
    return _scalar_or_array(arr)


def positive(name: str, value, example: str = "0.1"):
    return number(name, value, low=0.0, low_open=True,
                  allowed=f"a finite number > 0 (for example {example})")


def non_negative(name: str, value, example: str = "0.0"):
    return number(name, value, low=0.0, allowed=f"a finite number >= 0 (for example {example})")


def unit_interval(name: str, value, example: str = "0.9"):
    """In [0, 1): the range of momentum, rho and the Adam betas."""
    return number(name, value, low=0.0, high=1.0, high_open=True,
                  allowed=f"a number in [0, 1) (for example {example})")


def integer(name: str, value, *, low: int = 0) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number >= {low}; got {value!r} ({type(value).__name__})")
    if value < low:
        raise ValueError(f"{name} must be a whole number >= {low}; got {value!r}")
    return int(value)


def points(name: str, value) -> np.ndarray:
    """Points of shape (..., 2), finite, as float64."""
    arr = as_float_array(name, value, "a point (x, y) or an array of points of shape (..., 2)")
    if arr.ndim == 0 or arr.shape[-1] != 2:
        raise ValueError(f"{name} must have shape (2,) or (..., 2), one (x, y) pair per point; "
                         f"got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold finite numbers; got {value!r}")
    return arr


def choice(name: str, value, options) -> str:
    if value not in options:
        raise ValueError(f"unknown {name} {value!r}; choose one of: {', '.join(map(repr, options))}")
    return value
