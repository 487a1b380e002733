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


def points(name: str, value, dim: int = 2) -> np.ndarray:
    """Points of shape (..., dim), finite, as float64 (dim = 2: (x, y) points of a surface)."""
    what = "a point (x, y) or an array of points of shape (..., 2)" if dim == 2 else \
        f"a parameter vector of length {dim} or an array of them, shape (..., {dim})"
    arr = as_float_array(name, value, what)
    if arr.ndim == 0 or arr.shape[-1] != dim:
        pair = ", one (x, y) pair per point" if dim == 2 else ""
        raise ValueError(f"{name} must have shape ({dim},) or (..., {dim}){pair}; got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold finite numbers; got {value!r}")
    return arr


def choice(name: str, value, options) -> str:
    if value not in options:
        raise ValueError(f"unknown {name} {value!r}; choose one of: {', '.join(map(repr, options))}")
    return value


def bounds(name: str, value) -> tuple:
    """A plot window ((xmin, xmax), (ymin, ymax)) with finite min < max, as nested float tuples."""
    arr = as_float_array(name, value, "((xmin, xmax), (ymin, ymax))")
    if arr.shape != (2, 2) or not np.isfinite(arr).all() or not (arr[:, 0] < arr[:, 1]).all():
        raise ValueError(f"{name} must be ((xmin, xmax), (ymin, ymax)) with finite min < max; got {value!r}")
    return tuple(tuple(map(float, row)) for row in arr)


def seed(name: str, value):
    """A random seed: None (fresh randomness), a whole number >= 0, or a numpy Generator."""
    if value is None or isinstance(value, np.random.Generator):
        return value
    return integer(name, value, low=0)


def batch_size(name: str, value, n: int) -> int:
    """A minibatch size: a whole number in [1, n] (n = the number of examples)."""
    b = integer(name, value, low=1)
    if b > n:
        raise ValueError(f"{name} must be a whole number in [1, n={n}] (n = the number of examples); got {b}")
    return b


def indices(name: str, value, n: int) -> np.ndarray:
    """Example indices: a non-empty integer array, shape (b,) or (..., b), every entry in [0, n)."""
    if isinstance(value, (bool, np.bool_)) or value is None:
        raise TypeError(f"{name} must be whole numbers in [0, {n}); got {value!r}")
    idx = np.asarray(value)
    if idx.dtype.kind not in "iu" or idx.ndim == 0 or idx.shape[-1] == 0:
        raise TypeError(f"{name} must be a non-empty array of whole numbers in [0, {n}), shape (b,) "
                        f"or (..., b); got {value!r}")
    if idx.min() < 0 or idx.max() >= n:
        raise ValueError(f"{name} must lie in [0, {n}); got values {idx.min()}..{idx.max()}")
    return idx
