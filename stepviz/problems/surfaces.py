"""Two-dimensional loss surfaces: value, gradient, Hessian, minima and a plot window.

Every method takes points of shape (..., 2) and broadcasts over the leading axes.
"""
from __future__ import annotations

import inspect

import numpy as np

from .. import _validate
from .base import Problem, central_difference


def as_points(p) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    if p.ndim == 0 or p.shape[-1] != 2:
        raise ValueError(f"points must have shape (2,) or (..., 2), one (x, y) pair per point; got shape {p.shape}")
    return p


#: A run on a surface has diverged once a coordinate exceeds this many plot-window sizes.
DIVERGENCE_FACTOR = 100.0


class Surface(Problem):
    """A loss surface f(x, y) on the plane: a :class:`~stepviz.problems.base.Problem` with dim 2, a
    Hessian and a plot window.

    Attributes: ``name``, ``bounds`` ((xmin, xmax), (ymin, ymax)) the plot window, ``minima`` (k, 2),
    ``saddles`` (k, 2) saddle points, ``start`` a default start point, ``f_min`` the lowest value.
    A run on a surface has diverged once a coordinate leaves 100 plot-window sizes
    (``divergence_bound``).
    """

    name = "surface"
    bounds = ((-2.0, 2.0), (-2.0, 2.0))
    minima = np.empty((0, 2))
    saddles = np.empty((0, 2))
    start = np.array([-1.5, 1.0])
    log_levels = False  # contour levels spaced logarithmically (wide value ranges)

    def hessian(self, p) -> np.ndarray:
        raise NotImplementedError

    @property
    def extent(self) -> float:
        """Size of the plot window: the largest |coordinate| of ``bounds``."""
        return float(np.max(np.abs(self.bounds)))

    @property
    def divergence_bound(self) -> float:
        return DIVERGENCE_FACTOR * self.extent

    @classmethod
    def from_function(cls, f, grad=None, bounds=((-2.0, 2.0), (-2.0, 2.0)), name="custom",
                      minima=None, start=None):
        """A surface from your own function.

        ``f`` takes points of shape (..., 2) and returns values of shape (...), or takes two arguments
        ``f(x, y)``. Without ``grad`` the gradient is a central finite difference (step 1e-6 scaled to
        the point); the Hessian is always a central difference of the gradient.
        """
        return FunctionSurface(f, grad=grad, bounds=bounds, name=name, minima=minima, start=start)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class QuadraticBowl(Surface):
    """f(p) = 1/2 p^T H p with H = R diag(curvatures) R^T, R the rotation by ``angle`` degrees.

    Args:
        curvatures: the two eigenvalues of H, both > 0 (default: (1.0, 10.0)).
        angle: rotation of the principal axes in degrees (default: 0.0).
    The minimum is at the origin; ``mu``, ``L`` and ``condition_number`` = L / mu describe H.
    """

    def __init__(self, curvatures=(1.0, 10.0), angle=0.0):
        c = _validate.as_float_array("curvatures", curvatures, "two curvatures > 0, e.g. (1.0, 10.0)")
        if c.shape != (2,):
            raise ValueError(f"curvatures must be two numbers (one per axis), e.g. (1.0, 10.0); got {curvatures!r}")
        if not (np.isfinite(c).all() and (c > 0).all()):
            raise ValueError(f"curvatures must be finite and > 0; got {curvatures!r} "
                             "(a negative curvature makes a saddle: use Saddle)")
        self.curvatures = tuple(map(float, c))
        self.angle = float(_validate.number("angle", angle, allowed="a finite angle in degrees"))
        a = np.deg2rad(self.angle)
        rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
        self.H = rot @ np.diag(c) @ rot.T
        self.H = (self.H + self.H.T) / 2
        self.name = "bowl"
        self.bounds = ((-2.0, 2.0), (-2.0, 2.0))
        self.minima = np.zeros((1, 2))
        self.start = np.array([-1.5, 1.0])

    @property
    def mu(self) -> float:
        return min(self.curvatures)

    @property
    def L(self) -> float:
        return max(self.curvatures)

    @property
    def condition_number(self) -> float:
        return self.L / self.mu

    def value(self, p):
        p = as_points(p)
        g = p @ self.H
        return 0.5 * (p[..., 0] * g[..., 0] + p[..., 1] * g[..., 1])

    def grad(self, p):
        return as_points(p) @ self.H

    def hessian(self, p):
        p = as_points(p)
        return np.broadcast_to(self.H, p.shape[:-1] + (2, 2)).copy()

    def __repr__(self):
        return f"QuadraticBowl(curvatures={self.curvatures}, angle={self.angle:g})"


class Rosenbrock(Surface):
    """f(x, y) = (a - x)^2 + b (y - x^2)^2: a curved valley with its minimum at (a, a^2).

    Args:
        a: position of the minimum (default: 1.0).
        b: steepness of the valley walls, > 0 (default: 100.0).
    """

    log_levels = True

    def __init__(self, a=1.0, b=100.0):
        self.a = float(_validate.number("a", a, allowed="a finite number"))
        self.b = float(_validate.positive("b", b, example="100.0"))
        self.name = "rosenbrock"
        self.bounds = ((-2.0, 2.0), (-1.0, 3.0))
        self.minima = np.array([[self.a, self.a ** 2]])
        self.start = np.array([-1.2, 1.0])

    def value(self, p):
        p = as_points(p)
        x, y = p[..., 0], p[..., 1]
        return (self.a - x) ** 2 + self.b * (y - x ** 2) ** 2

    def grad(self, p):
        p = as_points(p)
        x, y = p[..., 0], p[..., 1]
        r = y - x ** 2
        return np.stack([-2 * (self.a - x) - 4 * self.b * x * r, 2 * self.b * r], axis=-1)

    def hessian(self, p):
        p = as_points(p)
        x, y = p[..., 0], p[..., 1]
        hxx = 2 - 4 * self.b * (y - x ** 2) + 8 * self.b * x ** 2
        hxy = -4 * self.b * x
        hyy = np.full_like(x, 2 * self.b)
        return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)

    def __repr__(self):
        return f"Rosenbrock(a={self.a:g}, b={self.b:g})"


class Saddle(Surface):
    """f(x, y) = x^2 / 2 - y^2 / 2 + quartic * y^4: a saddle point at the origin.

    Args:
        quartic: >= 0 (default: 0.25). For quartic > 0 the minima are at (0, +-1 / sqrt(4 quartic));
            quartic = 0 is the classic unbounded saddle.
    """

    def __init__(self, quartic=0.25):
        self.quartic = float(_validate.non_negative("quartic", quartic, example="0.25"))
        self.name = "saddle"
        self.bounds = ((-2.0, 2.0), (-2.0, 2.0))
        if self.quartic > 0:
            y = 1 / np.sqrt(4 * self.quartic)
            self.minima = np.array([[0.0, y], [0.0, -y]])
        else:
            self.minima = np.empty((0, 2))
        self.saddles = np.zeros((1, 2))
        self.start = np.array([1.8, 0.05])

    def value(self, p):
        p = as_points(p)
        x, y = p[..., 0], p[..., 1]
        return x ** 2 / 2 - y ** 2 / 2 + self.quartic * y ** 4

    def grad(self, p):
        p = as_points(p)
        x, y = p[..., 0], p[..., 1]
        return np.stack([x, -y + 4 * self.quartic * y ** 3], axis=-1)

    def hessian(self, p):
        p = as_points(p)
        y = p[..., 1]
        zero = np.zeros_like(y)
        return np.stack([np.stack([zero + 1, zero], -1), np.stack([zero, -1 + 12 * self.quartic * y ** 2], -1)], -2)

    def __repr__(self):
        return f"Saddle(quartic={self.quartic:g})"


class FunctionSurface(Surface):
    """A learner's own function; see :meth:`Surface.from_function`."""

    def __init__(self, f, grad=None, bounds=((-2.0, 2.0), (-2.0, 2.0)), name="custom", minima=None, start=None):
        if not callable(f):
            raise TypeError(f"f must be a function of points (..., 2) or of (x, y); got {f!r}")
        if grad is not None and not callable(grad):
            raise TypeError(f"grad must be a function returning gradients of shape (..., 2), or None; got {grad!r}")
        self._f = f
        self._grad = grad
        self._two_args = _takes_two_args(f)
        self.name = str(name)
        self.bounds = _validate.bounds("bounds", bounds)
        self.minima = np.empty((0, 2)) if minima is None else _validate.points("minima", minima).reshape(-1, 2)
        if start is None:
            (x0, x1), (y0, y1) = self.bounds
            start = (x0 + 0.2 * (x1 - x0), y0 + 0.8 * (y1 - y0))
        self.start = _validate.points("start", start)

    def value(self, p):
        p = as_points(p)
        out = self._f(p[..., 0], p[..., 1]) if self._two_args else self._f(p)
        return np.broadcast_to(np.asarray(out, dtype=float), p.shape[:-1])

    def grad(self, p):
        p = as_points(p)
        if self._grad is not None:
            g = self._grad(p[..., 0], p[..., 1]) if _takes_two_args(self._grad) else self._grad(p)
            if isinstance(g, (tuple, list)) and len(g) == 2:  # returned (gx, gy); gy may be a constant
                return np.stack([np.broadcast_to(np.asarray(c, dtype=float), p.shape[:-1]) for c in g], axis=-1)
            g = np.asarray(g, dtype=float)
            if g.shape != p.shape and g.shape[:1] == (2,):  # returned an array [gx, gy]
                g = np.moveaxis(g, 0, -1)
            return np.broadcast_to(g, p.shape).copy()
        return central_difference(self.value, p)

    def hessian(self, p):
        jac = central_difference(self.grad, as_points(p))
        return (jac + np.swapaxes(jac, -1, -2)) / 2

    def __repr__(self):
        return f"Surface.from_function({getattr(self._f, '__name__', 'f')}, name={self.name!r})"


def _takes_two_args(f) -> bool:
    try:
        params = [q for q in inspect.signature(f).parameters.values()
                  if q.kind in (q.POSITIONAL_ONLY, q.POSITIONAL_OR_KEYWORD) and q.default is q.empty]
    except (TypeError, ValueError):
        return False
    return len(params) == 2


SURFACES = {"bowl": QuadraticBowl, "rosenbrock": Rosenbrock, "saddle": Saddle}


def get_surface(name_or_surface) -> Surface:
    """A surface from its name ('bowl', 'rosenbrock', 'saddle') or the surface itself."""
    if isinstance(name_or_surface, Surface):
        return name_or_surface
    if isinstance(name_or_surface, str):
        return SURFACES[_validate.choice("surface", name_or_surface.lower(), tuple(SURFACES))]()
    raise TypeError(f"surface must be a Surface or one of {tuple(SURFACES)}; got {name_or_surface!r}")
