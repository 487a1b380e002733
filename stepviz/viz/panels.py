"""Figures of several panels side by side: paths and loss curves for several momenta, each coordinate's
effective step size per optimizer, the same surface with its loss scaled."""
from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter

from .. import _validate
from ..analysis.dynamics import effective_steps, scaled_surface
from ..engine import Trajectory, run
from ..optim.rules import Optimizer, make_optimizer
from ..problems.surfaces import get_surface
from .contours import plot_surface
from .curves import plot_losses
from .paths import plot_path
from .style import PATH_COLORS


@dataclass
class RippleFigure:
    trajectory: Trajectory
    figure: object
    ax_path: object
    ax_loss: object


def plot_momentum_ripples(surface, lr, momenta=(0.0, 0.5, 0.8, 0.95), *, optimizer="Momentum",
                          steps: int = 150, start=None) -> RippleFigure:
    """Paths (left) and loss curves (right) for one step size and several momenta, from one batched run:
    small momentum converges monotonically, large momentum overshoots and ripples."""
    surface = get_surface(surface)
    momenta = np.atleast_1d(np.asarray(_validate.unit_interval("momenta", momenta), dtype=float))
    traj = run(make_optimizer(optimizer, lr=lr, momentum=momenta), surface, start=start, steps=steps)
    fig, (ax_path, ax_loss) = plt.subplots(1, 2, figsize=(10, 4.2), layout="constrained")
    plot_surface(surface, ax_path)
    labels = [f"γ = {g:g}" for g in momenta]
    plot_path(traj, ax_path, labels=labels)
    plot_losses(traj, ax_loss, labels=labels)
    ax_path.set_title(f"{optimizer}, α = {lr:.3g}, on {surface.name}")
    ax_loss.set_title("loss: monotone for small γ, ripples for large γ")
    return RippleFigure(traj, fig, ax_path, ax_loss)


@dataclass
class EffectiveStepFigure:
    """Result of :func:`plot_effective_steps`: per optimizer, its trajectory and effective steps."""

    trajectories: list
    effective: list
    figure: object
    axes: np.ndarray


def plot_effective_steps(optimizers, surface, start=None, steps: int = 200, *, reference=True) -> EffectiveStepFigure:
    """For each optimizer one column: its path on the contours (top) and each coordinate's effective step
    size over time (bottom, log scale). With ``reference`` the constant alpha of the optimizer is drawn
    dashed, for comparison with plain GD."""
    optimizers = [optimizers] if isinstance(optimizers, Optimizer) else list(optimizers)
    if not optimizers:
        raise ValueError("plot_effective_steps needs at least one optimizer")
    surface = get_surface(surface)
    n = len(optimizers)
    fig, axes = plt.subplots(2, n, figsize=(2.7 * n + 1.0, 5.6), layout="constrained", squeeze=False,
                             height_ratios=(1.25, 1.0))
    trajs, effs = [], []
    for j, opt in enumerate(optimizers):
        traj, eff = effective_steps(opt, surface, start, steps)
        trajs.append(traj)
        effs.append(eff)
        ap, ae = axes[0, j], axes[1, j]
        plot_surface(surface, ap, n=90)  # small panels: a coarser contour grid draws much faster
        plot_path(traj, ap, labels=[opt.name], colors=[PATH_COLORS[j % len(PATH_COLORS)]], legend=False)
        ap.set_title(f"{opt!r}".replace(", ", ",\n", 1), fontsize=8)
        t = np.arange(1, traj.steps + 1)
        ae.plot(t, eff[:, 0], color="#1f77b4", lw=1.6, label=r"$\theta_1$")
        ae.plot(t, eff[:, 1], color="#d62728", lw=1.6, label=r"$\theta_2$")
        if reference:
            ae.plot(t, np.asarray(traj.lrs, dtype=float), color="gray", lw=1, ls="--", label=r"$\alpha_t$")
        ae.set_yscale("log")
        ae.yaxis.set_minor_formatter(NullFormatter())  # short log ranges would label every minor tick
        ae.set_xlabel("iteration t")
        ae.set_title(f"{opt.name}: effective step", fontsize=9)
        ae.grid(True, alpha=0.3)
        ae.legend(fontsize=7)
        if j > 0:
            ap.set_ylabel("")
    axes[1, 0].set_ylabel("effective step size")
    fig.suptitle(f"Per-coordinate step sizes on {surface.name}")
    return EffectiveStepFigure(trajs, effs, fig, axes)


@dataclass
class ScaleFigure:
    trajectories: dict
    figure: object
    axes: np.ndarray


def plot_loss_scale(optimizers, surface, factors=(1.0, 100.0), *, steps: int = 100, start=None) -> ScaleFigure:
    """One panel per optimizer: its paths on ``surface`` with the loss multiplied by each factor.
    Paths that coincide mean the method does not care how the loss is scaled."""
    optimizers = [optimizers] if isinstance(optimizers, Optimizer) else list(optimizers)
    surface = get_surface(surface)
    factors = [float(_validate.positive("factor", f)) for f in factors]
    n = len(optimizers)
    fig, axes = plt.subplots(1, n, figsize=(3.1 * n + 0.6, 3.7), layout="constrained", squeeze=False)
    trajs = {}
    for j, opt in enumerate(optimizers):
        ax = axes[0, j]
        plot_surface(surface, ax, n=90)
        runs = [run(opt, scaled_surface(surface, f), start=start, steps=steps) for f in factors]
        trajs[opt.name] = runs
        for i, (f, tr) in enumerate(zip(factors, runs)):
            arts = plot_path(tr, ax, labels=[f"loss × {f:g}"], colors=[PATH_COLORS[(2 * i) % len(PATH_COLORS)]],
                             legend=False)
            if i == 0:  # wide and pale underneath, so that a coinciding later path stays visible on top
                arts[0]["path"].set(lw=5, alpha=0.45, marker="")
            else:
                arts[0]["path"].set(ls="--", marker="")
        ax.set_title(f"{opt!r}", fontsize=8)
        ax.legend(fontsize=7, loc="lower right", framealpha=0.85)
        if j > 0:
            ax.set_ylabel("")
    fig.suptitle(f"Same {surface.name}, loss multiplied by {' and '.join(f'{f:g}' for f in factors)}")
    return ScaleFigure(trajs, fig, axes)
