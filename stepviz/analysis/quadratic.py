"""``sv.theory``: closed-form results for quadratic bowls f(p) = 1/2 p^T H p, eigenvalues mu = lambda_min, L = lambda_max.

Every function broadcasts over array arguments. On a bowl each eigen-direction evolves on its own, so the
slowest (or least stable) eigenvalue decides the rate. The rates, limits and optima are the update rules'
own (``quadratic_rate``, ``quadratic_limit``, ``quadratic_optimum`` of :mod:`stepviz.optim`), asked with
the bowl's curvatures.
"""
from __future__ import annotations

import numpy as np

from .. import _validate
from ..optim.rules import GD, Momentum, Nesterov
from ..problems.surfaces import QuadraticBowl, Surface


def _bowl(bowl) -> QuadraticBowl:
    if not isinstance(bowl, QuadraticBowl):
        raise TypeError(f"the closed forms hold for a QuadraticBowl; got {bowl!r}")
    return bowl


def _curvatures(bowl):
    return _bowl(bowl).curvatures


def lr_limit(bowl) -> float:
    """2 / L: gradient descent converges on the bowl iff 0 < lr < 2 / L (:meth:`GD.quadratic_limit`)."""
    return GD(1.0).quadratic_limit(_curvatures(bowl))


def optimal_lr(bowl) -> float:
    """2 / (mu + L): the constant step with the fastest worst-case rate (kappa - 1) / (kappa + 1)."""
    return GD(1.0).quadratic_optimum(_curvatures(bowl))["lr"]


def gd_rate(bowl, lr):
    """max_i |1 - lr lambda_i|: the factor by which GD shrinks the distance to the minimum per step."""
    return GD(lr).quadratic_rate(_curvatures(bowl))


def optimal_momentum(bowl):
    """(lr, momentum) of the best heavy ball:
    (4 / (sqrt(L) + sqrt(mu))^2, ((sqrt(L) - sqrt(mu)) / (sqrt(L) + sqrt(mu)))^2)."""
    best = Momentum(1.0).quadratic_optimum(_curvatures(bowl))
    return best["lr"], best["momentum"]


def momentum_rate(bowl, lr, momentum):
    """Spectral radius of heavy-ball momentum (velocity form) on the bowl, the worst over eigenvalues
    (:meth:`Momentum.quadratic_rate`): per eigenvalue lambda, (x, v) evolves by
    [[1 - lr lambda, -gamma], [lr lambda, gamma]]. Stable iff lr L < 2 + 2 momentum."""
    return Momentum(lr, momentum=momentum).quadratic_rate(_curvatures(bowl))


def nesterov_rate(bowl, lr, momentum):
    """Spectral radius of Nesterov's method (velocity form) on the bowl, the worst over eigenvalues.

    Per eigenvalue: z^2 - (1 + gamma)(1 - lr lambda) z + gamma (1 - lr lambda) = 0.
    """
    return Nesterov(lr, momentum=momentum).quadratic_rate(_curvatures(bowl))


def momentum_lr_limit(bowl, momentum):
    """(2 + 2 momentum) / L: heavy ball converges iff 0 < lr < this."""
    return Momentum(1.0, momentum=momentum).quadratic_limit(_curvatures(bowl))


def nesterov_lr_limit(bowl, momentum):
    """(2 + 2 momentum) / ((1 + 2 momentum) L): Nesterov (velocity form) converges iff 0 < lr < this.

    From the Jury conditions on z^2 - (1 + gamma)(1 - a) z + gamma (1 - a) with a = lr L:
    p(-1) = 1 + (1 + 2 gamma)(1 - a) > 0.
    """
    return Nesterov(1.0, momentum=momentum).quadratic_limit(_curvatures(bowl))


#: The four ways heavy ball can move in one direction, indexed by :func:`momentum_regime`.
MOMENTUM_REGIMES = ("monotone", "ripple", "zig-zag", "divergent")


def momentum_matrix(lr, momentum, curvature) -> np.ndarray:
    """The 2x2 matrix M of heavy ball (velocity form) in one direction of curvature lambda:
    (x, v) <- M (x, v) with M = [[1 - lr lambda, -momentum], [lr lambda, momentum]]."""
    a = float(_validate.positive("lr", lr)) * float(_validate.positive("curvature", curvature))
    g = float(_validate.unit_interval("momentum", momentum))
    return np.array([[1.0 - a, -g], [a, g]])


def momentum_regime_bounds(momentum):
    """The regime boundaries of heavy ball in units of a = lr * lambda, for each momentum gamma:
    (monotone up to (1 - sqrt g)^2, ripple up to (1 + sqrt g)^2, zig-zag up to 2 + 2 g, divergent beyond)."""
    g = np.asarray(_validate.unit_interval("momentum", momentum), dtype=float)
    s = np.sqrt(g)
    return (1 - s) ** 2, (1 + s) ** 2, 2 + 2 * g


def momentum_regime(a, momentum):
    """Index into :data:`MOMENTUM_REGIMES` of heavy ball in one direction with a = lr * lambda, from the roots
    of z^2 - (1 + g - a) z + g: two positive real roots (monotone), complex ones of modulus sqrt(g) (ripple),
    two negative real roots (zig-zag: the sign flips every step), a root on or outside the unit circle
    (divergent)."""
    a = np.asarray(a, dtype=float)
    lo, hi, top = momentum_regime_bounds(momentum)
    a, lo, hi, top = np.broadcast_arrays(a, lo, hi, top)
    return np.select([(a <= 0) | (a >= top), a <= lo, a < hi], [3, 0, 1], default=2)


def local_lr_limit(surface: Surface, p):
    """2 / lambda_max(Hessian at p): the largest step that is stable for the local quadratic model at p.

    Where the Hessian has no positive eigenvalue (flat or purely concave) the limit is inf.
    """
    if not isinstance(surface, Surface):
        raise TypeError(f"surface must be a stepviz Surface; got {surface!r}")
    p = _validate.points("p", p)
    H = np.asarray(surface.hessian(p), dtype=float)
    ok = np.isfinite(H).all(axis=(-2, -1))
    lam = np.where(ok, np.linalg.eigvalsh(np.where(ok[..., None, None], H, 0.0))[..., -1], np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(lam > 0, 2.0 / np.where(lam > 0, lam, 1.0), np.where(np.isnan(lam), np.nan, np.inf))
    return float(out) if out.ndim == 0 else out


def ripple_momentum(bowl: QuadraticBowl, lr) -> float:
    """The momentum above which heavy ball oscillates (complex roots) in the bowl's flattest direction:
    gamma = (1 - sqrt(lr mu))^2. Above it the error shrinks like sqrt(gamma)^k, with ripples."""
    if not isinstance(bowl, QuadraticBowl):
        raise TypeError(f"needs a QuadraticBowl; got {bowl!r}")
    lr = _validate.positive("lr", lr)
    return float(max(0.0, 1.0 - np.sqrt(lr * bowl.mu)) ** 2)


def heavy_ball_preset(surface: Surface, start=None):
    """(lr, momentum, mu, L, local) of the heavy-ball optimum for ``surface``.

    On a QuadraticBowl it is the exact optimum of :func:`optimal_momentum`. Elsewhere it is
    the optimum for a quadratic model (local = True): mu the smallest curvature of the Hessian at the
    surface's first minimum, L the largest curvature at that minimum or at ``start`` (the path has to cross
    both). None if the surface has no minimum with positive curvatures.
    """
    if isinstance(surface, QuadraticBowl):
        lr, gamma = optimal_momentum(surface)
        return float(lr), float(gamma), surface.mu, surface.L, False
    if len(surface.minima) == 0:
        return None
    at = [np.asarray(surface.minima[0], dtype=float)]
    if start is not None:
        at.append(np.asarray(start, dtype=float))
    with np.errstate(all="ignore"):
        lam = np.linalg.eigvalsh(surface.hessian(np.stack(at)))
    mu, L = float(lam[0, 0]), float(np.max(lam[:, -1]))
    if not (mu > 0 and np.isfinite(L)):
        return None
    best = Momentum(1.0).quadratic_optimum((mu, L))
    return float(best["lr"]), float(best["momentum"]), mu, L, True


def escape_steps(lr, offset, threshold=0.5):
    """Steps GD needs near the saddle of f = x^2/2 - y^2/2 (+ ...) for |theta_2| to grow from ``offset``
    to ``threshold`` in the linear approximation: theta_2 grows by (1 + alpha) per step, so
    k = log(threshold / offset) / log(1 + alpha). inf for offset 0 (on the stable line it never leaves)."""
    lr = np.asarray(_validate.positive("lr", lr), dtype=float)
    offset = np.abs(np.asarray(_validate.number("offset", offset, allowed="a finite number (for example 1e-3)")))
    threshold = _validate.positive("threshold", threshold, example="0.5")
    with np.errstate(divide="ignore", over="ignore"):
        return np.where(offset > 0, np.log(threshold / np.where(offset > 0, offset, 1.0)) / np.log1p(lr), np.inf)
