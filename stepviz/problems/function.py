"""A learner's own function as a surface (:meth:`Surface.from_function`), with a diagnosis when it misbehaves.

A learner's f is code that may forget ``return``, return a string, a complex number or the wrong shape,
raise, or work on one point but not on an array of them. Each of these is an error that names f (or grad)
as the cause and the point where it happened, raised where the learner builds the surface: f is tried on
the start point and a 5 x 5 grid of the plot window at once. NaN is allowed away from the start (a region
where f is not defined, e.g. sqrt of a negative number): contours leave it blank and a run that steps into
it stops there (``Trajectory.undefined``).
"""
from __future__ import annotations

import inspect

import numpy as np

from .. import _validate
from .base import central_difference
from .surfaces import Surface, as_points

#: Points tried one by one to find where a function that fails on a batch fails.
_LOCATE = 64


def _takes_two_args(f) -> bool:
    try:
        params = [q for q in inspect.signature(f).parameters.values()
                  if q.kind in (q.POSITIONAL_ONLY, q.POSITIONAL_OR_KEYWORD) and q.default is q.empty]
    except (TypeError, ValueError):
        return False
    return len(params) == 2


def _at(point) -> str:
    return f"(x, y) = ({point[0]:.3g}, {point[1]:.3g})"


class FunctionSurface(Surface):
    """A learner's own function; see :meth:`Surface.from_function`."""

    def __init__(self, f, grad=None, bounds=((-2.0, 2.0), (-2.0, 2.0)), name="custom", minima=None, start=None):
        if not callable(f):
            raise TypeError(f"f must be a function of points (..., 2) or of (x, y); got {_validate.show(f)}")
        if grad is not None and not callable(grad):
            raise TypeError(f"grad must be a function returning gradients of shape (..., 2), or None; "
                            f"got {_validate.show(grad)}")
        self._f, self._grad = f, grad
        self._two_args = _takes_two_args(f)
        self._grad_two_args = grad is not None and _takes_two_args(grad)
        self.name = str(name)
        self.bounds = _validate.bounds("bounds", bounds)
        self.minima = np.empty((0, 2)) if minima is None else _validate.points("minima", minima).reshape(-1, 2)
        if start is None:
            (x0, x1), (y0, y1) = self.bounds
            start = (x0 + 0.2 * (x1 - x0), y0 + 0.8 * (y1 - y0))
        self.start = _validate.points("start", start)
        if self.start.shape != (2,):
            raise ValueError(f"start must be one point (x, y); got shape {self.start.shape}")
        self._try_out()

    def _try_out(self):
        """f (and grad) on the start and a 5 x 5 grid of the window: every misbehaviour shows up here."""
        (x0, x1), (y0, y1) = self.bounds
        grid = np.stack(np.meshgrid(np.linspace(x0, x1, 5), np.linspace(y0, y1, 5)), axis=-1).reshape(-1, 2)
        pts = np.concatenate([self.start[None], grid, self.minima])
        values = self.value(pts)
        if not np.isfinite(values[0]):
            raise ValueError(f"your function f is {values[0]} at the start point {_at(self.start)}: choose a "
                             f"start where f is defined and finite (start=(x, y))")
        if self._grad is not None:
            g = self.grad(pts[:1])
            if not np.isfinite(g).all():
                raise ValueError(f"your function grad is {g[0].tolist()} at the start point {_at(self.start)}: "
                                 f"the gradient must be finite there")

    def _call(self, fn, two_args, p, what):
        """fn at points p, with any exception turned into an error that names fn and the point."""
        try:
            with np.errstate(all="ignore"):
                return fn(p[..., 0], p[..., 1]) if two_args else fn(p)
        except Exception as exc:  # the learner's code failed: say which function, where and why
            raise self._failure(fn, two_args, p, what, exc) from exc

    @staticmethod
    def _failure(fn, two_args, p, what, exc) -> Exception:
        flat = p.reshape(-1, 2)
        for q in flat[:_LOCATE]:
            try:
                with np.errstate(all="ignore"):
                    fn(q[0], q[1]) if two_args else fn(q)
            except Exception as single:
                return ValueError(f"your function {what} raised {type(single).__name__}: {single} at {_at(q)}")
        if len(flat) > 1:
            return TypeError(f"your function {what} works on single points but raised {type(exc).__name__}: {exc} "
                             f"on an array of {len(flat)} points. stepviz calls it on arrays of points (shape "
                             f"(..., 2)): use numpy functions (np.sqrt, np.exp, np.where), not math.* or `if` "
                             f"on values")
        return ValueError(f"your function {what} raised {type(exc).__name__}: {exc} at {_at(flat[0])}")

    @staticmethod
    def _real(out, p, what) -> np.ndarray:
        """The output of a learner's function as real numbers, or an error that says what it returned."""
        where = _at(p.reshape(-1, 2)[0]) if p.size else "no points"
        if out is None:
            raise TypeError(f"your function {what} returned None at {where}: did it forget `return`?")
        if _validate.is_complex(out):
            raise TypeError(f"your function {what} returned complex numbers at {where}; it must return real numbers")
        try:
            return np.asarray(out, dtype=float)
        except (TypeError, ValueError, OverflowError):
            raise TypeError(f"your function {what} returned {_validate.show(out)} ({type(out).__name__}) at "
                            f"{where}; it must return real numbers") from None

    def value(self, p):
        p = as_points(p)
        out = self._real(self._call(self._f, self._two_args, p, "f"), p, "f")
        try:
            return np.broadcast_to(out, p.shape[:-1])
        except ValueError:
            hint = " (did it return the point itself?)" if out.shape == p.shape else ""
            raise ValueError(f"your function f returned shape {out.shape} for {int(np.prod(p.shape[:-1]))} "
                             f"points of shape {p.shape}; it must return one value per point, shape "
                             f"{p.shape[:-1]}{hint}") from None

    def grad(self, p):
        p = as_points(p)
        if self._grad is None:
            return central_difference(self.value, p)
        g = self._call(self._grad, self._grad_two_args, p, "grad")
        if isinstance(g, (tuple, list)) and len(g) == 2:  # returned (gx, gy); gy may be a constant
            g = [self._real(c, p, "grad") for c in g]
            try:
                return np.stack([np.broadcast_to(c, p.shape[:-1]) for c in g], axis=-1)
            except ValueError:
                raise ValueError(f"your function grad returned (gx, gy) of shapes {g[0].shape} and {g[1].shape} "
                                 f"for points of shape {p.shape}; each must have shape {p.shape[:-1]}") from None
        g = self._real(g, p, "grad")
        if g.shape != p.shape and g.shape[:1] == (2,):  # returned an array [gx, gy]
            g = np.moveaxis(g, 0, -1)
        try:
            return np.broadcast_to(g, p.shape).copy()
        except ValueError:
            raise ValueError(f"your function grad returned shape {g.shape} for points of shape {p.shape}; it "
                             f"must return the gradient (gx, gy) of every point, shape {p.shape}") from None

    def hessian(self, p):
        jac = central_difference(self.grad, as_points(p))
        return (jac + np.swapaxes(jac, -1, -2)) / 2

    def __repr__(self):
        return f"Surface.from_function({getattr(self._f, '__name__', 'f')}, name={self.name!r})"
