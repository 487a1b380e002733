"""Figures for the notebooks on the update rule (01) and on steps too big or too small (02).

On the 1-D parabola J(theta) = lambda theta^2 / 2 one gradient step multiplies theta by the factor
(1 - alpha lambda), so theta_k = (1 - alpha lambda)^k theta_0. The factor sorts every step size into one of
four regimes (:data:`REGIMES`), with boundaries at alpha = 1/lambda and alpha = 2/lambda. The parabola is a
slice of an isotropic :class:`~stepviz.surfaces.QuadraticBowl` along its first axis, so the iterates come from
the same :func:`~stepviz.run` as everything else.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import _validate, theory
from ..optimizers import GD
from ..run import Trajectory, run
from ..surfaces import QuadraticBowl
from .core import PATH_COLORS

#: Below this value of alpha * lambda the factor (1 - alpha lambda) is above 0.9: a step removes less than a
#: tenth of the remaining distance, and the iterates creep.
CREEP_LIMIT = 0.1

#: The regimes of gradient descent on J = lambda theta^2 / 2, in order of growing step size.
REGIMES = {
    "creeping": "0 < αλ < 0.1: the factor is above 0.9; θ shrinks towards 0 from one side, slowly",
    "smooth": "0.1 ≤ αλ ≤ 1: θ slides to 0 from one side; α = 1/λ lands on the minimum in one step",
    "oscillating": "1 < αλ < 2: the factor is negative; θ jumps across the minimum each step, but converges",
    "diverging": "αλ ≥ 2: |1 − αλ| ≥ 1; θ bounces with growing (at αλ = 2: constant) amplitude, never converges",
}
REGIME_COLORS = {"creeping": "#c6dbef", "smooth": "#a1d99b", "oscillating": "#fdd0a2", "diverging": "#fcbba1"}


def step_factor(lr, lam):
    """1 - alpha lambda: what one gradient step multiplies theta by on J = lambda theta^2 / 2."""
    return 1.0 - np.asarray(lr, dtype=float) * np.asarray(lam, dtype=float)


def regime(lr, lam) -> str:
    """The regime ('creeping', 'smooth', 'oscillating' or 'diverging') of step size ``lr`` on curvature ``lam``."""
    lr = _validate.positive("lr", lr, example="0.1")
    lam = _validate.positive("lam", lam, example="1.0")
    a = float(lr) * float(lam)
    if a < CREEP_LIMIT:
        return "creeping"
    if a <= 1.0:
        return "smooth"
    if a < 2.0:
        return "oscillating"
    return "diverging"


def parabola(lam) -> QuadraticBowl:
    """The isotropic bowl whose slice along theta_1 is J(theta) = lam theta^2 / 2."""
    lam = _validate.positive("lam", lam, example="1.0")
    return QuadraticBowl(curvatures=(float(lam), float(lam)))


def parabola_run(lam, lr, theta0=1.5, steps=20) -> Trajectory:
    """Gradient descent with step ``lr`` on J = lam theta^2 / 2 from ``theta0``; theta_k is ``points[:, ..., 0]``.

    ``lr`` may be an array (a batch of step sizes). A run that grows past the divergence bound of
    :func:`stepviz.run` is flagged as diverged (its later iterates are NaN).
    """
    theta0 = float(_validate.number("theta0", theta0, allowed="a finite number, e.g. 1.5"))
    return run(GD(lr), parabola(lam), np.array([theta0, 0.0]), steps)


def iterates(lam, lr, theta0=1.5, steps=20) -> np.ndarray:
    """theta_0 ... theta_steps of gradient descent on J = lam theta^2 / 2 (NaN after a divergence)."""
    return parabola_run(lam, lr, theta0, steps).points[..., 0]


def _theta_window(theta0):
    r = max(1.0, 1.3 * abs(float(theta0)))
    return -r, r


def plot_parabola_path(lam, lr, theta0=1.5, steps=20, ax=None, *, color=None, label=None):
    """The parabola J = lam theta^2 / 2 with the iterates as dots on it, joined in order (a zig-zag when
    they oscillate). Returns a dict of artists: 'curve', 'path', 'start', 'minimum'."""
    ax = ax if ax is not None else plt.subplots(figsize=(5, 3.6), layout="constrained")[1]
    lam = float(_validate.positive("lam", lam, example="1.0"))
    color = color or PATH_COLORS[0]
    lo, hi = _theta_window(theta0)
    t = np.linspace(lo, hi, 200)
    th = iterates(lam, lr, theta0, steps)
    with np.errstate(all="ignore"):
        j = 0.5 * lam * th ** 2
    arts = {
        "curve": ax.plot(t, 0.5 * lam * t ** 2, color="gray", lw=1.5, label=r"$J(\theta)=\lambda\theta^2/2$")[0],
        "path": ax.plot(th, j, "-", color=color, marker="o", ms=4, lw=1.2, label=label or f"α = {lr:.3g}")[0],
        "start": ax.plot([th[0]], [j[0]], "o", color=color, mec="black", ms=8, label=r"start $\theta_0$")[0],
        "minimum": ax.plot([0], [0], "*", color="gold", mec="black", ms=13, label="minimum", zorder=5)[0],
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
    ax = ax if ax is not None else plt.subplots(figsize=(5, 3.6), layout="constrained")[1]
    lrs = np.atleast_1d(np.asarray(lrs, dtype=float))
    th = iterates(lam, lrs, theta0, steps)  # (steps + 1, n)
    k = np.arange(steps + 1)
    labels = labels or [f"α = {a:.3g} ({regime(a, lam)})" for a in lrs]
    lines = [ax.plot(k, th[:, i], "-o", ms=3, lw=1.4, color=PATH_COLORS[i % len(PATH_COLORS)], label=labels[i])[0]
             for i in range(len(lrs))]
    ax.axhline(0, color="black", lw=0.8)
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
    lam = float(_validate.positive("lam", lam, example="1.0"))
    lrs = np.array([0.05, 0.5, 1.6, 2.1]) / lam if lrs is None else np.atleast_1d(np.asarray(lrs, dtype=float))
    fig, axes = plt.subplots(1, len(lrs), figsize=(3.1 * len(lrs), 3.3), layout="constrained", sharey=True)
    axes = np.atleast_1d(axes)
    for i, (ax, a) in enumerate(zip(axes, lrs)):
        plot_parabola_path(lam, a, theta0, steps, ax, color=PATH_COLORS[i % len(PATH_COLORS)])
        ax.set_title(f"{regime(a, lam)}: α = {a:.3g}\nfactor 1 − αλ = {float(step_factor(a, lam)):.2f}", fontsize=10)
        if i:
            ax.set_ylabel("")
    axes[0].legend(fontsize=7, loc="upper center")
    fig.suptitle(f"The four regimes on J = λθ²/2, λ = {lam:g}, {steps} steps from θ₀ = {theta0:g}")
    return fig, axes


def plot_factor(lam, ax=None, *, lr_range=(1e-3, 10.0), lr=None):
    """|1 - alpha lambda| against alpha (log axis), the four regimes shaded, 1/lambda and 2/lambda marked,
    and ``lr`` (if given) as a vertical line. Returns a dict of artists: 'curve', 'one', 'two', 'lr'."""
    ax = ax if ax is not None else plt.subplots(figsize=(6, 2.8), layout="constrained")[1]
    lam = float(_validate.positive("lam", lam, example="1.0"))
    a = np.geomspace(*lr_range, 400)
    arts = {"spans": shade_regimes(ax, lam, lr_range)}
    arts["curve"] = ax.plot(a, np.abs(step_factor(a, lam)), color="black", lw=1.4, label=r"$|1-\alpha\lambda|$")[0]
    arts["one"] = ax.axvline(1 / lam, color="#2ca02c", ls="--", lw=1.5, label=r"$1/\lambda$")
    arts["two"] = ax.axvline(2 / lam, color="#d62728", lw=1.6, label=r"$2/\lambda$")
    arts["lr"] = ax.axvline(lr if lr is not None else np.nan, color="#ff7f0e", lw=2.5, label="your α")
    ax.axhline(1.0, color="gray", lw=0.8, ls=":")
    ax.set_xscale("log")
    ax.set_xlim(*lr_range)
    ax.set_ylim(0, 2.0)
    ax.set_xlabel(r"step size $\alpha$")
    ax.set_ylabel("factor per step")
    ax.set_title(r"how much of $|\theta|$ survives one step: $|1-\alpha\lambda|$" + f"  (λ = {lam:g})", fontsize=10)
    ax.legend(fontsize=7, loc="upper left", ncols=2, framealpha=0.9)
    return arts


def regime_bounds(lam, lr_range=(1e-3, 10.0)):
    """{regime: (alpha_from, alpha_to)} on J = lam theta^2 / 2, clipped to ``lr_range``."""
    lo, hi = lr_range
    edges = {"creeping": (lo, CREEP_LIMIT / lam), "smooth": (CREEP_LIMIT / lam, 1 / lam),
             "oscillating": (1 / lam, 2 / lam), "diverging": (2 / lam, hi)}
    return {k: (max(lo, a), min(hi, b)) for k, (a, b) in edges.items()}


def shade_regimes(ax, lam, lr_range=(1e-3, 10.0), *, text=True):
    """Shade the four regimes over a step-size axis; returns the spans (and labels) so they can be moved."""
    out = []
    for name, (a, b) in regime_bounds(lam, lr_range).items():
        span = ax.axvspan(a, b, color=REGIME_COLORS[name], alpha=0.8, lw=0, zorder=0)
        label = ax.text(np.sqrt(a * b) if b > a else np.nan, 1.9, name, ha="center", va="top", fontsize=8,
                        clip_on=True) if text else None
        out.append((name, span, label))
    return out


# --- notebook 02: the 2-D bowl --------------------------------------------------------------------

def plot_rate_vs_kappa(kappas=(1.5, 2, 4, 8, 16, 32, 64, 128), steps=400, ax=None):
    """Measured rate of GD at the optimal step 2/(mu + L) on bowls with curvatures (1, kappa), against the
    prediction (kappa - 1)/(kappa + 1). One batched run per bowl. Returns (measured, predicted, ax)."""
    ax = ax if ax is not None else plt.subplots(figsize=(5.5, 3.8), layout="constrained")[1]
    kappas = np.asarray(kappas, dtype=float)
    measured = []
    for kappa in kappas:
        bowl = QuadraticBowl(curvatures=(1.0, float(kappa)))
        measured.append(float(run(GD(theory.optimal_lr(bowl)), bowl, steps=steps).rate()))
    measured = np.array(measured)
    grid = np.geomspace(1, kappas.max() * 1.2, 200)
    ax.plot(grid, (grid - 1) / (grid + 1), color="black", lw=1.4, label=r"predicted $(\kappa-1)/(\kappa+1)$")
    ax.plot(kappas, measured, "o", color=PATH_COLORS[0], ms=7, label="measured (GD at α = 2/(μ+L))")
    ax.set_xscale("log")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel(r"condition number $\kappa = L/\mu$")
    ax.set_ylabel("rate per step (lower is faster)")
    ax.set_title("best constant step: the rate approaches 1 as κ grows")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    return measured, (kappas - 1) / (kappas + 1), ax


def plot_rate_vs_lr(bowl=None, lrs=None, steps=300, ax=None):
    """Measured rate of GD against the step size on ``bowl`` (one batched run), with the prediction
    max_i |1 - alpha lambda_i| and the marks 2/(mu+L) and 2/L. Returns (lrs, measured, ax)."""
    bowl = bowl if bowl is not None else QuadraticBowl()
    ax = ax if ax is not None else plt.subplots(figsize=(5.5, 3.8), layout="constrained")[1]
    limit, best = theory.lr_limit(bowl), theory.optimal_lr(bowl)
    lrs = np.geomspace(limit / 100, limit * 1.15, 60) if lrs is None else np.asarray(lrs, dtype=float)
    traj = run(GD(lrs), bowl, steps=steps)
    measured = traj.rate()
    grid = np.geomspace(lrs.min(), lrs.max(), 300)
    ax.plot(grid, np.minimum(theory.gd_rate(bowl, grid), 1.3), color="black", lw=1.4,
            label=r"predicted $\max_i|1-\alpha\lambda_i|$")
    ax.plot(lrs, measured, "o", color=PATH_COLORS[0], ms=4, label="measured")
    dv = traj.diverged
    if dv.any():
        ax.plot(lrs[dv], np.full(dv.sum(), 1.25), "x", color="gray", ms=6, label="diverged")
    ax.axvline(best, color="#2ca02c", ls="--", lw=1.5, label=f"optimal 2/(μ+L) = {best:.3g}")
    ax.axvline(limit, color="#d62728", lw=1.6, label=f"limit 2/L = {limit:.3g}")
    ax.axhline(1.0, color="gray", lw=0.8, ls=":")
    ax.set_xscale("log")
    ax.set_ylim(0, 1.3)
    ax.set_xlabel(r"step size $\alpha$")
    ax.set_ylabel("rate per step (lower is faster)")
    ax.set_title(f"GD on the bowl, κ = {bowl.condition_number:g}: rate against step size")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    return lrs, measured, ax


__all__ = ["REGIMES", "REGIME_COLORS", "CREEP_LIMIT", "step_factor", "regime", "parabola", "parabola_run",
           "iterates", "plot_parabola_path", "plot_iterates", "plot_regimes", "plot_factor", "regime_bounds",
           "shade_regimes", "plot_rate_vs_kappa", "plot_rate_vs_lr"]
