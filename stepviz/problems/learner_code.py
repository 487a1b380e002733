"""Calling a learner's function safely, trying it once on every shape the course uses, and saying what to
write instead when it misbehaves.

stepviz calls a learner's f (and grad) on single points (2,), lists of points (n, 2) (a sweep of step sizes,
n = 2 included), contour grids (n, n, 2) and deeper batches (the finite differences add an axis). A function
written for one of these shapes often gives *wrong numbers* on another without raising: ``np.sum(p**2)``
sums over the points, ``x, y = p`` or ``p[0]`` takes two points for the two coordinates. :func:`probe`
evaluates the function on each point alone (the reference) and on each shape, and any difference becomes an
error that names the mistake and what to write instead.
"""
from __future__ import annotations

import inspect
import warnings

import numpy as np

from .. import _validate

#: The batch shapes a learner's function is tried on: one point in a list, two points (where a list of
#: points and the pair (gx, gy) have the same shape), three, a contour grid, a batch of grids.
PROBE_SHAPES = ((1,), (3,), (5, 5), (2, 3, 4), (2,), (2, 2))
_COORDS = "x, y = p[..., 0], p[..., 1]"


def takes_two_args(f) -> bool:
    """True for f(x, y), False for f(p)."""
    try:
        params = [q for q in inspect.signature(f).parameters.values()
                  if q.kind in (q.POSITIONAL_ONLY, q.POSITIONAL_OR_KEYWORD) and q.default is q.empty]
    except (TypeError, ValueError):
        return False
    return len(params) == 2


def at(point) -> str:
    return f"(x, y) = ({point[0]:.3g}, {point[1]:.3g})"


def call(fn, two_args, p, quiet=False):
    """fn at points p (..., 2), on a read-only view (a function must not change the points it is given).
    ``quiet``: also silence the warnings the learner's code raises (while :func:`probe` tries it out)."""
    q = p.view()
    q.flags.writeable = False
    with np.errstate(all="ignore"):
        if not quiet:
            return fn(q[..., 0], q[..., 1]) if two_args else fn(q)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(q[..., 0], q[..., 1]) if two_args else fn(q)


def real(out, p, what) -> np.ndarray:
    """The output of a learner's function as real numbers, or an error that says what it returned."""
    where = at(p.reshape(-1, 2)[0]) if p.size else "no points"
    if out is None:
        return _raise(TypeError(f"your function {what} returned None at {where}: did it forget `return`?"))
    if _validate.is_complex(out):
        return _raise(TypeError(f"your function {what} returned complex numbers at {where}; it must return "
                                f"real numbers"))
    try:
        return np.asarray(out, dtype=float)
    except (TypeError, ValueError, OverflowError):
        hint = (" (a list mixing arrays and numbers? return a tuple (gx, gy), or np.stack([gx, gy], axis=-1) "
                "with gx and gy of the same shape)") if what == "grad" else ""
        return _raise(TypeError(f"your function {what} returned {_validate.show(out)} ({type(out).__name__}) at "
                                f"{where}; it must return real numbers{hint}"))


def _raise(exc):
    raise exc


def advice(exc, what) -> str:
    """What a learner most likely wrote, from the exception their function raised on an array of points."""
    msg = str(exc)
    if "in-place" in msg or "read-only" in msg:
        return (f"it changes its argument in place (p -= ..., p[...] = ...): compute a new array instead "
                f"(q = p - 1), as stepviz passes the same points on")
    if "values to unpack" in msg:
        return f"`x, y = p` splits the first axis (the points), not the coordinates: write {_COORDS}"
    if isinstance(exc, IndexError):
        return f"it indexes the points' axis (p[:, 0] or p[0]): index the coordinates, {_COORDS}"
    if "truth value" in msg:
        return "`if` on values does not work on arrays: use np.where(condition, a, b)"
    return ("use numpy functions (np.sqrt, np.exp, np.where) that work on whole arrays, not math.* or `if` on "
            f"values, and take the coordinates as {_COORDS}")


def locate(fn, two_args, p, what, exc) -> Exception:
    """The error to raise after fn raised ``exc`` on the points p: the first point where fn raises, found by
    halving the batch (a few calls, whatever its size); or, if fn raises only on arrays, advice."""
    flat = p.reshape(-1, 2)

    def failing(block):
        try:
            call(fn, two_args, block if len(block) > 1 else block[0])
            return None
        except Exception as e:  # the learner's code: keep searching for the point
            if len(block) == 1:
                return block[0], e
        half = len(block) // 2
        return failing(block[:half]) or failing(block[half:])

    found = failing(flat) if len(flat) > 1 else None
    if found is not None:
        q, single = found
        return ValueError(f"your function {what} raised {type(single).__name__}: {single} at {at(q)}")
    if len(flat) > 1:
        return TypeError(f"your function {what} works on single points but raised {type(exc).__name__}: {exc} on "
                         f"an array of {len(flat)} points (shape {p.shape}). stepviz calls it on arrays of points "
                         f"(shape (..., 2)): {advice(exc, what)}")
    return ValueError(f"your function {what} raised {type(exc).__name__}: {exc} at {at(flat[0])}")


def as_gradient(g, p, layout):
    """A learner's gradient output as (..., 2) for points p (..., 2). ``layout`` 'first' means the function
    returns np.array([gx, gy]), shape (2, ...): decided once by :func:`probe`, applied to every batch."""
    if isinstance(g, (tuple, list)) and len(g) == 2 and not isinstance(g[0], (tuple, list)):
        parts = [real(c, p, "grad") for c in g]
        try:
            return np.stack([np.broadcast_to(c, p.shape[:-1]) for c in parts], axis=-1)
        except ValueError:
            raise ValueError(f"your function grad returned (gx, gy) of shapes {parts[0].shape} and {parts[1].shape} "
                             f"for points of shape {p.shape}; each must have shape {p.shape[:-1]}") from None
    g = real(g, p, "grad")
    if layout == "first" and g.ndim == p.ndim and g.shape[:1] == (2,):
        g = np.moveaxis(g, 0, -1)
    try:
        return np.broadcast_to(g, p.shape).copy()
    except ValueError:
        raise ValueError(f"your function grad returned shape {g.shape} for points of shape {p.shape}; it must "
                         f"return the gradient (gx, gy) of every point, shape {p.shape}") from None


def _layout(out, batch) -> str | None:
    """'last' for a gradient of shape (*batch, 2), 'first' for (2, *batch), None when the two coincide or
    neither fits (a tuple (gx, gy) is 'last')."""
    if isinstance(out, (tuple, list)) and len(out) == 2:
        return "last"
    shape = np.shape(out)
    last, first = shape == batch + (2,), shape == (2,) + batch
    return None if last == first else ("last" if last else "first")


def _differs(a, b) -> np.ndarray:
    """Where two arrays of values differ beyond rounding (NaN equals NaN, inf equals inf)."""
    with np.errstate(all="ignore"):
        close = np.isclose(a, b, rtol=1e-9, atol=1e-12 * max(1.0, float(np.nanmax(np.abs(np.where(
            np.isfinite(b), b, 0.0)), initial=0.0))))
    same = close | (np.isnan(a) & np.isnan(b)) | (a == b)
    return ~same


def probe(fn, two_args, what, pool):
    """Try ``fn`` on each point of ``pool`` (k, 2) alone, then on every batch shape of PROBE_SHAPES made of
    the same points. Returns (values at the pool, shape (k,) for f and (k, 2) for grad; the gradient's
    layout). Raises an error that names the mistake (see the module's docstring)."""
    kind = "a value" if what == "f" else "a gradient (gx, gy)"
    single_shape = () if what == "f" else (2,)
    ref, errors = np.full((len(pool),) + single_shape, np.nan), []
    for i, q in enumerate(pool):
        try:
            out = call(fn, two_args, q, quiet=True)
        except Exception as exc:  # the learner's code: collect where it fails
            errors.append((q, exc))
            continue
        ref[i] = _single(out, q, what, single_shape)
    if errors:
        _refuse_raising(fn, two_args, what, pool, errors)
    layout = None
    for batch in PROBE_SHAPES:
        n = int(np.prod(batch))
        p = pool[:n].reshape(batch + (2,))
        try:
            out = call(fn, two_args, p, quiet=True)
        except Exception as exc:  # works on single points, not on this array
            raise TypeError(f"your function {what} works on single points but raised {type(exc).__name__}: "
                            f"{exc} on an array of {n} points (shape {p.shape}). stepviz calls it on single "
                            f"points, lists (n, 2) and grids (n, n, 2) of points: {advice(exc, what)}") from exc
        want = ref[:n].reshape(batch + single_shape)
        if what == "grad":
            found = _layout(out, batch)
            if found and layout and found != layout:
                raise ValueError(f"your function grad returns the pair (gx, gy) on the first axis for some arrays "
                                 f"and on the last for others; return np.stack([gx, gy], axis=-1) (or the tuple "
                                 f"(gx, gy)) for points of any shape")
            layout = layout or found
            got = _batch_output(lambda: as_gradient(out, p, layout), out, p, what, want)
        else:
            got = _batch_output(lambda: np.broadcast_to(real(out, p, "f"), batch), out, p, what, want)
        bad = _differs(got, want).reshape(n, -1).any(axis=-1)
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"your function {what} gives {_short(got.reshape((n,) + single_shape)[i])} at "
                             f"{at(pool[i])} inside an array of {n} points (shape {p.shape}) but "
                             f"{_short(ref[i])} for that point alone: it mixes up the points. "
                             + _mixing_advice(out, batch, what))
    return ref, layout or "last"


def _single(out, q, what, shape):
    """A learner's output for one point as an array of ``shape``, or an error saying what it returned."""
    if what == "grad":
        return as_gradient(out, q, "last")
    v = real(out, q, "f")
    if v.size != 1:
        hint = " (did it return the point itself?)" if v.shape == (2,) else ""
        raise ValueError(f"your function f returned shape {v.shape} for the single point {at(q)}; it must return "
                         f"one value per point{hint}")
    return v.reshape(shape)


def _batch_output(convert, out, p, what, want):
    """``convert()``, with a shape error turned into advice."""
    try:
        return convert()
    except ValueError:
        batch = p.shape[:-1]
        per_point = "one value per point" if what == "f" else "one gradient (gx, gy) per point"
        raise ValueError(f"your function {what} returned shape {np.shape(out)} for an array of "
                         f"{int(np.prod(batch))} points (shape {p.shape}); it must return {per_point}, shape "
                         f"{want.shape}. " + _mixing_advice(out, batch, what)) from None


def _mixing_advice(out, batch, what) -> str:
    n = int(np.prod(batch))
    reduced = np.size(out) == (1 if what == "f" else 2) and n > 1 and not isinstance(out, (tuple, list))
    if reduced:
        return (f"It returned one number for {n} points: it sums (or averages) over the points too. Sum over the "
                f"coordinates only: np.sum(p**2, axis=-1), np.linalg.norm(p, axis=-1), and take the "
                f"coordinates as {_COORDS}.")
    if what == "grad":
        return (f"Take the coordinates as {_COORDS} (not p[:, 0], p[0] or x, y = p) and return "
                f"np.stack([gx, gy], axis=-1) or the tuple (gx, gy).")
    return (f"Take the coordinates from the last axis, {_COORDS} (not p[:, 0], p[0] or x, y = p), and sum "
            f"with axis=-1.")


def _short(v) -> str:
    v = np.asarray(v, dtype=float)
    return f"{float(v):.6g}" if v.ndim == 0 else "(" + ", ".join(f"{x:.6g}" for x in v) + ")"


def _refuse_raising(fn, two_args, what, pool, errors):
    q, exc = errors[0]
    if len(errors) == len(pool):  # raises on every single point: does it work on a list of them?
        try:
            call(fn, two_args, pool[:3], quiet=True)
        except Exception:  # fails everywhere: report the first point's error
            why = f": {advice(exc, what)}" if "read-only" in str(exc) else ""
            raise ValueError(f"your function {what} raised {type(exc).__name__}: {exc} at {at(q)}{why}") from exc
        raise TypeError(f"your function {what} works on an array of points but raised {type(exc).__name__}: {exc} "
                        f"on a single point (shape (2,)): {advice(exc, what)}. stepviz calls it on single points, "
                        f"lists (n, 2) and grids (n, n, 2) of points") from exc
    raise ValueError(f"your function {what} raised {type(exc).__name__}: {exc} at {at(q)} ({len(errors)} of the "
                     f"{len(pool)} points tried in the plot window and at the start). Return np.nan where it has "
                     f"no value (np.where(ok, value, np.nan)), or choose bounds that leave that region out") from exc


def check_gradient(f_values, grad_values, fn, pool, rel_step=1e-5):
    """A learner's grad against central differences of f at the pool's points where f is smooth (its forward
    and backward differences agree). Raises a ValueError at the first point where they disagree."""
    h = rel_step * np.maximum(1.0, np.abs(pool))  # (k, 2)
    for i in range(2):
        e = np.zeros_like(pool)
        e[:, i] = h[:, i]
        up, down = fn(pool + e), fn(pool - e)
        with np.errstate(all="ignore"):
            central = (up - down) / (2 * h[:, i])
            fwd, bwd = (up - f_values) / h[:, i], (f_values - down) / h[:, i]
            noise = 1e-8 * (1.0 + np.abs(f_values)) / h[:, i]
            smooth = np.abs(fwd - bwd) <= 1e-2 * (np.abs(fwd) + np.abs(bwd)) + noise
            g = grad_values[:, i]
            wrong = smooth & np.isfinite(central) & np.isfinite(g) & \
                (np.abs(g - central) > 1e-3 * np.maximum(np.abs(g), np.abs(central)) + noise)
        if wrong.any():
            k = int(np.argmax(wrong))
            name = "x" if i == 0 else "y"
            raise ValueError(f"your function grad does not match f: at {at(pool[k])} grad gives d f/d{name} = "
                             f"{g[k]:.6g}, but f changes by {central[k]:.6g} per unit of {name} there (central "
                             f"finite differences). Check the derivative, or leave grad out: stepviz then uses "
                             f"finite differences of f")
