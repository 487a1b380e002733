"""The stability map: the measured rate over a grid of (step size, momentum), with the theory's boundary."""
from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from ..analysis import dynamics, quadratic
from ..problems.surfaces import QuadraticBowl
from .style import LIMIT_COLOR, MINIMUM_COLOR


@dataclass
class StabilityMap:
    """Result of :func:`stability_map`: the measured grid, the image and its axes."""

    grid: dynamics.StabilityGrid
    image: object
    ax: object


def stability_map(surface, optimizer="Momentum", lrs=None, momenta=None, steps: int = 300, ax=None, *, start=None):
    """Heatmap of the measured convergence rate over a grid of (lr, momentum), from one batched run
    (:func:`~stepviz.analysis.dynamics.stability_grid`).

    Diverged settings are grey. On a quadratic bowl the theoretical boundary is drawn over it:
    lr L = 2 + 2 momentum for heavy ball, lr L = (2 + 2 momentum) / (1 + 2 momentum) for Nesterov
    (both 2 / L on the momentum = 0 edge).
    """
    grid = dynamics.stability_grid(surface, optimizer, lrs, momenta, steps, start=start)
    surface, name, lrs, momenta = grid.surface, grid.optimizer, grid.lrs, grid.momenta
    ax = ax if ax is not None else plt.subplots(figsize=(6, 4.5), layout="constrained")[1]
    cmap = matplotlib.colormaps["viridis"].with_extremes(bad="#bbbbbb")
    with np.errstate(all="ignore"):
        shown = np.where(grid.diverged, np.nan, np.clip(grid.rates, 0, 1))
    image = ax.pcolormesh(lrs, momenta, shown, cmap=cmap, vmin=0, vmax=1, shading="auto")
    ax.set_xscale("log")
    ax.set_xlabel(r"step size $\alpha$")
    ax.set_ylabel(r"momentum $\gamma$")
    ax.set_title(f"{name} on {surface.name}: rate per step (grey = diverged)")
    ax.figure.colorbar(image, ax=ax, label="measured rate (lower is faster)")
    if isinstance(surface, QuadraticBowl) and name != "GD":
        m = np.linspace(momenta.min(), momenta.max(), 200)
        if name == "Momentum":
            ax.plot(quadratic.momentum_lr_limit(surface, m), m, "--", color=LIMIT_COLOR, lw=2,
                    label=r"theory: $\alpha L = 2 + 2\gamma$")
        else:
            ax.plot(quadratic.nesterov_lr_limit(surface, m), m, "--", color=LIMIT_COLOR, lw=2,
                    label=r"theory: $\alpha L = (2 + 2\gamma)/(1 + 2\gamma)$")
        lr_opt, m_opt = quadratic.optimal_momentum(surface)
        ax.plot([lr_opt], [m_opt], "*", color=MINIMUM_COLOR, mec="black", ms=14, label="optimal (α, γ)")
        ax.legend(loc="lower left", fontsize=8)
        ax.set_xlim(lrs.min(), lrs.max())
    return StabilityMap(grid, image, ax)
