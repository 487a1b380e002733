r"""Figures for the notebooks on stochastic gradients (08) and neural networks (09).

Stochastic gradients, on the data-defined bowl :class:`stepviz.data.LeastSquares`:

- :func:`sgd_stationary` predicts the noise ball: minibatch SGD with a constant step, d_k = p_k - p*,
  follows d <- (I - alpha H_B) d - alpha g_B(p*), whose second moment settles where
  C = E[(I - alpha H_B) C (I - alpha H_B)] + alpha^2 Sigma_b. For small alpha the excess loss is
  E[J] - J* ~ alpha tr(Sigma_b) / 4: it grows with the step size and shrinks with the batch size.
- :func:`plot_noise_floor` measures that floor against alpha for several batch sizes;
  :func:`plot_schedules_sgd` compares a constant step, a Robbins-Monro step and one that decays too fast.

Neural networks (:mod:`stepviz.nn`): loss curves of a batch of training runs, the range test, the decision
boundary, the curvature (sharpness) of the loss during training and per layer, and a 2-D loss slice with
training paths projected on it.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from .. import _validate, nn
from ..data import LeastSquares, Minibatch
from ..optimizers import GD
from ..run import run
from ..schedules import exponential, inverse_time
from .core import PATH_COLORS, plot_surface


def _data(data) -> LeastSquares:
    if isinstance(data, Minibatch):
        return data.data
    if not isinstance(data, LeastSquares):
        raise TypeError(f"data must be a stepviz LeastSquares surface (e.g. LeastSquares.synthetic()); got {data!r}")
    return data


def _ax(ax, figsize=(5.5, 3.8)):
    return ax if ax is not None else plt.subplots(figsize=figsize, layout="constrained")[1]


# --- stochastic gradients: the noise ball ------------------------------------------------------------
def sgd_data(n: int = 200, noise: float = 1.0, seed: int = 0) -> LeastSquares:
    """The seeded data set of lesson 08: ``LeastSquares.synthetic(n, noise=noise, seed=seed)`` (true line
    y = 2x - 1, x uniform in [-1, 3]) with the start (slope, intercept) = (1, 0), so the plot window is
    small enough to show the noise ball."""
    raw = LeastSquares.synthetic(n=n, noise=noise, seed=seed)
    return LeastSquares(raw.x, raw.y, name=f"least squares (n={n})", start=(1.0, 0.0))


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
        data: a LeastSquares (or its Minibatch).
        lr: the constant step size alpha > 0 (one number).
        batch_size: points per minibatch, in [1, n].
    """
    data = _data(data)
    lr = float(_validate.positive("lr", lr, example="0.05"))
    b = data._batch_size(batch_size)
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
    data = _data(data)
    lr = np.asarray(_validate.positive("lr", lr, example="0.05"), dtype=float)
    burn_in = steps // 4 if burn_in is None else int(burn_in)
    start = np.broadcast_to(data.p_star, (runs,) + lr.shape + (2,))
    tr = run(GD(lr), data.minibatch(batch_size, seed=seed), start=start, steps=steps)
    with np.errstate(all="ignore"):
        gap = np.where(tr.diverged.any(axis=0), np.inf, tr.gap()[burn_in:].mean(axis=(0, 1)))
    return float(gap) if gap.ndim == 0 else gap


def plot_noise_floor(data, lrs=None, batch_sizes=(1, 10, 50), steps: int = 1500, runs: int = 10, seed: int = 0,
                     ax=None):
    """The noise floor E[J] - J* of constant-step SGD against alpha (log-log), one colour per batch size:
    dots measured (:func:`measured_floor`), lines predicted (:func:`sgd_stationary`).

    Returns a dict: 'lrs', 'measured' {b: array}, 'predicted' {b: array}, 'ax'.
    """
    data = _data(data)
    lrs = np.geomspace(0.01, 0.4, 8) if lrs is None else np.asarray(lrs, dtype=float)
    ax = _ax(ax)
    fine = np.geomspace(lrs.min(), lrs.max(), 60)
    out = {"lrs": lrs, "measured": {}, "predicted": {}, "ax": ax}
    for i, b in enumerate(batch_sizes):
        c = PATH_COLORS[i % len(PATH_COLORS)]
        meas = measured_floor(data, lrs, b, steps=steps, runs=runs, seed=seed)
        pred = np.array([sgd_stationary(data, a, b)[1] for a in fine])
        out["measured"][b], out["predicted"][b] = meas, np.array([sgd_stationary(data, a, b)[1] for a in lrs])
        ax.plot(fine, np.where(np.isfinite(pred), pred, np.nan), "-", color=c, lw=1.5, label=f"batch {b}: predicted")
        ax.plot(lrs, np.where(np.isfinite(meas), meas, np.nan), "o", color=c, mec="black", ms=6,
                label=f"batch {b}: measured")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"step size $\alpha$")
    ax.set_ylabel(r"noise floor $E[J] - J^*$")
    ax.set_title("SGD noise floor: grows with α, shrinks with the batch size")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, ncol=1, loc="upper left")
    return out


def sgd_runs(data, lr, batch_size, steps: int = 300, runs: int = 5, seed: int = 0, decay: float = 0.0, start=None):
    """``runs`` independent SGD paths from one start (a single batched :func:`stepviz.run`), step size
    alpha / (1 + decay t). Returns the Trajectory (points (steps + 1, runs, 2))."""
    data = _data(data)
    lr_ = lr if not decay else inverse_time(lr, decay)
    start = data.start if start is None else np.asarray(start, dtype=float)
    return run(GD(lr_), data.minibatch(batch_size, seed=seed), start=np.broadcast_to(start, (runs, 2)), steps=steps)


def plot_sgd_paths(data, lr, batch_size, steps: int = 300, runs: int = 5, seed: int = 0, decay: float = 0.0, ax=None):
    """Contours of the data-defined bowl, ``runs`` SGD paths (thin) and the predicted noise ball (2 sigma
    ellipse, for a constant step). Returns a dict: 'trajectory', 'paths' (lines), 'ellipse', 'ax'."""
    data = _data(data)
    ax = ax if ax is not None else plt.subplots(figsize=(5, 4.4), layout="constrained")[1]
    plot_surface(data, ax)
    tr = sgd_runs(data, lr, batch_size, steps, runs, seed, decay)
    lines = [ax.plot(tr.points[:, i, 0], tr.points[:, i, 1], "-", lw=0.9, alpha=0.8, color=PATH_COLORS[i % 8],
                     label="SGD paths" if i == 0 else None)[0] for i in range(runs)]
    ell = noise_ellipse(sgd_stationary(data, lr, batch_size)[0], data.p_star)
    ellipse, = ax.plot(ell[:, 0], ell[:, 1], "k--", lw=1.6, label="predicted noise ball (2σ)" if not decay else
                       "noise ball of the constant α₀")
    ax.set_xlabel("slope a")
    ax.set_ylabel("intercept b")
    title = f"SGD, α = {lr:g}" + (f" / (1 + {decay:g} t)" if decay else "") + f", batch {batch_size}"
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize=8, framealpha=0.85)
    return {"trajectory": tr, "paths": lines, "ellipse": ellipse, "ax": ax}


def plot_schedules_sgd(data, lr=0.2, batch_size=10, decay=0.05, gamma=0.9, steps: int = 2000, runs: int = 10,
                       seed: int = 0, ax=None):
    """Mean excess loss E[J] - J* over ``runs`` SGD runs for three step-size rules:
    a constant alpha (stalls at the noise floor), alpha / (1 + decay t) (Robbins-Monro: sum alpha_t = inf,
    sum alpha_t^2 < inf; converges) and alpha gamma^t (sum alpha_t < inf: stops before it arrives).
    Returns a dict: 'curves' {label: (steps + 1,) mean excess loss}, 'lines', 'floor', 'ax'."""
    data = _data(data)
    ax = _ax(ax, (6.0, 3.8))
    rules = {f"constant α = {lr:g}": lr,
             f"Robbins–Monro: α/(1 + {decay:g} t)": inverse_time(lr, decay),
             f"too fast: α·{gamma:g}^t": exponential(lr, gamma)}
    start = np.broadcast_to(data.start, (runs, 2))
    out = {"curves": {}, "lines": {}, "ax": ax}
    for i, (label, rule) in enumerate(rules.items()):
        tr = run(GD(rule), data.minibatch(batch_size, seed=seed), start=start, steps=steps)
        with np.errstate(all="ignore"):
            curve = tr.gap().mean(axis=1)
        out["curves"][label] = curve
        out["lines"][label] = ax.plot(np.arange(steps + 1), curve, color=PATH_COLORS[i], lw=1.6, label=label)[0]
    floor = sgd_stationary(data, lr, batch_size)[1]
    out["floor"] = ax.axhline(floor, color="gray", ls="--", lw=1, label=f"predicted floor of constant α ({floor:.2g})")
    ax.set_yscale("log")
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlim(0, steps)
    ax.set_xlabel("iteration k")
    ax.set_ylabel(r"mean $J(\theta_k) - J^*$")
    ax.set_title(f"SGD step-size rules (batch {batch_size}, mean of {runs} runs)")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    return out


# --- neural networks ---------------------------------------------------------------------------------
def plot_nn_losses(result, labels=None, ax=None, title="training loss"):
    """Full-data loss against step for every run of a :class:`stepviz.nn.TrainResult` batch (log y).
    A run that diverged ends with a cross and says so in the legend. Returns the lines."""
    if not isinstance(result, nn.TrainResult):
        raise TypeError(f"result must be the result of stepviz.nn.train(...); got {type(result).__name__}")
    ax = _ax(ax)
    losses = result.losses.reshape(result.steps + 1, -1)
    div = np.asarray(result.diverged_at).reshape(-1)
    if labels is None:
        lrs = result.lrs.reshape(result.steps, -1)[0] if result.steps else np.full(losses.shape[1], np.nan)
        labels = [f"α = {a:.3g}" for a in lrs]
    lines = []
    for i in range(losses.shape[1]):
        label = labels[i] + (f" (diverged at step {div[i]})" if div[i] >= 0 else "")
        lines.append(ax.plot(np.arange(result.steps + 1), losses[:, i], color=PATH_COLORS[i % 8], lw=1.6,
                             label=label)[0])
    ax.set_yscale("log")
    ax.set_xlabel("step k")
    ax.set_ylabel(r"loss $J(\theta_k)$ (cross-entropy)")
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    return lines


def plot_nn_range_test(rt, ax=None):
    """Loss after each step against that step's size (log x) for :func:`stepviz.nn.range_test`, with the
    minimum, the suggested step size (minimum / divisor) and the blow-up marked. Returns the curve line."""
    if not isinstance(rt, nn.RangeTest):
        raise TypeError(f"rt must be the result of stepviz.nn.range_test(...); got {type(rt).__name__}")
    ax = _ax(ax)
    line, = ax.plot(rt.lrs, rt.losses, color="black", lw=1.5, label="loss after the step")
    ax.axvline(rt.min_lr, color="#2ca02c", lw=1.5, label=f"lowest loss at α = {rt.min_lr:.3g}")
    ax.axvline(rt.suggested_lr, color="#1f77b4", lw=1.5, ls="--", label=f"suggested α = {rt.suggested_lr:.3g}")
    if np.isfinite(rt.blowup_lr):
        ax.axvline(rt.blowup_lr, color="#d62728", lw=1.5, ls=":", label=f"blow-up at α = {rt.blowup_lr:.3g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    finite = rt.losses[np.isfinite(rt.losses)]
    if finite.size:
        ax.set_ylim(finite.min() * 0.7, min(finite.max(), 20 * rt.losses[0]) * 1.5)
    ax.set_xlabel(r"step size $\alpha$ (grows every step)")
    ax.set_ylabel(r"loss $J$")
    ax.set_title("learning-rate range test on the network")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    return line


def plot_decision_boundary(model, theta, X, y, ax=None, title=None, n: int = 120):
    """P(y = 1 | x) of the network as a colour map with the 0.5 contour, and the data points.
    Returns the dict 'image', 'boundary', 'points'."""
    ax = ax if ax is not None else plt.subplots(figsize=(4.2, 4), layout="constrained")[1]
    X, y = np.asarray(X, float), np.asarray(y)
    lo, hi = X.min(axis=0) - 0.3, X.max(axis=0) + 0.3
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    prob = model.predict_proba(theta, np.stack([gx.ravel(), gy.ravel()], -1)).reshape(gx.shape)
    image = ax.pcolormesh(gx, gy, prob, cmap="RdBu_r", vmin=0, vmax=1, shading="auto", alpha=0.6)
    boundary = ax.contour(gx, gy, prob, levels=[0.5], colors="black", linewidths=1.2) if np.isfinite(prob).all() \
        and prob.min() < 0.5 < prob.max() else None
    points = [ax.scatter(*X[y == k].T, s=12, color=c, edgecolor="white", lw=0.4, label=f"class {k}")
              for k, c in ((0, "#1f4e9c"), (1, "#b2182b"))]
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    acc = float(model.accuracy(theta, X, y))
    ax.set_title(title or f"decision boundary (accuracy {acc:.0%})")
    ax.legend(fontsize=8, loc="upper right")
    return {"image": image, "boundary": boundary, "points": points}


def nn_hessian(model, X, y, theta, h: float = 1e-4) -> np.ndarray:
    """The Hessian (n_params, n_params) of the network's loss at one theta, by central differences of the
    backprop gradient (all 2 n_params gradients in one batched call), symmetrised."""
    theta = model._theta(theta)
    if theta.shape != (model.n_params,):
        raise ValueError(f"theta must be one parameter vector ({model.n_params},); got shape {theta.shape}")
    P = model.n_params
    E = np.eye(P) * h
    G = model.grad(np.concatenate([theta + E, theta - E]), X, y)
    H = (G[:P] - G[P:]) / (2 * h)
    return (H + H.T) / 2


def lambda_max(H, iters: int = 60, seed: int = 0) -> float:
    """Largest eigenvalue of a symmetric matrix by Lanczos with full reorthogonalisation: matrix-vector
    products only, so it does not start LAPACK's thread pool (np.linalg.eigvalsh of a few hundred rows can
    take a second on a busy machine); exact once ``iters`` reaches the size of H."""
    H = np.asarray(H, dtype=float)
    n = H.shape[0]
    k = min(int(iters), n)
    Q = np.zeros((k + 1, n))
    alpha, beta = np.zeros(k), np.zeros(k)
    q = np.random.default_rng(seed).standard_normal(n)
    Q[0] = q / np.linalg.norm(q)
    m = k
    for j in range(k):
        w = H @ Q[j]
        alpha[j] = Q[j] @ w
        w -= Q[: j + 1].T @ (Q[: j + 1] @ w)
        w -= Q[: j + 1].T @ (Q[: j + 1] @ w)
        beta[j] = np.linalg.norm(w)
        if beta[j] <= 1e-12 * max(1.0, abs(alpha[j])):
            m = j + 1
            break
        Q[j + 1] = w / beta[j]
    T = np.diag(alpha[:m]) + np.diag(beta[: m - 1], 1) + np.diag(beta[: m - 1], -1)
    return float(np.linalg.eigvalsh(T)[-1])


def layer_slices(model) -> list:
    """Index arrays of each layer's parameters (W_l and b_l) in the flat theta."""
    return [np.r_[w, b] for w, _, b in model._layers]


def sharpness(model, X, y, theta, per_layer: bool = False):
    """lambda_max of the loss Hessian at theta (the sharpness); GD is locally stable for alpha < 2 / lambda_max.
    With ``per_layer``, also the largest eigenvalue of each layer's own diagonal block (list)."""
    H = nn_hessian(model, X, y, theta)
    lam = lambda_max(H)
    if not per_layer:
        return lam
    return lam, [lambda_max(H[np.ix_(i, i)]) for i in layer_slices(model)]


def sharpness_along(model, X, y, result, every: int = 1):
    """(steps, sharpness) along the recorded iterates of a single training run (every ``every``-th)."""
    if not isinstance(result, nn.TrainResult) or result.batch_shape:
        raise ValueError("result must be a single run of stepviz.nn.train (index a batch first: res[i])")
    idx = np.arange(0, len(result.recorded), every)
    vals = np.array([sharpness(model, X, y, result.thetas[i]) if np.isfinite(result.thetas[i]).all() else np.nan
                     for i in idx])
    return result.recorded[idx], vals


def plot_sharpness(model, X, y, results, labels=None, every: int = 1, ax=None):
    """Sharpness lambda_max along training for one or more single runs, each with its limit 2 / alpha
    (dashed, same colour): where lambda_max reaches 2 / alpha, GD is at the edge of stability.
    Returns {label: (steps, values)}."""
    results = [results] if isinstance(results, nn.TrainResult) else list(results)
    ax = _ax(ax)
    out = {}
    for i, res in enumerate(results):
        alpha = float(np.ravel(res.lrs)[0]) if res.steps else np.nan
        label = labels[i] if labels is not None else f"α = {alpha:.3g}"
        k, lam = sharpness_along(model, X, y, res, every)
        c = PATH_COLORS[i % 8]
        ax.plot(k, lam, "-o", ms=3, color=c, lw=1.6, label=f"{label}: sharpness λ_max")
        ax.axhline(2 / alpha, color=c, ls="--", lw=1.2, label=f"{label}: 2/α = {2 / alpha:.3g}")
        out[label] = (k, lam)
    ax.set_yscale("log")
    ax.set_xlabel("step k")
    ax.set_ylabel(r"$\lambda_{max}$ of the Hessian")
    ax.set_title("curvature changes during training")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    return out


def plot_layer_limits(model, X, y, thetas, labels, ax=None):
    """Bar chart of 2 / lambda_max of each layer's own Hessian block (the largest stable step for that
    layer alone), one group of bars per theta. Returns the (len(thetas), layers) array of limits."""
    ax = _ax(ax)
    thetas = list(thetas)
    L = len(model._layers)
    limits = np.array([[2 / lam if lam > 0 else np.inf for lam in sharpness(model, X, y, th, True)[1]]
                       for th in thetas])
    width = 0.8 / len(thetas)
    for j, (lim, label) in enumerate(zip(limits, labels)):
        ax.bar(np.arange(L) + (j - (len(thetas) - 1) / 2) * width, lim, width, color=PATH_COLORS[j % 8], label=label)
    ax.set_xticks(np.arange(L), [f"layer {i + 1}\n({model.sizes[i]}→{model.sizes[i + 1]})" for i in range(L)])
    ax.set_yscale("log")
    ax.set_ylabel(r"$2 / \lambda_{max}$ of the layer's block")
    ax.set_title("largest stable step per layer")
    ax.grid(True, axis="y", which="major", alpha=0.3)
    ax.legend(fontsize=8)
    return limits


def plot_loss_slice(sl, paths=(), labels=(), ax=None):
    """Contours (log levels) of a :func:`stepviz.nn.loss_slice` with training paths (each (k, n_params))
    projected on its plane; the plane's centre is a star. Returns {'contour', 'paths' (lines)}."""
    if not isinstance(sl, nn.LossSlice):
        raise TypeError(f"sl must be the result of stepviz.nn.loss_slice(...); got {type(sl).__name__}")
    ax = ax if ax is not None else plt.subplots(figsize=(5.2, 4.4), layout="constrained")[1]
    Z = sl.losses
    finite = Z[np.isfinite(Z) & (Z > 0)]
    levels = np.geomspace(max(finite.min(), 1e-4), finite.max(), 18)
    with np.errstate(all="ignore"):
        cf = ax.contourf(sl.a, sl.b, Z, levels=levels, norm=LogNorm(levels[0], levels[-1]), cmap="Blues_r", extend="both")
        ax.contour(sl.a, sl.b, Z, levels=levels, colors="white", linewidths=0.4, alpha=0.6)
    cbar = ax.figure.colorbar(cf, ax=ax, label="loss J (log scale)")
    ticks = levels[::4]
    cbar.set_ticks(ticks, labels=[f"{v:.2g}" for v in ticks])
    cbar.minorticks_off()
    lines = []
    for i, (path, label) in enumerate(zip(paths, labels)):
        xy = sl.project(path)
        c = PATH_COLORS[i % 8]
        lines.append(ax.plot(xy[:, 0], xy[:, 1], "-", color=c, lw=1.6, marker=".", ms=3, label=label)[0])
        ax.plot(*xy[0], "o", color=c, mec="black", ms=7)
    ax.plot(0, 0, "*", color="gold", mec="black", ms=13, label="centre (trained network)")
    (a0, a1), (b0, b1) = sl.surface.bounds
    ax.set_xlim(a0, a1)
    ax.set_ylim(b0, b1)
    ax.set_xlabel("direction 1")
    ax.set_ylabel("direction 2")
    ax.set_title("a 2-D slice of the loss landscape")
    ax.legend(fontsize=8, loc="upper right", framealpha=0.85)
    return {"contour": cf, "paths": lines}


__all__ = ["sgd_data", "sgd_stationary", "noise_ellipse", "measured_floor", "plot_noise_floor", "sgd_runs", "plot_sgd_paths",
           "plot_schedules_sgd", "plot_nn_losses", "plot_nn_range_test", "plot_decision_boundary", "nn_hessian",
           "lambda_max", "layer_slices", "sharpness", "sharpness_along", "plot_sharpness", "plot_layer_limits", "plot_loss_slice"]
