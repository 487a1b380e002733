"""Figures for the notebooks on choosing a step size (03 curved valleys and saddles, 04 choosing a step
size, 05 schedules).

Each function takes an optional ``ax``, draws with a title, labelled axes and a legend where several
things show, and returns the artists it made (a dict), so tests and widgets can read or update their data.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .. import _validate, theory
from ..optimizers import GD
from ..run import Trajectory, run
from ..surfaces import QuadraticBowl, get_surface
from .core import PATH_COLORS

LIMIT_COLOR = "#d62728"   # red: a stability limit (2/L, 2/lambda_max)
SUGGEST_COLOR = "#2ca02c"  # green: a suggestion / the best value found


def _ax(ax, figsize):
    return ax if ax is not None else plt.subplots(figsize=figsize, layout="constrained")[1]


def _bowl_limit(surface):
    return theory.lr_limit(surface) if isinstance(surface, QuadraticBowl) else None


# --- 03: curved valleys and saddles -------------------------------------------------------------------

def local_limits(trajectory: Trajectory) -> np.ndarray:
    """2 / lambda_max(Hessian at theta_k) along a single run's path, (steps + 1,); NaN after divergence,
    inf where the Hessian has no positive eigenvalue."""
    pts = np.asarray(trajectory.points, dtype=float)
    if pts.ndim != 2:
        raise ValueError("local_limits takes a single run; index the batch first, e.g. traj[0]")
    finite = np.isfinite(pts).all(axis=-1)
    out = np.full(pts.shape[0], np.nan)
    if finite.any():
        out[finite] = np.atleast_1d(theory.local_lr_limit(trajectory.surface, pts[finite]))
    return out


def plot_local_limit(trajectory: Trajectory, ax=None, *, color=None, label=None):
    """The local limit 2 / lambda_max(H(theta_k)) along a single run's path against k (log axis), with
    the step size alpha_k it used; iterations where alpha_k is above the local limit are marked.

    Returns {'limit': line, 'alpha': line, 'over': markers}.
    """
    if not isinstance(trajectory, Trajectory):
        raise TypeError(f"trajectory must be the result of stepviz.run(...); got {type(trajectory).__name__}")
    ax = _ax(ax, (5.5, 3.4))
    lim = local_limits(trajectory)
    k = np.arange(lim.size)
    alphas = np.append(np.asarray(trajectory.lrs, dtype=float).reshape(-1), np.nan)[: lim.size]
    shown = np.where(np.isfinite(lim), lim, np.nan)
    limit_line, = ax.plot(k, shown, color=color or LIMIT_COLOR, lw=1.6,
                          label=label or r"local limit $2/\lambda_{max}(H(\theta_k))$")
    alpha_line, = ax.plot(k, alphas, color="black", lw=1.4, ls="--", label=r"step size $\alpha_k$")
    with np.errstate(invalid="ignore"):
        over = alphas > lim
    over_pts, = ax.plot(k[over], alphas[over], "v", color="#ff7f0e", ms=3, alpha=0.6, ls="none",
                        label=r"$\alpha_k$ above the local limit")
    ax.set_yscale("log")
    ax.set_xlabel("iteration k")
    ax.set_ylabel("step size")
    ax.set_title("the largest stable step changes along the path")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    return {"limit": limit_line, "alpha": alpha_line, "over": over_pts}


def plot_local_limit_map(surface, ax=None, *, n: int = 120, vmin=None, vmax=None):
    """A map of the local limit 2 / lambda_max(H(theta)) over the surface's window (log colour scale),
    with the minima marked. Returns {'image': QuadMesh, 'colorbar': Colorbar, 'values': (n, n) array}."""
    from matplotlib.colors import LogNorm

    surface = get_surface(surface)
    n = _validate.integer("n", n, low=2)
    ax = _ax(ax, (5.2, 4.2))
    (x0, x1), (y0, y1) = surface.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    lim = np.asarray(theory.local_lr_limit(surface, np.stack([X, Y], -1)), dtype=float)
    shown = np.where(np.isfinite(lim), lim, np.nan)
    vmin = np.nanmin(shown) if vmin is None else vmin
    vmax = np.nanmax(shown) if vmax is None else vmax
    image = ax.pcolormesh(X, Y, shown, norm=LogNorm(vmin, vmax), cmap="magma", shading="auto")
    cbar = ax.figure.colorbar(image, ax=ax, label=r"local limit $2/\lambda_{max}$")
    m = np.asarray(surface.minima)
    if len(m):
        ax.plot(m[:, 0], m[:, 1], "*", color="gold", mec="black", ms=13, ls="none", label="minimum")
        ax.legend(loc="upper right", fontsize=8)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_title(f"{surface.name}: largest stable step at each point")
    return {"image": image, "colorbar": cbar, "values": lim}


def escape_steps(lr, offset, threshold=0.5):
    """Steps GD needs near the saddle of f = x^2/2 - y^2/2 (+ ...) for |theta_2| to grow from ``offset``
    to ``threshold`` in the linear approximation: theta_2 grows by (1 + alpha) per step, so
    k = log(threshold / offset) / log(1 + alpha). inf for offset 0 (on the stable line it never leaves)."""
    lr = np.asarray(lr, dtype=float)
    offset = np.abs(np.asarray(offset, dtype=float))
    with np.errstate(divide="ignore"):
        return np.where(offset > 0, np.log(threshold / np.where(offset > 0, offset, 1.0)) / np.log1p(lr), np.inf)


def plot_escape(trajectory: Trajectory, ax=None, *, labels=None, colors=None, threshold=0.5):
    """|theta_2| (the distance from the saddle's stable line) against iteration for every run of a batch,
    on a log axis, with the escape threshold. Returns {'lines': [...], 'threshold': line}."""
    from .core import run_labels

    if not isinstance(trajectory, Trajectory):
        raise TypeError(f"trajectory must be the result of stepviz.run(...); got {type(trajectory).__name__}")
    ax = _ax(ax, (5.5, 3.4))
    s = trajectory.steps + 1
    y = np.abs(trajectory.points[..., 1]).reshape(s, -1)
    labels = list(labels) if labels is not None else run_labels(trajectory)
    colors = colors or PATH_COLORS
    lines = []
    floor = 1e-12
    with np.errstate(invalid="ignore"):
        shown = np.where(y > floor, y, floor)
    for i in range(y.shape[1]):
        lines.append(ax.plot(np.arange(s), shown[:, i], color=colors[i % len(colors)], lw=1.6, label=labels[i])[0])
    thr = ax.axhline(threshold, color="gray", ls=":", lw=1.2, label=rf"escaped: $|\theta_2| = {threshold:g}$")
    ax.set_yscale("log")
    ax.set_ylim(max(np.nanmin(shown) / 3, floor / 3), 3)
    ax.set_xlabel("iteration k")
    ax.set_ylabel(r"$|\theta_2|$ (distance from the stable line)")
    ax.set_title("escaping the saddle")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    return {"lines": lines, "threshold": thr}


# --- 04: choosing a step size -------------------------------------------------------------------------

def _vline(ax, x, color, ls, label):
    if x is None or not np.isfinite(x):
        return None
    return ax.axvline(x, color=color, ls=ls, lw=1.6, label=label)


def plot_grid_search(result, ax=None, *, surface=None):
    """Final loss against alpha for every step size a :func:`~stepviz.grid_search` tried (log-log), one
    colour per round (coarse, then finer), diverged runs as crosses along the top, the best step size
    marked, and 2/L when ``surface`` is a bowl.

    Returns {'rounds': [line per round], 'diverged': line, 'best': line, 'limit': line or None}.
    """
    ax = _ax(ax, (6, 3.6))
    tiny = 1e-300
    finite_all = result.final_losses[np.isfinite(result.final_losses)]
    top = float(np.max(finite_all)) * 30 if finite_all.size else 1.0
    floor = max(float(np.min(finite_all)) / 30, tiny) if finite_all.size else 1e-12
    out = {"rounds": []}
    div_x = []
    for r, rnd in enumerate(result.rounds):
        ok = np.isfinite(rnd.final_losses)
        label = "coarse grid" if r == 0 else f"refinement {r}"
        out["rounds"].append(ax.plot(rnd.lrs[ok], np.maximum(rnd.final_losses[ok], floor), "o-" if r == 0 else "s",
                                     color=PATH_COLORS[(r + 1) % len(PATH_COLORS)], ms=4 + r, lw=1.2,
                                     label=label)[0])
        div_x.extend(rnd.lrs[~ok])
    out["diverged"] = ax.plot(div_x, np.full(len(div_x), top), "x", color="gray", ms=7, ls="none",
                              label="diverged")[0]
    if np.isfinite(result.best_lr):
        out["best"] = ax.plot([result.best_lr], [max(result.best_loss, floor)], "*", color=SUGGEST_COLOR,
                              mec="black", ms=15, ls="none", label=f"best α = {result.best_lr:.3g}", zorder=5)[0]
    else:
        out["best"] = None
    limit = _bowl_limit(get_surface(surface)) if surface is not None else None
    out["limit"] = _vline(ax, limit, LIMIT_COLOR, "--", rf"$2/L = {limit:.3g}$" if limit else None)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"step size $\alpha$")
    ax.set_ylabel(f"loss after {result.rounds[0].trajectory.steps} steps")
    ax.set_title(f"grid search: {result.lrs.size} step sizes, {result.grad_evals} gradient evaluations")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    return out


def plot_range_test(result, ax=None, *, surface=None):
    """The range test's loss against its growing alpha (log-log), with the suggestion, the minimum of the
    curve, the blow-up point and (for a bowl ``surface``) 2/L marked.

    Returns {'loss': line, 'suggested': line, 'minimum': line, 'blowup': line or None, 'limit': line or None}.
    """
    ax = _ax(ax, (6, 3.6))
    with np.errstate(invalid="ignore"):
        shown = np.where(result.smoothed > 0, result.smoothed, np.nan)
    out = {"loss": ax.plot(result.lrs, shown, color=PATH_COLORS[1], lw=1.8, label="loss during the test")[0]}
    out["suggested"] = _vline(ax, result.suggested_lr, SUGGEST_COLOR, "-",
                              f"suggested α = {result.suggested_lr:.3g}")
    out["minimum"] = _vline(ax, result.min_lr, "#9467bd", ":", f"lowest loss at α = {result.min_lr:.3g}")
    out["blowup"] = _vline(ax, result.blowup_lr, "gray", "-.", f"blow-up at α = {result.blowup_lr:.3g}")
    limit = _bowl_limit(get_surface(surface)) if surface is not None else None
    out["limit"] = _vline(ax, limit, LIMIT_COLOR, "--", rf"$2/L = {limit:.3g}$" if limit else None)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"step size $\alpha_t$ (grows every step)")
    ax.set_ylabel("loss")
    ax.set_title(f"learning-rate range test: one run, {result.grad_evals} gradient evaluations")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    return out


def plot_backtracking(trajectory: Trajectory, ax=None, *, accepted=None, surface=None):
    """The step size backtracking accepted at each iteration (log axis), with the trial step and, for a
    bowl, 1/L and 2/L. ``accepted`` defaults to the optimizer's ``accepted_lrs`` (run a single run).

    Returns {'accepted': line, 'trial': line, 'limit': line or None, 'inverse_L': line or None}.
    """
    opt = trajectory.optimizer
    accepted = np.asarray(opt.accepted_lrs if accepted is None else accepted, dtype=float).reshape(-1)
    ax = _ax(ax, (6, 3.4))
    k = np.arange(accepted.size)
    trial = np.asarray(trajectory.lrs, dtype=float).reshape(-1)[: accepted.size]
    with np.errstate(invalid="ignore"):
        shown = np.where(accepted > 0, accepted, np.nan)
    if accepted.size > 100:  # long runs: dots, a step line would fill the axes
        line = ax.plot(k, shown, ".", color=PATH_COLORS[1], ms=2.5, label="accepted step")[0]
    else:
        line = ax.step(k, shown, where="post", color=PATH_COLORS[1], lw=1.8, marker=".", label="accepted step")[0]
    out = {"accepted": line,
           "trial": ax.plot(k, trial, color="black", ls=":", lw=1.2, label="first trial step")[0]}
    surface = get_surface(surface if surface is not None else trajectory.surface)
    out["limit"] = out["inverse_L"] = None
    if isinstance(surface, QuadraticBowl):
        out["limit"] = ax.axhline(2 / surface.L, color=LIMIT_COLOR, ls="--", lw=1.4, label=rf"$2/L = {2 / surface.L:.3g}$")
        out["inverse_L"] = ax.axhline(1 / surface.L, color=SUGGEST_COLOR, ls="-.", lw=1.4, label=rf"$1/L = {1 / surface.L:.3g}$")
    ax.set_yscale("log")
    ax.set_xlabel("iteration k")
    ax.set_ylabel(r"step size $\alpha_k$")
    ax.set_title("backtracking (Armijo): the step chosen at each iteration")
    ax.grid(True, which="major", alpha=0.3)
    with np.errstate(invalid="ignore"):
        top = np.nanmax(np.concatenate([shown, trial, [1e-300]]))
    ax.set_ylim(top=top * 6)  # room for the legend above the curves
    ax.legend(fontsize=8, loc="upper right", ncol=2)
    return out


def plot_costs(costs: dict, ax=None, *, unit="gradient evaluations"):
    """Horizontal bars: the cost of each method, e.g. {'grid search': 2600, 'range test': 100}.

    Returns {'bars': BarContainer, 'labels': [Text]}.
    """
    if not isinstance(costs, dict) or not costs:
        raise TypeError(f"costs must be a non-empty dict method -> number; got {costs!r}")
    names = list(costs)
    values = np.array([float(costs[n]) for n in names])
    ax = _ax(ax, (6, 0.6 + 0.5 * len(names)))
    bars = ax.barh(names, values, color=[PATH_COLORS[i % len(PATH_COLORS)] for i in range(len(names))],
                   label=names)
    texts = [ax.text(v, i, f" {v:,.0f}", va="center", fontsize=9) for i, v in enumerate(values)]
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlim(max(values.min() / 3, 0.5), values.max() * 8)
    ax.set_xlabel(f"{unit} (log scale)")
    ax.set_ylabel("method")
    ax.set_title("what each way of choosing α costs")
    return {"bars": bars, "labels": texts}


# --- 05: schedules ------------------------------------------------------------------------------------

def plot_schedules(schedules: dict, steps: int = 100, ax=None, *, log=False):
    """alpha_t against t for several labelled schedules, e.g. {'1/t': sv.inverse_time(0.1, 0.05)}.

    Returns {label: line}.
    """
    if not isinstance(schedules, dict) or not schedules:
        raise TypeError(f"schedules must be a non-empty dict label -> schedule; got {schedules!r}")
    steps = _validate.integer("steps", steps, low=1)
    ax = _ax(ax, (6, 3.4))
    t = np.arange(steps)
    out = {}
    for i, (label, s) in enumerate(schedules.items()):
        a = np.broadcast_to(s(t) if callable(s) else s, t.shape)
        out[label] = ax.plot(t, a, lw=1.8, color=PATH_COLORS[i % len(PATH_COLORS)], label=label)[0]
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("iteration t")
    ax.set_ylabel(r"step size $\alpha_t$")
    ax.set_title("step-size schedules")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    return out


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


def plot_noisy_runs(runs: dict, ax=None, *, tol=None, band=True):
    """The mean of loss - f* over the repeats of each run of :func:`noisy_runs` against iteration (log
    axis), with a band from the 10th to the 90th percentile (``band``, when there are repeats), and
    ``tol`` as a horizontal line.

    Returns {label: line} (plus 'tol' when given).
    """
    from .core import loss_gap

    ax = _ax(ax, (6, 3.6))
    out = {}
    ylabel, repeats = "loss", 1
    for i, (label, tr) in enumerate(runs.items()):
        values, ylabel = loss_gap(tr)
        values = values.reshape(tr.steps + 1, -1)
        repeats = values.shape[1]
        k = np.arange(tr.steps + 1)
        c = PATH_COLORS[i % len(PATH_COLORS)]
        with np.errstate(all="ignore"):
            mean = np.nanmean(values, axis=1)
            if band and repeats > 1:
                lo, hi = np.nanpercentile(values, [10, 90], axis=1)
                ax.fill_between(k, np.maximum(lo, 1e-300), np.maximum(hi, 1e-300), color=c, alpha=0.12, lw=0)
            out[label] = ax.plot(k, np.where(mean > 0, mean, np.nan), color=c, lw=1.8, label=label)[0]
    if tol is not None:
        out["tol"] = ax.axhline(tol, color="gray", ls=":", lw=1.2, label=f"tolerance {tol:g}")
    ax.set_yscale("log")
    ax.set_xlabel("iteration k")
    if repeats > 1:
        ax.set_ylabel(f"mean {ylabel} over {repeats} runs")
        ax.set_title("noisy gradients: mean loss" + (" (band: 10-90 % of runs)" if band else ""))
    else:
        ax.set_ylabel(ylabel)
        ax.set_title("loss against iteration")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    return out


__all__ = ["local_limits", "plot_local_limit", "plot_local_limit_map", "escape_steps", "plot_escape",
           "plot_grid_search", "plot_range_test", "plot_backtracking", "plot_costs", "plot_schedules",
           "noisy_runs", "plot_noisy_runs"]
