"""Quantities against the iteration k: losses, step-size schedules, the local limit along a path, the
escape from a saddle, backtracking's accepted steps, noisy runs, SGD's step-size rules, the sharpness."""
from __future__ import annotations

import numpy as np

from .. import _validate
from ..analysis import curvature, stochastic
from ..engine import Trajectory
from ..problems.surfaces import QuadraticBowl, get_surface
from .figure import axes_for
from .paths import MAX_LEGEND, quiet_legend, run_labels
from .style import INK, LIMIT_COLOR, LIMIT_STYLE, MUTED, OPTIMAL_COLOR, PATH_COLOR, PATH_COLORS



def loss_gap(trajectory: Trajectory):
    """(values, label): loss - f* when the surface has a finite minimum value, else the loss itself."""
    f_min = trajectory.surface.f_min if trajectory.surface is not None else np.nan
    if np.isfinite(f_min):
        return trajectory.losses - f_min, r"$J(\theta_k) - J^*$"
    return trajectory.losses, r"$J(\theta_k)$"


def plot_losses(trajectory: Trajectory, ax=None, *, labels=None, colors=None, legend=True, title="loss"):
    """Loss - f* (or the loss, where f* is unknown) against iteration on a log axis, one line per run; a run
    that diverged says so in its label. Returns the lines."""
    ax = axes_for(ax, (5, 3.5))
    values, ylabel = loss_gap(trajectory)
    s = trajectory.steps + 1
    values = values.reshape(s, -1)
    labels = run_labels(trajectory) if labels is None else [str(v) for v in np.ravel(np.asarray(labels, dtype=object))]
    if len(labels) != values.shape[1]:
        raise ValueError(f"labels: {len(labels)} label{'s' if len(labels) != 1 else ''} for {values.shape[1]} runs; "
                         f"give one label per run (or none for the default labels)")
    div = np.asarray(trajectory.diverged_at).reshape(-1)
    colors = colors or PATH_COLORS
    k = np.arange(s)
    lines = []
    with np.errstate(all="ignore"):
        positive = np.where(values > 0, values, np.nan)
    for i in range(values.shape[1]):
        label = labels[i] + (f" (diverged at step {div[i]})" if div[i] >= 0 else "")
        lines.append(ax.plot(k, positive[:, i], color=colors[i % len(colors)], lw=1.6, label=label)[0])
    ax.set_yscale("log")
    ax.set_xlabel("iteration k")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    if legend and 1 < values.shape[1] <= MAX_LEGEND:
        quiet_legend(ax, fontsize=8)
    if not np.isfinite(positive).any():  # nothing above 0 to draw: keep a log axis matplotlib can scale
        ax.set_ylim(1e-16, 1.0)
    return lines


def plot_schedules(schedules: dict, steps: int = 100, ax=None, *, log=False):
    """alpha_t against t for several labelled schedules, e.g. {'1/t': sv.inverse_time(0.1, 0.05)}.

    Returns {label: line}.
    """
    if not isinstance(schedules, dict) or not schedules:
        raise TypeError(f"schedules must be a non-empty dict label -> schedule; got {schedules!r}")
    steps = _validate.integer("steps", steps, low=1)
    ax = axes_for(ax, (6, 3.4))
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
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # off the curves
    return out


def plot_local_limit(trajectory: Trajectory, ax=None, *, color=None, label=None):
    """The local limit 2 / lambda_max(H(theta_k)) along a single run's path against k (log axis), with
    the step size alpha_k it used; iterations where alpha_k is above the local limit are marked.

    Returns {'limit': line, 'alpha': line, 'over': markers}.
    """
    if not isinstance(trajectory, Trajectory):
        raise TypeError(f"trajectory must be the result of stepviz.run(...); got {type(trajectory).__name__}")
    ax = axes_for(ax, (5.5, 3.4))
    lim = curvature.local_limits(trajectory)
    k = np.arange(lim.size)
    alphas = np.append(np.asarray(trajectory.lrs, dtype=float).reshape(-1), np.nan)[: lim.size]
    shown = np.where(np.isfinite(lim), lim, np.nan)
    limit_line, = ax.plot(k, shown, color=color or LIMIT_COLOR, lw=1.6,
                          label=label or r"local limit $2/\lambda_{max}(H(\theta_k))$")
    alpha_line, = ax.plot(k, alphas, color=INK, lw=1.4, ls="--", label=r"step size $\alpha_k$")
    with np.errstate(invalid="ignore"):
        over = alphas > lim
    over_pts, = ax.plot(k[over], alphas[over], "v", color=PATH_COLOR, ms=3, alpha=0.6, ls="none",
                        label=r"$\alpha_k$ above the local limit")
    ax.set_yscale("log")
    ax.set_xlabel("iteration k")
    ax.set_ylabel("step size")
    ax.set_title("the largest stable step changes along the path")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    return {"limit": limit_line, "alpha": alpha_line, "over": over_pts}


def plot_escape(trajectory: Trajectory, ax=None, *, labels=None, colors=None, threshold=0.5):
    """|theta_2| (the distance from the saddle's stable line) against iteration for every run of a batch,
    on a log axis (symmetric-log, with 0 drawn at 0, when a run stays exactly on the line), with the escape
    threshold. Returns {'lines': [...], 'threshold': line}."""

    if not isinstance(trajectory, Trajectory):
        raise TypeError(f"trajectory must be the result of stepviz.run(...); got {type(trajectory).__name__}")
    ax = axes_for(ax, (5.5, 3.4))
    s = trajectory.steps + 1
    y = np.abs(trajectory.points[..., 1]).reshape(s, -1)
    labels = list(labels) if labels is not None else run_labels(trajectory)
    colors = colors or PATH_COLORS
    lines = []
    for i in range(y.shape[1]):
        lines.append(ax.plot(np.arange(s), y[:, i], color=colors[i % len(colors)], lw=1.6, label=labels[i])[0])
    thr = ax.axhline(threshold, color=MUTED, ls=":", lw=1.2, label=rf"escaped: $|\theta_2| = {threshold:g}$")
    with np.errstate(invalid="ignore"):
        positive = y[y > 0]
    smallest = float(np.min(positive)) if positive.size else threshold
    if np.any(y == 0):  # a run on the stable line stays exactly 0: a symmetric-log axis draws 0 where it is
        linthresh = 10.0 ** np.floor(np.log10(smallest) - 1)
        ax.set_yscale("symlog", linthresh=linthresh, linscale=0.3)
        ax.set_ylim(-linthresh / 2, 3)
    else:
        ax.set_yscale("log")
        ax.set_ylim(smallest / 3, 3)
    ax.set_xlabel("iteration k")
    ax.set_ylabel(r"$|\theta_2|$ (distance from the stable line)")
    ax.set_title("escaping the saddle")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return {"lines": lines, "threshold": thr}


def plot_backtracking(trajectory: Trajectory, ax=None, *, accepted=None, surface=None):
    """The step size backtracking accepted at each iteration, on a log axis in powers of two (the only values
    halving a trial step can give), with the trial step; for a bowl 1/L and 2/L, for any other surface the
    local limit 2/lambda_max along the path. ``accepted`` defaults to the trajectory's step sizes, which for
    a line search are the accepted ones (a single run). The legend sits below the axes, off the data.

    Returns {'accepted': line, 'trial': line, 'limit': line or None, 'inverse_L': line or None,
    'local_limit': line or None}.
    """
    from matplotlib.ticker import LogFormatterSciNotation, LogLocator

    opt = trajectory.optimizer
    accepted = np.asarray(trajectory.lrs if accepted is None else accepted, dtype=float).reshape(-1)
    ax = axes_for(ax, (6, 3.4))
    k = np.arange(accepted.size)
    trial = np.array([np.ravel(opt.alpha(t))[0] for t in range(accepted.size)])
    with np.errstate(invalid="ignore"):
        shown = np.where(accepted > 0, accepted, np.nan)
    # the accepted step in the path's colour, apart from the blue limit lines it often sits on (issue 17 item 12)
    if accepted.size > 100:  # long runs: dots, a step line would fill the axes
        line = ax.plot(k, shown, ".", color=PATH_COLOR, ms=3, label="accepted step")[0]
    else:
        line = ax.step(k, shown, where="post", color=PATH_COLOR, lw=1.8, marker=".", label="accepted step")[0]
    out = {"accepted": line,
           "trial": ax.plot(k, trial, color=INK, ls=":", lw=1.2, label="first trial step")[0]}
    surface = get_surface(surface if surface is not None else trajectory.surface)
    out["limit"] = out["inverse_L"] = out["local_limit"] = None
    if isinstance(surface, QuadraticBowl):
        out["limit"] = ax.axhline(2 / surface.L, color=LIMIT_COLOR, ls="--", lw=1.4, label=rf"$2/L = {2 / surface.L:.3g}$")
        out["inverse_L"] = ax.axhline(1 / surface.L, color=OPTIMAL_COLOR, ls="-.", lw=1.4, label=rf"$1/L = {1 / surface.L:.3g}$")
    elif trajectory.batch_shape == () and hasattr(surface, "hessian"):
        limits = curvature.local_limits(trajectory)
        out["local_limit"] = ax.plot(np.arange(limits.size), limits, color=LIMIT_COLOR, ls=LIMIT_STYLE, lw=1.2,
                                     zorder=3, label=r"local limit $2/\lambda_{\max}$")[0]  # a line over the dots
    ax.set_yscale("log", base=2)
    ax.yaxis.set_major_locator(LogLocator(base=2))
    ax.yaxis.set_major_formatter(LogFormatterSciNotation(base=2))
    ax.set_xlabel("iteration k")
    ax.set_ylabel(r"step size $\alpha_k$")
    ax.set_title("backtracking: the accepted step")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, frameon=False)
    return out


def plot_loss_curves(runs: dict, ax=None, *, marks=()):
    """loss - f* of several single runs against iteration (log axis), one colour each, from a dict
    {label: Trajectory} (runs of different optimizers, which one batched run cannot hold); ``marks`` are
    (k, text) pairs drawn as dotted vertical lines with their text.

    Returns {label: line, 'marks': [line, ...]}.
    """
    if not isinstance(runs, dict) or not runs:
        raise TypeError(f"runs must be a non-empty dict label -> Trajectory; got {runs!r}")
    ax = axes_for(ax, (5.5, 3.6))
    out = {}
    for i, (label, tr) in enumerate(runs.items()):
        if not isinstance(tr, Trajectory) or tr.batch_shape != ():
            raise TypeError(f"runs[{label!r}] must be a single run (a Trajectory without batch axes)")
        out[label] = plot_losses(tr, ax, labels=[label], colors=[PATH_COLORS[(i + 1) % len(PATH_COLORS)]],
                                 legend=False)[0]
    out["marks"] = []
    for k, text in marks:
        out["marks"].append(ax.axvline(k, color=MUTED, ls=":", lw=1.0))
        ax.annotate(text, (k, 0.97), xycoords=("data", "axes fraction"), xytext=(4, 0), textcoords="offset points",
                    va="top", fontsize=8)
    ax.legend(fontsize=8, loc="lower left")
    return out


def plot_noisy_runs(runs: dict, ax=None, *, tol=None, band=True, levels=None):
    """The mean of loss - f* over the repeats of each run of :func:`noisy_runs` against iteration (log
    axis), with a band from the 10th to the 90th percentile (``band``, when there are repeats), ``tol`` as
    a horizontal line, and ``levels`` {label: value} (e.g. a predicted noise ball) as dashed lines.

    Returns {label: line} (plus 'tol' when given, and each level's label).
    """

    ax = axes_for(ax, (6, 3.6))
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
        out["tol"] = ax.axhline(tol, color=MUTED, ls=":", lw=1.2, label=f"tolerance {tol:g}")
    for label, value in (levels or {}).items():
        out[label] = ax.axhline(value, color=INK, ls="--", lw=1.0, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("iteration k")
    if repeats > 1:
        ax.set_ylabel(f"mean {ylabel} over {repeats} runs")
        ax.set_title("noisy gradients: mean loss" + (" (band: 10-90 % of runs)" if band else ""))
    else:
        ax.set_ylabel(ylabel)
        ax.set_title("loss against iteration")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # off the curves
    return out


def plot_schedules_sgd(data, lr=0.2, batch_size=10, decay=0.05, gamma=0.9, steps: int = 2000, runs: int = 10,
                       seed: int = 0, ax=None):
    """Mean excess loss E[J] - J* over ``runs`` SGD runs for three step-size rules:
    a constant alpha (stalls at the noise floor), alpha / (1 + decay t) (Robbins-Monro: sum alpha_t = inf,
    sum alpha_t^2 < inf; converges) and alpha gamma^t (sum alpha_t < inf: stops before it arrives).
    Returns a dict: 'curves' {label: (steps + 1,) mean excess loss}, 'lines', 'floor', 'ax'."""
    curves = stochastic.schedule_comparison(data, lr, batch_size, decay, gamma, steps, runs, seed)
    ax = axes_for(ax, (6.0, 3.8))
    out = {"curves": curves, "lines": {}, "ax": ax}
    for i, (label, curve) in enumerate(curves.items()):
        out["lines"][label] = ax.plot(np.arange(steps + 1), curve, color=PATH_COLORS[i], lw=1.6, label=label)[0]
    floor = stochastic.sgd_stationary(data, lr, batch_size)[1]
    out["floor"] = ax.axhline(floor, color=MUTED, ls="--", lw=1, label=f"predicted floor of constant α ({floor:.2g})")
    ax.set_yscale("log")
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlim(0, steps)
    ax.set_xlabel("iteration k")
    ax.set_ylabel(r"mean $J(\theta_k) - J^*$")
    ax.set_title(f"SGD step-size rules (batch {batch_size}, mean of {runs} runs)")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    return out


