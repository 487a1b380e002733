"""Two-dimensional loss surfaces: value, gradient, Hessian, minima and a plot window.

Every method takes points of shape (..., 2) and broadcasts over the leading axes.
"""
from __future__ import annotations

import numpy as np

from .. import _validate
from .base import Problem


def as_points(p) -> np.ndarray:
    """``p`` as float points of shape (..., 2) (any values, NaN included: runs carry diverged points)."""
    p = p if isinstance(p, np.ndarray) and p.dtype == np.float64 else \
        _validate.as_float_array("p", p, "a point (x, y) or an array of points of shape (..., 2)")
    if p.ndim == 0 or p.shape[-1] != 2:
        raise ValueError(f"points p must have shape (2,) or (..., 2), one (x, y) pair per point; got shape {p.shape}")
    return p


#: A run on a surface has diverged once a coordinate lies this many plot-window sizes from the window.
DIVERGENCE_FACTOR = 100.0
#: Most |value| a surface may take in its plot window: the browser draws float32 (at most 3.4e38) and the
#: loss plots reach 1,000 times the start's value.
LARGEST_VALUE = 1e30


class Surface(Problem):
    """A loss surface f(x, y) on the plane: a :class:`~stepviz.problems.base.Problem` with dim 2, a
    Hessian and a plot window.

    Attributes: ``name``, ``bounds`` ((xmin, xmax), (ymin, ymax)) the plot window, ``minima`` (k, 2),
    ``saddles`` (k, 2) saddle points, ``start`` a default start point, ``f_min`` the lowest value.
    A run on a surface has diverged once a coordinate lies more than 100 plot-window sizes from the window
    (``divergence_bound`` from ``divergence_center``).
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
    def divergence_center(self) -> np.ndarray:
        """The point of the plot window nearest the origin (the origin itself when the window holds it):
        divergence is measured from here."""
        b = np.asarray(self.bounds, dtype=float)
        return np.clip(0.0, b[:, 0], b[:, 1])

    @property
    def divergence_bound(self) -> float:
        """DIVERGENCE_FACTOR window sizes, the window's size being its largest |coordinate| measured from
        ``divergence_center``: for a window around the origin, 100 x its largest |coordinate|; for a window
        off the origin, 100 x its width (or height), wherever it lies. A coordinate farther than this from
        ``divergence_center`` has diverged."""
        return DIVERGENCE_FACTOR * float(np.max(np.abs(np.asarray(self.bounds, dtype=float)
                                                       - self.divergence_center[:, None])))

    @classmethod
    def from_function(cls, f, grad=None, bounds=((-2.0, 2.0), (-2.0, 2.0)), name="custom",
                      minima=None, start=None):
        """A surface from your own function.

        ``f`` takes points of shape (..., 2) and returns values of shape (...), or takes two arguments
        ``f(x, y)``. Without ``grad`` the gradient is a central finite difference (step 1e-6 scaled to
        the point); the Hessian is always a central difference of the gradient. ``f`` is tried at once on
        the start and a grid of the window: a function that returns None, text, complex numbers or the
        wrong shape, raises, or is not finite at the start is an error naming it and the point.
        """
        from .function import FunctionSurface  # the learner's function, with its diagnosis

        return FunctionSurface(f, grad=grad, bounds=bounds, name=name, minima=minima, start=start)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def _refuse_undrawable(self, parameters: str) -> None:
        """A ValueError naming ``parameters`` when the surface's values on a grid of its plot window (and at
        its start) exceed LARGEST_VALUE: they could not be drawn, and a step there would overflow."""
        (x0, x1), (y0, y1) = self.bounds
        grid = np.stack(np.meshgrid(np.linspace(x0, x1, 9), np.linspace(y0, y1, 9)), axis=-1).reshape(-1, 2)
        pts = np.concatenate([grid, np.reshape(self.start, (1, 2))])
        values = np.abs(self.value(pts))
        with np.errstate(invalid="ignore"):
            too_large = values > LARGEST_VALUE  # inf included
        if too_large.any():
            k = int(np.argmax(too_large))
            raise ValueError(f"{parameters} make {self.name} reach {values[k]:.3g} at (x, y) = ({pts[k, 0]:.3g}, "
                             f"{pts[k, 1]:.3g}) in its plot window; stepviz draws values up to {LARGEST_VALUE:g} "
                             f"in magnitude: choose smaller parameters")


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
            raise ValueError(f"curvatures must be two numbers (one per axis), e.g. (1.0, 10.0); "
                             f"got {_validate.show(curvatures)}")
        low, high = 1 / _validate.LARGEST, _validate.LARGEST
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(c).all() and (c >= low).all() and (c <= high).all()
        if not ok:
            raise ValueError(f"curvatures must be two numbers from {low:g} to {high:g}; got "
                             f"{_validate.show(curvatures)}"
                             + (" (a negative curvature makes a saddle: use Saddle)" if (c <= 0).any() else ""))
        self.curvatures = tuple(map(float, c))
        self.angle = _validate.number("angle", angle, allowed="a finite angle in degrees", scalar=True)
        a = np.deg2rad(self.angle)
        rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
        self.H = rot @ np.diag(c) @ rot.T
        self.H = (self.H + self.H.T) / 2
        self.name = "bowl"
        self.bounds = ((-2.0, 2.0), (-2.0, 2.0))
        self.minima = np.zeros((1, 2))
        self.start = np.array([-1.5, 1.0])
        self._refuse_undrawable(f"curvatures={_validate.show(curvatures)}")

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
        self.a = float(_validate.moderate("a", a))
        self.b = _validate.number("b", b, low=0.0, low_open=True, high=_validate.LARGEST, scalar=True,
                                  allowed=f"a number > 0 and <= {_validate.LARGEST:g} (for example 100.0)")
        self.name = "rosenbrock"
        self.bounds = ((-2.0, 2.0), (-1.0, 3.0))
        self.minima = np.array([[self.a, self.a ** 2]])
        self.start = np.array([-1.2, 1.0])
        self._refuse_undrawable(f"a={self.a:g}, b={self.b:g}")

    def value(self, p):
        p = as_points(p)
        x, y = p[..., 0], p[..., 1]
        return (self.a - x) ** 2 + self.b * (y - x ** 2) ** 2

    def grad(self, p):
        p = as_points(p)
        x, y = p[..., 0], p[..., 1]
        # the formula's operations in its order, written into one array (no np.stack, fewer temporaries: a sweep
        # step's gradient is numpy call overhead); arrays even for one point, so the in-place steps work
        out = np.empty(p.shape)
        r = np.multiply(x, x, out=np.empty(x.shape))
        np.subtract(y, r, out=r)  # y - x**2
        t = np.multiply(4 * self.b, x, out=np.empty(x.shape))
        t *= r
        gx = out[..., 0]
        np.subtract(self.a, x, out=gx)
        gx *= -2
        gx -= t  # -2 (a - x) - 4 b x r
        np.multiply(2 * self.b, r, out=out[..., 1])
        return out

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
        self.quartic = _validate.number("quartic", quartic, low=0.0, high=_validate.LARGEST, scalar=True,
                                        allowed=f"a number from 0 to {_validate.LARGEST:g} (for example 0.25)")
        self.name = "saddle"
        self.bounds = ((-2.0, 2.0), (-2.0, 2.0))
        if self.quartic > 0:
            y = 1 / np.sqrt(4 * self.quartic)
            self.minima = np.array([[0.0, y], [0.0, -y]])
        else:
            self.minima = np.empty((0, 2))
        self.saddles = np.zeros((1, 2))
        self.start = np.array([1.8, 0.05])
        self._refuse_undrawable(f"quartic={self.quartic:g}")

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


SURFACES = {"bowl": QuadraticBowl, "rosenbrock": Rosenbrock, "saddle": Saddle}


def get_surface(name_or_surface) -> Surface:
    """A surface from its name ('bowl', 'rosenbrock', 'saddle') or the surface itself."""
    if isinstance(name_or_surface, Surface):
        return name_or_surface
    if isinstance(name_or_surface, str):
        return SURFACES[_validate.choice("surface", name_or_surface.lower(), tuple(SURFACES))]()
    raise TypeError(f"surface must be a Surface or one of {tuple(SURFACES)}; got {name_or_surface!r}")
