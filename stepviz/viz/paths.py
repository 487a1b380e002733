"""Paths on a surface: every run of a batch in its own colour, start and end marked, a diverged run drawn
up to where it left with a cross; SGD's cloud of paths with the predicted noise ball."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .. import _format
from ..analysis import stochastic
from ..engine import Trajectory
from .contours import plot_surface
from .style import PATH_COLORS, SYMBOLS


def run_labels(trajectory: Trajectory) -> list:
    """One label per run of the batch (flattened), naming the hyperparameters that vary across it."""
    batch = trajectory.batch_shape
    n = int(np.prod(batch)) if batch else 1
    opt = trajectory.optimizer
    if opt is None:
        return [f"run {i}" for i in range(n)]
    parts = []
    for name, value in opt.hyperparameters.items():
        if callable(value):
            continue
        if np.ndim(value) > 0:
            flat = np.broadcast_to(value, np.broadcast_shapes(np.shape(value), batch)).reshape(-1)
            parts.append([f"{SYMBOLS.get(name, name)}={_format.num(v)}" for v in flat])
    if not parts:
        lr = opt.lr
        base = f"{opt.name}, " + (f"α={_format.num(lr)}" if not callable(lr) else repr(lr))
        return [base] * n if n == 1 else [f"{base} (run {i})" for i in range(n)]
    return [", ".join(p[i] for p in parts) for i in range(n)]


def _flat(trajectory: Trajectory):
    """points (steps+1, n, 2), losses (steps+1, n), diverged_at (n,) for the batch flattened."""
    s = trajectory.steps + 1
    return (trajectory.points.reshape(s, -1, 2), trajectory.losses.reshape(s, -1),
            np.asarray(trajectory.diverged_at).reshape(-1))


def last_finite_point(points, surface):
    """Last finite point of a path (k, 2), pulled onto the window's border if it lies outside."""
    finite = np.isfinite(points).all(axis=-1)
    if not finite.any():
        return np.array([np.nan, np.nan])
    p = points[np.nonzero(finite)[0][-1]]
    (x0, x1), (y0, y1) = surface.bounds
    return np.array([np.clip(p[0], x0, x1), np.clip(p[1], y0, y1)])


def plot_path(trajectory: Trajectory, ax=None, *, labels=None, colors=None, legend=True):
    """Paths of every run of a batch, one colour each, start (circle) and end (dot) marked; a diverged run
    is drawn up to where it left, with a cross where it was last seen. Returns a list of dicts of artists."""
    if not isinstance(trajectory, Trajectory):
        raise TypeError(f"trajectory must be the result of stepviz.run(...); got {type(trajectory).__name__}")
    surface = trajectory.surface
    ax = ax if ax is not None else plot_surface(surface)["contour"].axes
    points, _, div_at = _flat(trajectory)
    labels = list(labels) if labels is not None else run_labels(trajectory)
    colors = colors or PATH_COLORS
    out = []
    for i in range(points.shape[1]):
        c = colors[i % len(colors)]
        label = labels[i] + (f" (diverged at step {div_at[i]})" if div_at[i] >= 0 else "")
        gone = div_at[i] >= 0  # a diverged path zig-zags across the window: keep it under the others
        line, = ax.plot(points[:, i, 0], points[:, i, 1], "-", color=c, lw=1.2 if gone else 1.6, marker=".", ms=3,
                        label=label, zorder=5.5 if gone else 6, alpha=0.55 if gone else 1.0)
        start, = ax.plot(*points[0, i], "o", color=c, mec="black", ms=7, zorder=7)
        end_pt = last_finite_point(points[:, i], surface)
        end, = ax.plot(*end_pt, "X" if div_at[i] >= 0 else "o", color=c, mec="black",
                       ms=10 if div_at[i] >= 0 else 5, zorder=7, clip_on=False)
        out.append({"path": line, "start": start, "end": end})
    if legend and points.shape[1] > 0:
        ax.legend(loc="upper right", fontsize=8, framealpha=0.85)
    return out


def plot_sgd_paths(data, lr, batch_size, steps: int = 300, runs: int = 5, seed: int = 0, decay: float = 0.0, ax=None):
    """Contours of the data-defined bowl, ``runs`` SGD paths (thin) and the predicted noise ball (2 sigma
    ellipse, for a constant step). Returns a dict: 'trajectory', 'paths' (lines), 'ellipse', 'ax'."""
    data = stochastic.check_data(data)
    ax = ax if ax is not None else plt.subplots(figsize=(5, 4.4), layout="constrained")[1]
    plot_surface(data, ax)
    tr = stochastic.sgd_runs(data, lr, batch_size, steps, runs, seed, decay)
    lines = [ax.plot(tr.points[:, i, 0], tr.points[:, i, 1], "-", lw=0.9, alpha=0.8, color=PATH_COLORS[i % len(PATH_COLORS)],
                     label="SGD paths" if i == 0 else None)[0] for i in range(runs)]
    ell = stochastic.noise_ellipse(stochastic.sgd_stationary(data, lr, batch_size)[0], data.p_star)
    ellipse, = ax.plot(ell[:, 0], ell[:, 1], "k--", lw=1.6, label="predicted noise ball (2σ)" if not decay else
                       "noise ball of the constant α₀")
    ax.set_xlabel("slope a")
    ax.set_ylabel("intercept b")
    title = f"SGD, α = {lr:g}" + (f" / (1 + {decay:g} t)" if decay else "") + f", batch {batch_size}"
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize=8, framealpha=0.85)
    return {"trajectory": tr, "paths": lines, "ellipse": ellipse, "ax": ax}
