"""Paths on a surface: every run of a batch in its own colour, start and end marked, a diverged run drawn
up to where it left with a cross; SGD's cloud of paths with the predicted noise ball."""
from __future__ import annotations

import numpy as np

from .. import _format
from ..analysis import stochastic
from ..engine import Trajectory
from .contours import plot_surface
from .figure import axes_for
from .style import INK, PATH_COLOR, PATH_COLORS

#: Runs beyond this many get no legend (it would cover the axes): the colours alone tell them apart.
MAX_LEGEND = 12


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
            parts.append([f"{opt.symbols.get(name, name)}={_format.num(v)}" for v in flat])
    if not parts:
        lr = opt.lr
        base = f"{opt.name}, " + (f"α={_format.num(lr)}" if not callable(lr) else repr(lr))
        return [base] * n if n == 1 else [f"{base} (run {i})" for i in range(n)]
    return [", ".join(p[i] for p in parts) for i in range(n)]


def quiet_legend(ax, **kwargs):
    """ax.legend(**kwargs) if anything on ax has a label (empty labels: no legend, and no warning)."""
    if ax.get_legend_handles_labels()[0]:
        ax.legend(**kwargs)


def short_label(optimizer) -> str:
    """A label for a legend: the rule's name and the hyperparameters it declares a reader needs
    (``label_hyperparameters``; those of ``implicit_defaults`` only when they differ from their default),
    e.g. 'Adam, α = 0.1', 'Momentum, α = 0.02, γ = 0.9', 'Adadelta' (its default scale 1 left out). Never
    the full repr."""
    parts = [optimizer.name]
    defaults = optimizer.defaults()
    for name in optimizer.label_hyperparameters:
        v = getattr(optimizer, name)
        if name in optimizer.implicit_defaults and not callable(v) and np.ndim(v) == 0 and v == defaults.get(name):
            continue
        shown = repr(v) if callable(v) else _format.num(v, ".3g") if np.ndim(v) == 0 else _format.value(v)
        parts.append(f"{optimizer.symbols.get(name, name)} = {shown}")
    return ", ".join(parts)


def _flat(trajectory: Trajectory):
    """points (steps+1, n, 2), losses (steps+1, n), diverged_at (n,) for the batch flattened."""
    if trajectory.points.shape[-1] != 2:
        raise ValueError(f"a path is drawn on a 2-D surface; this trajectory has points of "
                         f"{trajectory.points.shape[-1]} parameters (project them onto a plane first: "
                         f"sv.analysis.project)")
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


def inside_window(points, bounds):
    """A path (k, 2) cut at its first iterate outside the plot window ``bounds`` ((x0, x1), (y0, y1)), ending
    where that step crosses the border: the part of a diverging path a figure can show without drawing the
    far-out iterates' segments straight across the window."""
    pts = np.asarray(points, dtype=float)
    (x0, x1), (y0, y1) = bounds
    with np.errstate(invalid="ignore"):
        inside = np.isfinite(pts).all(axis=-1) & (pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1)
    if inside.all():
        return pts
    i = int(np.argmin(inside))
    if i == 0 or not np.isfinite(pts[i]).all():
        return pts[: max(i, 1)]
    a, d = pts[i - 1], pts[i] - pts[i - 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.min([((x1 if d[0] > 0 else x0) - a[0]) / d[0] if d[0] else np.inf,
                    ((y1 if d[1] > 0 else y0) - a[1]) / d[1] if d[1] else np.inf])
    return np.vstack([pts[:i], a + t * d])


def plot_path(trajectory: Trajectory, ax=None, *, labels=None, colors=None, legend=True):
    """Paths of every run of a batch, one colour each, start (circle) and end (dot) marked; a diverged run
    is drawn up to where it first left the window, with a cross on the border there. ``labels``: one per
    run (default: the hyperparameters that vary); the legend is drawn for up to 12 runs. Returns a list of
    dicts of artists."""
    if not isinstance(trajectory, Trajectory):
        raise TypeError(f"trajectory must be the result of stepviz.run(...); got {type(trajectory).__name__}")
    surface = trajectory.surface
    points, _, div_at = _flat(trajectory)
    n = points.shape[1]
    labels = run_labels(trajectory) if labels is None else [str(v) for v in np.ravel(np.asarray(labels, dtype=object))]
    if len(labels) != n:
        raise ValueError(f"labels: {len(labels)} label{'s' if len(labels) != 1 else ''} for {n} runs; give one "
                         f"label per run (or none for the default labels)")
    ax = axes_for(ax) if ax is not None else plot_surface(surface)["contour"].axes
    colors = colors or PATH_COLORS
    out = []
    for i in range(points.shape[1]):
        c = colors[i % len(colors)]
        label = labels[i] + (f" (diverged at step {div_at[i]})" if div_at[i] >= 0 else "")
        gone = div_at[i] >= 0
        # a diverged path's later iterates lie far outside: their segments would cross the window as a band
        shown = inside_window(points[:, i], surface.bounds) if gone else points[:, i]
        line, = ax.plot(shown[:, 0], shown[:, 1], "-", color=c, lw=1.6, marker=".", ms=3, label=label, zorder=6)
        start, = ax.plot(*points[0, i], "o", color=c, mec=INK, ms=7, zorder=7)
        end_pt = shown[-1] if gone else last_finite_point(points[:, i], surface)
        end, = ax.plot(*end_pt, "X" if div_at[i] >= 0 else "o", color=c, mec=INK,
                       ms=10 if div_at[i] >= 0 else 5, zorder=7, clip_on=False)
        out.append({"path": line, "start": start, "end": end})
    if legend and 0 < n <= MAX_LEGEND:
        quiet_legend(ax, loc="upper right", fontsize=8, framealpha=0.85)
    return out


def plot_runs(runs: dict, ax=None):
    """The paths of several single runs on one surface, one colour each, from a dict {label: Trajectory}
    (runs of different optimizers or schedules, which one batched run cannot hold), the legend below the
    axes. Returns {label: artists of :func:`plot_path`}."""
    if not isinstance(runs, dict) or not runs:
        raise TypeError(f"runs must be a non-empty dict label -> Trajectory; got {runs!r}")
    first = next(iter(runs.values()))
    ax = axes_for(ax) if ax is not None else plot_surface(first.surface)["contour"].axes
    out = {}
    for i, (label, tr) in enumerate(runs.items()):
        if not isinstance(tr, Trajectory) or tr.batch_shape != ():
            raise TypeError(f"runs[{label!r}] must be a single run (a Trajectory without batch axes)")
        out[label] = plot_path(tr, ax, labels=[label], colors=[PATH_COLORS[i % len(PATH_COLORS)]], legend=False)[0]
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1, frameon=False)
    return out


def plot_sgd_paths(data, lr, batch_size, steps: int = 300, runs: int = 5, seed: int = 0, decay: float = 0.0, ax=None,
                   *, full_batch: bool = False):
    """Contours of the data-defined bowl, ``runs`` SGD paths (thin, one colour, one legend entry) and the
    predicted noise ball (2 sigma ellipse, for a constant step); with ``full_batch`` also full-batch GD with
    the same step size, in black. Returns a dict: 'trajectory', 'paths' (lines), 'ellipse', 'gd' (the GD
    trajectory or None), 'gd_line', 'ax'."""
    data = stochastic.check_data(data)
    ax = axes_for(ax, (5.5, 4.6))
    plot_surface(data, ax)
    tr = stochastic.sgd_runs(data, lr, batch_size, steps, runs, seed, decay)
    lines = [ax.plot(tr.points[:, i, 0], tr.points[:, i, 1], "-", lw=0.9, alpha=0.8, color=PATH_COLOR,
                     label=f"SGD, {runs} runs (batch {batch_size})" if i == 0 else None)[0] for i in range(runs)]
    gd = gd_line = None
    if full_batch:
        gd = stochastic.gd_run(data, lr, steps, decay)
        gd_line, = ax.plot(gd.points[:, 0], gd.points[:, 1], "-", lw=1.8, color=INK, label="full-batch GD")
    ell = stochastic.noise_ellipse(stochastic.sgd_stationary(data, lr, batch_size)[0], data.p_star)
    ellipse, = ax.plot(ell[:, 0], ell[:, 1], "--", color=INK, lw=1.6,
                       label="predicted noise ball (2σ)" if not decay else "noise ball of the constant α₀")
    ax.set_xlabel("slope a")
    ax.set_ylabel("intercept b")
    title = f"SGD, α = {lr:g}" + (f" / (1 + {decay:g} t)" if decay else "") + f", batch {batch_size}"
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize=8, framealpha=0.85)
    return {"trajectory": tr, "paths": lines, "ellipse": ellipse, "gd": gd, "gd_line": gd_line, "ax": ax}
