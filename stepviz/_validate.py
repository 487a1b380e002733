"""Argument checking shared by the package: one place for the wording of error messages.

Every error names the argument, shows the value it got (shortened) and says what is allowed. Numbers are
real and fit a float: ``10**400`` is "too large", a complex number is refused before numpy would drop its
imaginary part, and no check lets a numpy warning through.
"""
from __future__ import annotations

import numbers

import numpy as np

#: Parameters of problems (curvatures, data, line coefficients) stay within this magnitude, so that their
#: squares, values and gradients in the plot window stay finite.
LARGEST = 1e100


def show(value) -> str:
    """``value`` for a message, on one line and at most 80 characters: its repr, shortened; a huge integer
    by its number of digits, a big array or container by its shape or length."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and abs(value) > 10 ** 30:
        return f"{'-' if value < 0 else ''}an integer of {len(str(abs(value)))} digits"
    if isinstance(value, np.ndarray) and value.size > 6:
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple, set, frozenset, dict)) and len(value) > 20:
        return f"a {type(value).__name__} of {len(value):,} items"
    try:
        text = " ".join(repr(value).split())
    except Exception:  # a learner's object whose repr fails
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= 80 else text[:77] + "..."


def is_complex(value) -> bool:
    """A complex number, or an array or list of them (numpy would drop the imaginary part with a warning)."""
    if isinstance(value, (complex, np.complexfloating)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind == "c"
    if isinstance(value, (list, tuple)):
        try:
            return np.asarray(value).dtype.kind == "c"
        except (TypeError, ValueError, OverflowError):
            return False
    return False


def as_float_array(name: str, value, allowed: str) -> np.ndarray:
    """``value`` as a float64 array; a TypeError (not a number) or ValueError (too large) naming ``name``."""
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None or is_complex(value):
        kind = "a complex number: only real numbers are allowed" if is_complex(value) else type(value).__name__
        raise TypeError(f"{name} must be {allowed}; got {show(value)} ({kind})")
    try:
        arr = np.asarray(value, dtype=float)
    except OverflowError:
        raise ValueError(f"{name} must be {allowed}; got {show(value)}, too large for a float "
                         f"(at most about 1.8e308)") from None
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be {allowed}; got {show(value)} ({type(value).__name__})") from None
    return arr


def _describe(arr: np.ndarray, bad: np.ndarray) -> str:
    if arr.ndim == 0:
        return repr(float(arr))
    return f"an array containing {float(arr[bad].flat[0])!r}"


def _scalar_or_array(arr: np.ndarray):
    return float(arr) if arr.ndim == 0 else arr


def number(name: str, value, *, low=None, high=None, low_open=False, high_open=False, allowed: str,
           scalar: bool = False):
    """A finite number (or a non-empty array of them) within [low, high]; open ends where asked; with
    ``scalar``, a single number only (returned as a float)."""
    arr = as_float_array(name, value, allowed)
    if arr.size == 0 or (scalar and arr.ndim != 0):
        what = "an empty array" if arr.size == 0 else f"an array of shape {arr.shape}"
        raise (ValueError if arr.size == 0 else TypeError)(
            f"{name} must be {'a single number: ' if scalar else ''}{allowed}; got {what}")
    ok = np.isfinite(arr)
    with np.errstate(invalid="ignore"):
        if low is not None:
            ok &= (arr > low) if low_open else (arr >= low)
        if high is not None:
            ok &= (arr < high) if high_open else (arr <= high)
    if not ok.all():
        raise ValueError(f"{name} must be {allowed}; got {_describe(arr, ~ok)}")
    return _scalar_or_array(arr)


def positive(name: str, value, example: str = "0.1", *, scalar: bool = False):
    return number(name, value, low=0.0, low_open=True, scalar=scalar,
                  allowed=f"a finite number > 0 (for example {example})")


def non_negative(name: str, value, example: str = "0.0", *, scalar: bool = False):
    return number(name, value, low=0.0, scalar=scalar, allowed=f"a finite number >= 0 (for example {example})")


def unit_interval(name: str, value, example: str = "0.9", *, scalar: bool = False):
    """In [0, 1): the range of momentum, rho and the Adam betas."""
    return number(name, value, low=0.0, high=1.0, high_open=True, scalar=scalar,
                  allowed=f"a number in [0, 1) (for example {example})")


def moderate(name: str, value, *, example: str = "1.0"):
    """A single problem parameter: finite, |value| <= LARGEST."""
    return number(name, value, low=-LARGEST, high=LARGEST, scalar=True,
                  allowed=f"a finite number with |{name}| <= {LARGEST:g} (for example {example})")


def integer(name: str, value, *, low: int = 0, high: int | None = None, why: str = "") -> int:
    """A whole number in [low, high]; ``why`` explains the upper limit in the message."""
    allowed = f"a whole number >= {low:,}" if high is None else f"a whole number from {low:,} to {high:,}"
    allowed += f" ({why})" if why else ""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {allowed}; got {show(value)} ({type(value).__name__})")
    if value < low or (high is not None and value > high):
        shown = f"{int(value):,}" if abs(value) <= 10 ** 30 else show(value)
        raise ValueError(f"{name} must be {allowed}; got {shown}")
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
        raise ValueError(f"{name} must hold finite numbers; got {show(value)}")
    return arr


def choice(name: str, value, options) -> str:
    try:
        known = bool(value in options)
    except (TypeError, ValueError):  # unhashable (a list) or an array
        known = False
    if not known:
        raise ValueError(f"unknown {name} {show(value)}; choose one of: {', '.join(map(repr, options))}")
    return value


def bounds(name: str, value) -> tuple:
    """A plot window ((xmin, xmax), (ymin, ymax)) with finite min < max, as nested float tuples."""
    arr = as_float_array(name, value, "((xmin, xmax), (ymin, ymax))")
    with np.errstate(over="ignore"):
        wide = np.isfinite(arr).all() and np.isfinite(arr[:, 1] - arr[:, 0]).all() if arr.shape == (2, 2) else False
    if arr.shape != (2, 2) or not wide or not (arr[:, 0] < arr[:, 1]).all() or np.abs(arr).max() > LARGEST:
        raise ValueError(f"{name} must be ((xmin, xmax), (ymin, ymax)) with min < max, each within "
                         f"+-{LARGEST:g}; got {show(value)}")
    return tuple(tuple(map(float, row)) for row in arr)


def seed(name: str, value):
    """A random seed: None (fresh randomness), a whole number >= 0, or a numpy Generator."""
    if value is None or isinstance(value, np.random.Generator):
        return value
    return integer(name, value, low=0)


def batch_size(name: str, value, n: int) -> int:
    """A minibatch size: a whole number in [1, n] (n = the number of examples)."""
    return integer(name, value, low=1, high=n, why="n = the number of examples")


def indices(name: str, value, n: int) -> np.ndarray:
    """Example indices: a non-empty integer array, shape (b,) or (..., b), every entry in [0, n)."""
    if isinstance(value, (bool, np.bool_)) or value is None:
        raise TypeError(f"{name} must be whole numbers in [0, {n}); got {show(value)}")
    idx = np.asarray(value)
    if idx.dtype.kind not in "iu" or idx.ndim == 0 or idx.shape[-1] == 0:
        raise TypeError(f"{name} must be a non-empty array of whole numbers in [0, {n}), shape (b,) "
                        f"or (..., b); got {show(value)}")
    if idx.min() < 0 or idx.max() >= n:
        raise ValueError(f"{name} must lie in [0, {n}); got values {idx.min()}..{idx.max()}")
    return idx


def broadcast(shapes: dict, what: str = "array hyperparameters") -> tuple:
    """The broadcast of ``shapes`` (name -> shape), or a ValueError that names each argument's shape."""
    try:
        return np.broadcast_shapes(*shapes.values())
    except ValueError:
        listed = ", ".join(f"{name} has shape {shape}" for name, shape in shapes.items())
        raise ValueError(f"{listed}: {what} must broadcast together (equal sizes, or 1 where they differ; "
                         f"e.g. lr of shape (3, 1) and momentum of shape (1, 4) make a 3 x 4 grid)") from None


def step_size(value, t: int, schedule: str, shape0=None) -> np.ndarray:
    """What a learner's schedule returned at step ``t``: a finite step size >= 0 (or an array of them, of
    the shape it had at step 0). ``schedule`` names the schedule in the message."""
    allowed = "a schedule must return a finite step size >= 0 (a number, or an array of them for a batch)"
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None or is_complex(value):
        raise TypeError(f"{schedule} returned {show(value)} ({type(value).__name__}) at step {t}; {allowed}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"{schedule} returned {show(value)} ({type(value).__name__}) at step {t}; "
                        f"{allowed}") from None
    ok = np.isfinite(arr)
    with np.errstate(invalid="ignore"):
        ok &= arr >= 0
    if not ok.all():
        raise ValueError(f"{schedule} returned {_describe(arr, ~ok)} at step {t}; {allowed}")
    if shape0 is not None and arr.shape != shape0:
        raise ValueError(f"{schedule} returned shape {arr.shape} at step {t} but shape {shape0} at step 0; "
                         f"a schedule keeps one shape (that of its batch of step sizes)")
    return arr


def start_within(start, problem, limit, center, inside):
    """A ValueError when a start point lies past the divergence bound: its run would be called diverged at
    its first step, however well it converges."""
    outside = ~inside(start - center, limit)
    if outside.any():
        q = start.reshape(-1, start.shape[-1])[int(np.argmax(outside.reshape(-1)))]
        shown = f"({', '.join(f'{v:g}' for v in q)})" if q.size <= 4 else f"with |coordinate| up to {np.abs(q).max():g}"
        c = np.broadcast_to(center, q.shape)
        where = "the origin" if not np.any(c) else \
            f"({', '.join(f'{v:g}' for v in c)}), the plot window's point nearest the origin"
        if hasattr(problem, "bounds"):
            fix = "(100 window sizes away). Choose a start nearer the window, or a plot window (bounds=) that holds it"
        else:
            fix = f"(the divergence bound of {problem!r}). Choose a smaller start"
        raise ValueError(f"start {shown} lies more than {limit:g} from {where}: there a run counts as diverged at "
                         f"once {fix}")


def line_search_surface(optimizer, problem, p):
    """Backtracking evaluates the surface (or function) it was given: it must be the run's problem, or the
    line search would follow another surface silently. The same surface (or an equal one) passes at once;
    anything else (a function, a wrapper) must give the problem's values at the start."""
    theirs = optimizer.surface
    if theirs is problem or (type(theirs) is type(problem) and repr(theirs) == repr(problem)):
        return  # the same surface: no evaluation (the line search counts its own)
    q = p.reshape(-1, p.shape[-1])[:4]
    with np.errstate(all="ignore"):
        mine = optimizer._f(q)
        if mine is None or isinstance(mine, (str, bytes)) or is_complex(mine):
            raise TypeError(f"Backtracking's function returned {show(mine)} at the start; it must return "
                            f"the surface's values, e.g. Backtracking(surface) or Backtracking(surface.value)")
        try:
            mine = np.broadcast_to(np.asarray(mine, dtype=float), q.shape[:-1])
        except (TypeError, ValueError):
            raise TypeError(f"Backtracking's function returned {show(mine)} for points of shape "
                            f"{q.shape}; it must return one value per point") from None
        values = np.asarray(problem.value(q), dtype=float)
    if not np.allclose(mine, values, rtol=1e-9, atol=0.0, equal_nan=True):
        raise ValueError(f"Backtracking evaluates {show(theirs)}, which gives {float(mine.flat[0]):.6g} at "
                         f"the start, but run() is given {problem!r}, which has {float(values.flat[0]):.6g} there: "
                         f"the line search would follow the other surface. Give both the same surface: "
                         f"run(Backtracking(surface), surface)")
