"""The figures of the 1-D model J(theta) = lambda theta^2 / 2: the iterates on the parabola, theta_k
against k, one panel per regime, and the factor |1 - alpha lambda| against alpha with the regimes shaded."""
from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import _validate
from ..analysis.parabola import iterates, regime, regime_bounds, step_factor
from .figure import axes_for, subplots
from .style import INK, MINIMUM_COLOR, MUTED, PATH_COLORS, REGIME_COLORS


def _theta_window(theta0):
    r = max(1.0, 1.3 * abs(float(theta0)))
    return -r, r


def plot_parabola_path(lam, lr, theta0=1.5, steps=20, ax=None, *, color=None, label=None):
    """The parabola J = lam theta^2 / 2 with the iterates as dots on it, joined in order (a zig-zag when
    they oscillate). Returns a dict of artists: 'curve', 'path', 'start', 'minimum'."""
    ax = axes_for(ax, (5, 3.6))
    lam = float(_validate.positive("lam", lam, example="1.0", scalar=True))
    color = color or PATH_COLORS[0]
    lo, hi = _theta_window(theta0)
    t = np.linspace(lo, hi, 200)
    th = iterates(lam, lr, theta0, steps)
    with np.errstate(all="ignore"):
        j = 0.5 * lam * th ** 2
    arts = {
        "curve": ax.plot(t, 0.5 * lam * t ** 2, color=MUTED, lw=1.5, label=r"$J(\theta)=\lambda\theta^2/2$")[0],
        "path": ax.plot(th, j, "-", color=color, marker="o", ms=4, lw=1.2, label=label or f"α = {lr:.3g}")[0],
        "start": ax.plot([th[0]], [j[0]], "o", color=color, mec=INK, ms=8, label=r"start $\theta_0$")[0],
        "minimum": ax.plot([0], [0], "*", color=MINIMUM_COLOR, mec=INK, ms=13, label="minimum", zorder=5)[0],
    }
    ax.set_xlim(lo, hi)
    ax.set_ylim(-0.05 * 0.5 * lam * hi ** 2, 1.1 * 0.5 * lam * hi ** 2)
    ax.set_xlabel(r"$\theta$")
    ax.set_ylabel(r"$J(\theta)$")
    ax.set_title(f"gradient descent on λθ²/2 (λ = {lam:g})")
    return arts


def plot_iterates(lam, lrs, theta0=1.5, steps=20, ax=None, *, labels=None):
    """theta_k against k for one or several step sizes on J = lam theta^2 / 2; one line each, a legend when
    several. Points outside the window are clipped, so a diverging run leaves the plot. Returns the lines."""
    ax = axes_for(ax, (5, 3.6))
    lrs = np.atleast_1d(np.asarray(lrs, dtype=float))
    th = iterates(lam, lrs, theta0, steps)  # (steps + 1, n)
    k = np.arange(steps + 1)
    labels = labels or [f"α = {a:.3g} ({regime(a, lam)})" for a in lrs]
    lines = [ax.plot(k, th[:, i], "-o", ms=3, lw=1.4, color=PATH_COLORS[i % len(PATH_COLORS)], label=labels[i])[0]
             for i in range(len(lrs))]
    ax.axhline(0, color=INK, lw=0.8)
    lo, hi = _theta_window(theta0)
    ax.set_ylim(lo, hi)
    ax.set_xlim(0, steps)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("iteration k")
    ax.set_ylabel(r"$\theta_k$")
    ax.set_title(rf"iterates $\theta_k$ on $\lambda\theta^2/2$ ($\lambda$ = {float(lam):g})")
    if len(lrs) > 1:
        ax.legend(fontsize=8, loc="lower right")
    return lines


def plot_regimes(lam=1.0, lrs=None, theta0=1.5, steps=12):
    """One panel per regime: the parabola with the iterates of a step size from that regime.

    ``lrs`` defaults to alpha lambda = 0.05, 0.5, 1.6, 2.1. Returns (figure, axes)."""
    lam = float(_validate.positive("lam", lam, example="1.0", scalar=True))
    lrs = np.array([0.05, 0.5, 1.6, 2.1]) / lam if lrs is None else np.atleast_1d(np.asarray(lrs, dtype=float))
    fig, axes = subplots(1, len(lrs), figsize=(3.1 * len(lrs), 3.3), layout="constrained", sharey=True)
    axes = np.atleast_1d(axes)
    for i, (ax, a) in enumerate(zip(axes, lrs)):
        plot_parabola_path(lam, a, theta0, steps, ax, color=PATH_COLORS[i % len(PATH_COLORS)])
        ax.set_title(f"{regime(a, lam)}: α = {a:.3g}\nfactor 1 − αλ = {float(step_factor(a, lam)):.2f}", fontsize=10)
        if i:
            ax.set_ylabel("")
    axes[0].legend(fontsize=7, loc="upper center")
    fig.suptitle(f"The four regimes on J = λθ²/2, λ = {lam:g}, {steps} steps from θ₀ = {theta0:g}")
    return fig, axes


def shade_regimes(ax, lam, lr_range=(1e-3, 10.0), *, text=True):
    """Shade the four regimes over a step-size axis; returns the spans (and labels) so they can be moved."""
    ax, out = axes_for(ax), []
    for name, (a, b) in regime_bounds(lam, lr_range).items():
        span = ax.axvspan(a, b, color=REGIME_COLORS[name], alpha=0.8, lw=0, zorder=0)
        label = ax.text(np.sqrt(a * b) if b > a else np.nan, 1.9, name, ha="center", va="top", fontsize=8,
                        clip_on=True) if text else None
        out.append((name, span, label))
    return out
