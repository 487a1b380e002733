"""A learner's own function as a surface (:meth:`Surface.from_function`), with a diagnosis when it misbehaves.

A learner's f is code that may forget ``return``, return a string, a complex number or the wrong shape,
raise, or work on one point but give wrong numbers on an array of them. f (and grad) is tried once, where
the learner builds the surface, on the start, the minima and a 5 x 5 grid of the plot window: each point
alone, then every batch shape the course uses (:mod:`.learner_code`); grad is also compared with central
differences of f. Each misbehaviour is an error that names f (or grad), the point, and what to write
instead. NaN is allowed away from the start (a region where f is not defined, e.g. sqrt of a negative
number): contours leave it blank and a run that steps into it stops there (``Trajectory.undefined``).
"""
from __future__ import annotations

import numpy as np

from .. import _validate
from . import learner_code as code
from .base import central_difference
from .surfaces import LARGEST_VALUE, Surface, as_points


class FunctionSurface(Surface):
    """A learner's own function; see :meth:`Surface.from_function`."""

    def __init__(self, f, grad=None, bounds=((-2.0, 2.0), (-2.0, 2.0)), name="custom", minima=None, start=None):
        if not callable(f):
            raise TypeError(f"f must be a function of points (..., 2) or of (x, y); got {_validate.show(f)}")
        if grad is not None and not callable(grad):
            raise TypeError(f"grad must be a function returning gradients of shape (..., 2), or None; "
                            f"got {_validate.show(grad)}")
        self._f, self._grad = f, grad
        self._two_args = code.takes_two_args(f)
        self._grad_two_args = grad is not None and code.takes_two_args(grad)
        self._layout = "last"
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
        """f (and grad) on the start, the minima and a 5 x 5 grid of the window, each point alone and in every
        batch shape the course uses: every misbehaviour shows up here, once."""
        (x0, x1), (y0, y1) = self.bounds
        grid = np.stack(np.meshgrid(np.linspace(x0, x1, 5), np.linspace(y0, y1, 5)), axis=-1).reshape(-1, 2)
        pool = np.concatenate([self.start[None], grid, self.minima])
        values, _ = code.probe(self._f, self._two_args, "f", pool)
        if not np.isfinite(values[0]):
            raise ValueError(f"your function f is {values[0]} at the start point {code.at(self.start)}: choose a "
                             f"start where f is defined and finite (start=(x, y))")
        big = np.abs(np.where(np.isfinite(values[:26]), values[:26], 0.0))
        if big.max() > LARGEST_VALUE:
            k = int(np.argmax(big))
            raise ValueError(f"your function f reaches {values[k]:.3g} at {code.at(pool[k])} in its plot window; "
                             f"stepviz draws values up to {LARGEST_VALUE:g} in magnitude there: scale f down "
                             f"(divide it by a constant) or choose a smaller window (bounds=)")
        if self._grad is not None:
            grads, self._layout = code.probe(self._grad, self._grad_two_args, "grad", pool)
            if not np.isfinite(grads[0]).all():
                raise ValueError(f"your function grad is {grads[0].tolist()} at the start point "
                                 f"{code.at(self.start)}: the gradient must be finite there")
            code.check_gradient(values, grads, self.value, pool)

    def _call(self, fn, two_args, p, what):
        """fn at points p, with any exception turned into an error that names fn and the point."""
        try:
            return code.call(fn, two_args, p)
        except Exception as exc:  # the learner's code failed: say which function, where and why
            raise code.locate(fn, two_args, p, what, exc) from exc

    def value(self, p):
        p = as_points(p)
        out = code.real(self._call(self._f, self._two_args, p, "f"), p, "f")
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
        return code.as_gradient(self._call(self._grad, self._grad_two_args, p, "grad"), p, self._layout)

    def hessian(self, p):
        jac = central_difference(self.grad, as_points(p))
        return (jac + np.swapaxes(jac, -1, -2)) / 2

    def __repr__(self):
        return f"Surface.from_function({getattr(self._f, '__name__', 'f')}, name={self.name!r})"
