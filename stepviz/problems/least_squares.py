r"""A loss surface made from data: fitting a line by least squares, with full and minibatch gradients.

A line :math:`\hat y = a x + b` fitted to n points :math:`(x_i, y_i)` has the loss, on points p = (a, b) =
(slope, intercept),

.. math:: J(p) = \frac{1}{n} \sum_i \tfrac12 r_i(p)^2, \qquad r_i(p) = a x_i + b - y_i .

It is a quadratic bowl built from the data: with :math:`u_i = (x_i, 1)`,

.. math:: \nabla J(p) = H (p - p^*), \qquad H = \frac1n \sum_i u_i u_i^T
          = \begin{pmatrix} \overline{x^2} & \bar x \\ \bar x & 1 \end{pmatrix},

and the minimum :math:`p^*` solves the normal equations :math:`H p^* = \frac1n \sum_i y_i u_i`.
A minibatch B of b distinct points, drawn uniformly at random, gives the unbiased estimate

.. math:: g_B(p) = \frac1b \sum_{i \in B} r_i(p)\, u_i, \qquad E[g_B(p)] = \nabla J(p),

whose covariance shrinks like (n - b) / (b (n - 1)): stochastic gradient descent with a constant step
stalls in a "noise ball" around :math:`p^*` that grows with the step size and shrinks with the batch size;
a decaying step (Robbins-Monro: sum alpha_t = inf, sum alpha_t^2 < inf) converges.

:func:`stepviz.run` draws the minibatches (``grad_on``) when it is given a batch size::

    data = LeastSquares.synthetic()
    traj = run(GD(lr=0.1), data, steps=500, batch_size=10, seed=0)
"""
from __future__ import annotations

import numpy as np

from .. import _validate
from .surfaces import Surface, as_points

#: Most data points of a least-squares problem (8 MB per column of data).
MAX_POINTS = 1_000_000


class LeastSquares(Surface):
    r"""The least-squares loss of a line fitted to data, on points p = (slope, intercept).

    .. math:: J(a, b) = \frac1n \sum_i \tfrac12 (a x_i + b - y_i)^2 = J^* + \tfrac12 (p - p^*)^T H (p - p^*)

    Args:
        x: inputs, a 1-D array of n >= 2 finite numbers, not all equal.
        y: targets, same shape as x.
        name: shown in plots (default: "least squares").
        bounds: plot window ((slope_min, slope_max), (intercept_min, intercept_max)) (default: a square
            around the minimum that also holds ``start``).
        start: default start point (default: (0, 0), the usual zero initialisation, unless that is within
            0.5 of the minimum; then the minimum + (-1.5, 1)).

    Attributes: ``x``, ``y``, ``n``; ``H`` the (constant) Hessian; ``minima`` (1, 2) the exact minimum
    p* from the normal equations; ``mu``, ``L``, ``condition_number`` = L / mu of H.
    """

    def __init__(self, x, y, *, name="least squares", bounds=None, start=None):
        x = _validate.as_float_array("x", x, "a 1-D array of inputs, e.g. np.linspace(0, 1, 50)")
        y = _validate.as_float_array("y", y, "a 1-D array of targets, one per input")
        if x.ndim != 1 or x.shape[0] < 2:
            raise ValueError(f"x must be a 1-D array of at least 2 inputs; got shape {x.shape}")
        if y.shape != x.shape:
            raise ValueError(f"y must have the same shape as x (one target per input); got x {x.shape}, y {y.shape}")
        for name, v in (("x", x), ("y", y)):
            if not np.isfinite(v).all() or np.abs(v).max() > _validate.LARGEST:
                raise ValueError(f"{name} must hold finite numbers with |{name}| <= {_validate.LARGEST:g} "
                                 f"(their squares must stay finite); got {_validate.show(v)}")
        if x.shape[0] > MAX_POINTS:
            raise ValueError(f"x must hold at most {MAX_POINTS:,} points; got {x.shape[0]:,}")
        if np.ptp(x) == 0:
            raise ValueError("x must hold at least two different values: through points with one x, "
                             "slope and intercept are not determined")
        with np.errstate(all="ignore"):
            spread = np.mean((x - x.mean()) ** 2)
        if not spread > 1e3 * np.finfo(float).tiny or np.ptp(x) <= 1e-12 * np.abs(x).max():
            raise ValueError(f"x values are too close together to determine a slope (spread {np.ptp(x):.3g} "
                             f"around {np.abs(x).max():.3g}): spread the inputs out or rescale them")
        self.x = x.copy()
        self.y = y.copy()
        self.x.flags.writeable = self.y.flags.writeable = False
        self.n = int(x.shape[0])
        self.name = str(name)
        # Normal equations in centred form (stable): slope = cov(x, y) / var(x), intercept = ybar - slope xbar.
        with np.errstate(all="ignore"):
            xm, ym = x.mean(), y.mean()
            slope = np.mean((x - xm) * (y - ym)) / np.mean((x - xm) ** 2)
            self.p_star = np.array([slope, ym - slope * xm])
            self.H = np.array([[np.mean(x * x), xm], [xm, 1.0]])
            r_star = slope * x + self.p_star[1] - y
            self._j_star = 0.5 * float(np.mean(r_star ** 2))
        if not (np.abs(self.p_star).max() <= _validate.LARGEST / 1e10 and np.isfinite(self.H).all()
                and np.isfinite(self._j_star)):
            raise ValueError(f"x and y give a best line with slope {slope:.3g} and intercept {self.p_star[1]:.3g}: "
                             f"too large to fit and draw; rescale x or y")
        self.minima = self.p_star[None, :].copy()
        # Per-point statistics for minibatch gradients, written around p* to avoid cancellation near it:
        # g_B(p) = H_B (p - p*) + g_B(p*), with H_B from means of (x, x^2) and g_B(p*) from (r* x, r*).
        self._stats = np.stack([x, x * x, r_star * x, r_star], axis=-1)
        self._r_star = r_star

        if start is None:
            start = (0.0, 0.0) if np.max(np.abs(self.p_star)) >= 0.5 else self.p_star + (-1.5, 1.0)
        self.start = _validate.points("start", start)
        if self.start.shape != (2,):
            raise ValueError(f"start must be one point (slope, intercept); got shape {self.start.shape}")
        if bounds is None:
            half = max(1.0, 1.5 * float(np.max(np.abs(self.start - self.p_star))))
            bounds = ((self.p_star[0] - half, self.p_star[0] + half), (self.p_star[1] - half, self.p_star[1] + half))
        self.bounds = _validate.bounds("bounds", bounds)
        self._refuse_undrawable("x, y and bounds")

    @classmethod
    def synthetic(cls, n=200, slope=2.0, intercept=-1.0, noise=0.5, seed=0, x_range=(-1.0, 3.0)):
        """Data from a known line: x_i ~ Uniform(x_range), y_i = slope x_i + intercept + noise * N(0, 1).

        Args:
            n: number of points, >= 2 (default: 200).
            slope, intercept: the true line (default: 2.0, -1.0).
            noise: standard deviation of the Gaussian noise on y, >= 0 (default: 0.5).
            seed: seed of the random data, for the same data set every time (default: 0).
            x_range: (low, high) of the inputs (default: (-1.0, 3.0); an off-centre range makes the bowl
                elongated, condition number about 6; a centred one such as (-2, 2) makes it round).
        """
        n = _validate.integer("n", n, low=2, high=MAX_POINTS, why="points of the data set")
        big = 1e40  # y = slope x + intercept + noise e stays far within LARGEST
        slope, intercept, noise = (
            _validate.number(name, v, low=0.0 if name == "noise" else -big, high=big,
                             allowed=f"a finite number {'>= 0 and ' if name == 'noise' else 'with |' + name + '| '}"
                                     f"<= {big:g}")
            for name, v in (("slope", slope), ("intercept", intercept), ("noise", noise)))
        lo_hi = _validate.as_float_array("x_range", x_range, "(low, high), e.g. (-1.0, 3.0)")
        if (lo_hi.shape != (2,) or not np.isfinite(lo_hi).all() or not lo_hi[0] < lo_hi[1]
                or np.abs(lo_hi).max() > big):
            raise ValueError(f"x_range must be (low, high) with low < high, each within +-{big:g}; "
                             f"got {_validate.show(x_range)}")
        rng = np.random.default_rng(_validate.seed("seed", seed))
        x = rng.uniform(lo_hi[0], lo_hi[1], n)
        y = slope * x + intercept + noise * rng.standard_normal(n)
        return cls(x, y, name=f"least squares (n={n})")

    # --- the full loss -------------------------------------------------------------------------------
    @property
    def mu(self) -> float:
        """Smallest eigenvalue of H."""
        return float(np.linalg.eigvalsh(self.H)[0])

    @property
    def L(self) -> float:
        """Largest eigenvalue of H: full-batch GD converges iff 0 < lr < 2 / L."""
        return float(np.linalg.eigvalsh(self.H)[1])

    @property
    def condition_number(self) -> float:
        return self.L / self.mu

    def value(self, p):
        d = as_points(p) - self.p_star
        d0, d1 = d[..., 0], d[..., 1]
        return self._j_star + 0.5 * (self.H[0, 0] * d0 * d0 + 2 * self.H[0, 1] * d0 * d1 + d1 * d1)

    def grad(self, p):
        return (as_points(p) - self.p_star) @ self.H

    def hessian(self, p):
        p = as_points(p)
        return np.broadcast_to(self.H, p.shape[:-1] + (2, 2)).copy()

    def residuals(self, p) -> np.ndarray:
        """r_i(p) = slope x_i + intercept - y_i, shape (..., n)."""
        p = as_points(p)
        return p[..., 0:1] * self.x + p[..., 1:2] - self.y

    # --- minibatches ---------------------------------------------------------------------------------
    def grad_on(self, p, indices) -> np.ndarray:
        r"""The gradient on the points ``indices`` only: g_B(p) = 1/b sum_{i in B} r_i(p) (x_i, 1).

        Args:
            p: points (..., 2).
            indices: whole numbers in [0, n), shape (b,) or (..., b); leading axes broadcast against p's,
                so each run can have its own batch. A repeated index counts twice.
        Averaging g_B over disjoint batches that cover the data set (equal sizes) gives the full gradient.
        """
        return self._grad_from_means(as_points(p), self._stats[_validate.indices("indices", indices, self.n)].mean(axis=-2))

    def _grad_from_means(self, p, s):
        """g_B(p) = H_B (p - p*) + g_B(p*) from s (..., 4), the batch means of x, x^2, r* x, r*."""
        d = p - self.p_star
        d0, d1 = d[..., 0], d[..., 1]
        g0, g1 = s[..., 1] * d0 + s[..., 0] * d1 + s[..., 2], s[..., 0] * d0 + d1 + s[..., 3]
        out = np.empty(np.broadcast_shapes(g0.shape, g1.shape) + (2,))
        out[..., 0], out[..., 1] = g0, g1
        return out

    def subset(self, indices) -> "LeastSquares":
        """The loss of the points ``indices`` alone (one minibatch's own bowl, with its own minimum)."""
        idx = _validate.indices("indices", indices, self.n)
        if idx.ndim != 1:
            raise ValueError(f"indices must be one batch, shape (b,); got shape {idx.shape}")
        return LeastSquares(self.x[idx], self.y[idx], name=f"{self.name}, subset of {idx.size}",
                            bounds=self.bounds, start=self.start)

    def minibatch_covariance(self, p, batch_size) -> np.ndarray:
        r"""Covariance (..., 2, 2) of the minibatch gradient at p, batches of ``batch_size`` distinct points:

        .. math:: \mathrm{Cov}[g_B(p)] = \frac{n - b}{b (n - 1)} \cdot \frac1n \sum_i (g_i - \bar g)(g_i - \bar g)^T,
                  \qquad g_i = r_i(p) (x_i, 1)

        Zero for b = n; it shrinks like 1/b for b << n.
        """
        b = _validate.batch_size("batch_size", batch_size, self.n)
        r = self.residuals(p)
        g = np.stack([r * self.x, r], axis=-1)  # (..., n, 2)
        g = g - g.mean(axis=-2, keepdims=True)
        s1 = np.einsum("...ni,...nj->...ij", g, g) / self.n
        return (self.n - b) / (b * (self.n - 1)) * s1

    def __repr__(self):
        return f"LeastSquares(n={self.n}, minimum=({self.p_star[0]:.4g}, {self.p_star[1]:.4g}))"
