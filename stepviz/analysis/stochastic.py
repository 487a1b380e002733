r"""Stochastic gradients on the data-defined bowl :class:`~stepviz.problems.least_squares.LeastSquares`:

- :func:`sgd_stationary` predicts the noise ball: minibatch SGD with a constant step, d_k = p_k - p*,
  follows d <- (I - alpha H_B) d - alpha g_B(p*), whose second moment settles where
  C = E[(I - alpha H_B) C (I - alpha H_B)] + alpha^2 Sigma_b. For small alpha the excess loss is
  E[J] - J* ~ alpha tr(Sigma_b) / 4: it grows with the step size and shrinks with the batch size.
- :func:`noise_ball` is the same floor on a quadratic bowl with additive gradient noise (``run(..., noise=)``);
- :func:`measured_floor` measures that floor; :func:`sgd_runs` and :func:`noisy_runs` run the batches the
  figures show; :func:`steps_to_tolerance` reads when each schedule reaches a tolerance.
"""
from __future__ import annotations

import numpy as np

from .. import _validate
from ..engine import run, settled_at
from ..optim.rules import GD
from ..optim.schedules import exponential, inverse_time
from ..problems.least_squares import LeastSquares
from ..problems.surfaces import get_surface


def check_data(data) -> LeastSquares:
    """``data`` if it is a LeastSquares problem, else a TypeError that says what is needed."""
    if not isinstance(data, LeastSquares):
        raise TypeError(f"data must be a stepviz LeastSquares surface (e.g. LeastSquares.synthetic()); got {data!r}")
    return data


def sgd_stationary(data, lr, batch_size):
    r"""The noise ball of constant-step minibatch SGD on a least-squares bowl, predicted exactly.

    With d = p - p*, one step is d <- (I - alpha H_B) d - alpha g_B(p*), where H_B and g_B(p*) are the
    batch means of u_i u_i^T and r_i* u_i (u_i = (x_i, 1)). The mean of d goes to 0 and its second moment
    C = E[d d^T] settles at the solution of

    .. math:: C = (I - \alpha H) C (I - \alpha H) + \alpha^2\, c_b\, \overline{(H_i - H) C (H_i - H)}
              + \alpha^2 \Sigma_b, \qquad c_b = \frac{n - b}{b (n - 1)}

    (Sigma_b = the minibatch gradient covariance at p*). Returns (C, excess) with excess = E[J] - J* =
    tr(H C) / 2. For small alpha, excess ~ alpha tr(Sigma_b) / 4. Where the second moment grows without
    bound (alpha too large for this batch size) C is inf.

    Args:
        data: a LeastSquares.
        lr: the constant step size alpha > 0 (one number).
        batch_size: points per minibatch, in [1, n].
    """
    data = check_data(data)
    lr = float(_validate.positive("lr", lr, example="0.05", scalar=True))
    b = _validate.batch_size("batch_size", batch_size, data.n)
    n, H = data.n, data.H
    c_b = (n - b) / (b * (n - 1))
    U = np.stack([data.x, np.ones(n)], axis=-1)
    Hi = U[:, :, None] * U[:, None, :] - H  # (n, 2, 2) per-point Hessians minus their mean
    A = np.eye(2) - lr * H
    # vec(M C N) = (M kron N^T) vec(C) for row-major vec; all matrices here are symmetric
    T = np.kron(A, A) + lr ** 2 * c_b * np.einsum("nij,nkl->ikjl", Hi, Hi).reshape(4, 4) / n
    Sigma = data.minibatch_covariance(data.p_star, b)
    with np.errstate(all="ignore"):
        stable = np.max(np.abs(np.linalg.eigvals(T))) < 1
        if not stable:
            return np.full((2, 2), np.inf), float("inf")
        C = np.linalg.solve(np.eye(4) - T, lr ** 2 * Sigma.reshape(4)).reshape(2, 2)
    C = (C + C.T) / 2
    return C, float(0.5 * np.trace(H @ C))


def noise_ellipse(C, center, k: float = 2.0, n: int = 100) -> np.ndarray:
    """Points (n, 2) of the ellipse center + k C^(1/2) (cos t, sin t): k = 2 holds most of a Gaussian cloud
    of covariance C. NaN points when C is not finite."""
    C = np.asarray(C, dtype=float)
    t = np.linspace(0, 2 * np.pi, n)
    if not np.isfinite(C).all():
        return np.full((n, 2), np.nan)
    w, V = np.linalg.eigh(C)
    root = V * np.sqrt(np.maximum(w, 0.0))
    return np.asarray(center, dtype=float) + k * np.stack([np.cos(t), np.sin(t)], axis=-1) @ root.T


def measured_floor(data, lr, batch_size, steps: int = 2000, runs: int = 20, seed: int = 0, burn_in=None):
    """The measured noise floor: E[J] - J* averaged over ``runs`` SGD runs (from the minimum, so no
    transient) and over their last ``steps - burn_in`` iterates (burn_in default: steps // 4).
    ``lr`` may be a 1-D array: one floor per step size (a single batched run)."""
    data = check_data(data)
    lr = np.asarray(_validate.positive("lr", lr, example="0.05"), dtype=float)
    burn_in = steps // 4 if burn_in is None else int(burn_in)
    start = np.broadcast_to(data.p_star, (runs,) + lr.shape + (2,))
    tr = run(GD(lr), data, start=start, steps=steps, batch_size=batch_size, seed=seed)
    with np.errstate(all="ignore"):
        gap = np.where(tr.diverged.any(axis=0), np.inf, tr.gap()[burn_in:].mean(axis=(0, 1)))
    return float(gap) if gap.ndim == 0 else gap


def sgd_runs(data, lr, batch_size, steps: int = 300, runs: int = 5, seed: int = 0, decay: float = 0.0, start=None):
    """``runs`` independent SGD paths from one start (a single batched :func:`stepviz.run`), step size
    alpha / (1 + decay t). Returns the Trajectory (points (steps + 1, runs, 2))."""
    data = check_data(data)
    lr_ = lr if not decay else inverse_time(lr, decay)
    start = data.start if start is None else np.asarray(start, dtype=float)
    return run(GD(lr_), data, start=np.broadcast_to(start, (runs, 2)), steps=steps, batch_size=batch_size,
               seed=seed)


def gd_run(data, lr, steps: int = 300, decay: float = 0.0, start=None):
    """Full-batch gradient descent on the same data with the same step rule as :func:`sgd_runs` (one run)."""
    data = check_data(data)
    lr_ = lr if not decay else inverse_time(lr, decay)
    return run(GD(lr_), data, start=data.start if start is None else start, steps=steps)


def mean_square_limit(data, batch_size, *, tol: float = 1e-4) -> float:
    """The largest constant step size for which minibatch SGD's mean squared error stays bounded: where
    :func:`sgd_stationary` stops having a finite solution (bisection). Below 2/L for small batches, because
    each step multiplies the error by I - alpha H_B with the batch's own curvature H_B; equal to 2/L for the
    full batch."""
    data = check_data(data)
    lo, hi = 0.0, 2.0 / data.L * (1 + 1e-9)
    while hi - lo > tol * hi:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if np.isfinite(sgd_stationary(data, mid, batch_size)[1]) else (lo, mid)
    return lo


def divergence_share(data, lrs, *, batch_size=None, noise=0.0, runs: int = 20, steps: int = 300, seed: int = 0):
    """The share of ``runs`` runs (from data.start, one batched run) that diverge within ``steps`` steps, for
    each step size of ``lrs``: minibatch SGD with ``batch_size``, or full-batch GD with Gaussian ``noise``
    added to every gradient (batch_size None)."""
    data = check_data(data)
    lrs = np.atleast_1d(np.asarray(_validate.positive("lrs", lrs), dtype=float))
    start = np.broadcast_to(data.start, (runs, lrs.size, 2))
    tr = run(GD(lrs), data, start=start, steps=steps, batch_size=batch_size, noise=noise, seed=seed)
    return np.asarray(tr.diverged, dtype=float).mean(axis=0)


def noisy_runs(surface, schedules: dict, steps=300, *, noise=1.0, repeats=20, seed=0, start=None,
               optimizer=GD):
    """Run ``optimizer`` with each labelled step size or schedule on ``surface``, ``repeats`` times with
    gradient noise, as one batched run per schedule. Returns {label: Trajectory of batch (repeats,)}."""
    surface = get_surface(surface)
    repeats = _validate.integer("repeats", repeats, low=1)
    start = surface.start if start is None else np.asarray(start, dtype=float)
    starts = np.broadcast_to(start, (repeats, 2))
    return {label: run(optimizer(lr=s), surface, starts, steps, noise=noise, seed=seed)
            for label, s in schedules.items()}


def noise_ball(bowl, lr, noise):
    r"""The mean excess loss E[J - J*] at which GD with a constant step ``lr`` settles on a quadratic ``bowl``
    when every gradient carries independent Gaussian noise of standard deviation ``noise`` per coordinate
    (``run(..., noise=noise)``): along a direction of curvature lambda the error follows
    e <- (1 - lr lambda) e - lr noise xi, whose variance settles at lr noise^2 / (lambda (2 - lr lambda)), so

    E[J - J*] = sum_i lr noise^2 / (2 (2 - lr lambda_i))   (proportional to lr for small lr; inf at lr >= 2/L).
    """
    from ..problems.surfaces import QuadraticBowl

    if not isinstance(bowl, QuadraticBowl):
        raise TypeError(f"noise_ball needs a QuadraticBowl; got {bowl!r}")
    lr = _validate.positive("lr", lr)
    noise = _validate.non_negative("noise", noise, example="1.0")
    lam = np.asarray(bowl.curvatures, dtype=float)
    if lr * lam.max() >= 2:
        return float("inf")
    return float(np.sum(lr * noise ** 2 / (2 * (2 - lr * lam))))


def steps_to_tolerance(schedules: dict, surface, tol, steps=300, *, start=None, noise=0.0, seed=0,
                       repeats=1) -> dict:
    """{label: the step from which loss - f* stays <= tol (-1 if it is not within tol at the end)} for GD with each labelled step size or
    schedule; with ``repeats`` > 1, the mean of loss - f* over that many noisy runs (one batched run each)."""
    start = surface.start if start is None else np.asarray(start, dtype=float)
    starts = np.broadcast_to(start, (int(repeats), 2)) if repeats > 1 else start
    out = {}
    for label, lr in schedules.items():
        tr = run(GD(lr=lr), surface, starts, steps, noise=noise, seed=seed)
        gap = tr.gap()
        if repeats > 1:
            gap = np.where(tr.diverged, np.inf, gap).mean(axis=1) if tr.diverged.any() else gap.mean(axis=1)
        out[label] = int(settled_at(gap, tol))
    return out


def schedule_comparison(data, lr=0.2, batch_size=10, decay=0.05, gamma=0.9, steps: int = 2000, runs: int = 10,
                        seed: int = 0) -> dict:
    """Mean excess loss E[J] - J* over ``runs`` SGD runs for three step-size rules: a constant alpha
    (stalls at the noise floor), alpha / (1 + decay t) (Robbins-Monro: sum alpha_t = inf,
    sum alpha_t^2 < inf; converges) and alpha gamma^t (sum alpha_t < inf: stops before it arrives).
    Returns {label: (steps + 1,) mean excess loss}."""
    data = check_data(data)
    rules = {f"constant α = {lr:g}": lr,
             f"Robbins–Monro: α/(1 + {decay:g} t)": inverse_time(lr, decay),
             f"too fast: α·{gamma:g}^t": exponential(lr, gamma)}
    start = np.broadcast_to(data.start, (runs, 2))
    curves = {}
    for label, rule in rules.items():
        tr = run(GD(rule), data, start=start, steps=steps, batch_size=batch_size, seed=seed)
        with np.errstate(all="ignore"):
            curves[label] = tr.gap().mean(axis=1)
    return curves
