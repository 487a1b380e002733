"""The stability map (the measured speed over a grid of step size and momentum, with the theory's boundary)
and the regime map of heavy ball on the (alpha lambda, momentum) plane."""
from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap, LogNorm

from ..analysis import quadratic, rates
from ..optim.rules import make_optimizer
from ..problems.surfaces import QuadraticBowl
from .figure import axes_for, figure, subplots
from .style import GHOST_COLOR, INK, LIMIT_COLOR, MINIMUM_COLOR, NOT_CONVERGING_COLOR, PAPER, REGIME_COLORS


#: The colour range of the stability map, in steps per digit of accuracy (fewer is faster).
STEPS_PER_DIGIT = (5.0, 2000.0)


@dataclass
class StabilityMap:
    """Result of :func:`stability_map`: the measured grid, the image and its axes."""

    grid: rates.StabilityGrid
    image: object
    ax: object


def stability_map(surface, optimizer="Momentum", lrs=None, momenta=None, steps: int = 300, ax=None, *, start=None):
    """Heatmap of the measured speed over a grid of (lr, momentum), from one batched run
    (:func:`~stepviz.analysis.rates.stability_grid`).

    The colour is the number of steps per digit of accuracy, -1 / log10(rate), on a log scale (dark =
    fast), so that the trough of fast settings stands out: measured rates crowd just below 1, where a
    linear rate scale shows one colour. Diverged settings are grey. On a quadratic bowl the rule's
    theoretical limit (:meth:`~stepviz.optim.base.Optimizer.quadratic_limit`) is drawn over it: lr L = 2 + 2
    momentum for heavy ball, lr L = (2 + 2 momentum) / (1 + 2 momentum) for Nesterov (both 2 / L on the
    momentum = 0 edge), with the rule's optimum (alpha, gamma) where theory has one.
    """
    grid = rates.stability_grid(surface, optimizer, lrs, momenta, steps, start=start)
    surface, name, lrs, momenta = grid.surface, grid.optimizer, grid.lrs, grid.momenta
    ax = axes_for(ax, (6.4, 4.5))
    viridis = matplotlib.colormaps["viridis"]
    cmap = viridis.with_extremes(bad=NOT_CONVERGING_COLOR, over=viridis(1.0), under=viridis(0.0))
    with np.errstate(all="ignore"):
        shown = np.where(grid.diverged | ~(grid.rates < 1), np.nan, -1.0 / np.log10(np.clip(grid.rates, 1e-300, 1)))
    image = ax.pcolormesh(lrs, momenta, shown, cmap=cmap, norm=LogNorm(STEPS_PER_DIGIT[0], STEPS_PER_DIGIT[1]),
                          shading="auto")
    ax.set_xscale("log")
    ax.set_xlabel(r"step size $\alpha$")
    ax.set_ylabel(r"momentum $\gamma$")
    ax.set_title(f"{name} on {surface.name}: steps per digit (grey = not converging)")
    ax.figure.colorbar(image, ax=ax, label="steps per digit of accuracy (log scale)", extend="max")
    m = np.linspace(momenta.min(), momenta.max(), 200)
    rule = make_optimizer(name, lr=1.0, momentum=m)  # a rule without momentum ignores it: a vertical limit
    limit = rule.quadratic_limit(surface.curvatures) if isinstance(surface, QuadraticBowl) else None
    if limit is not None:
        ax.plot(np.broadcast_to(limit, m.shape), m, "--", color=LIMIT_COLOR, lw=2, label=f"theory: {rule.limit_label}")
        best = rule.quadratic_optimum(surface.curvatures) or {}
        if "momentum" in best:
            ax.plot([best["lr"]], [best["momentum"]], "*", color=MINIMUM_COLOR, mec=INK, ms=14, label="optimal (α, γ)")
        ax.legend(loc="lower left", fontsize=8)
        ax.set_xlim(lrs.min(), lrs.max())
    return StabilityMap(grid, image, ax)


#: Shading of heavy ball's four regimes (:data:`~stepviz.analysis.quadratic.MOMENTUM_REGIMES`), in the
#: colours of lesson 01's regimes: monotone as its smooth descent, zig-zag as its oscillation.
MOMENTUM_REGIME_COLORS = (REGIME_COLORS["smooth"], REGIME_COLORS["creeping"], REGIME_COLORS["oscillating"],
                          REGIME_COLORS["diverging"])
_REGIME_MARKERS = ("o", "^", "s", "x")


@dataclass
class RegimeMap:
    """Result of :func:`plot_momentum_regimes`: the measured runs on the map, the example runs, the axes."""

    measured: rates.MeasuredRegimes
    examples: rates.MeasuredRegimes
    ax: object
    trace_axes: np.ndarray

    @property
    def agree(self) -> int:
        return self.measured.agree


def plot_momentum_regimes(examples=((0.3, 0.1), (1.0, 0.6), (1.8, 0.1), (3.4, 0.6)), *, grid=(41, 25),
                          steps: int = 300, trace_steps: int = 30, a_max: float = 4.2) -> RegimeMap:
    """Heavy ball's four regimes on the (alpha lambda, momentum) plane, after Goh's *Why Momentum Really
    Works* (Distill 2017). Left: the plane shaded by the theory
    (:func:`~stepviz.analysis.quadratic.momentum_regime`) with its boundaries, and a grid of measured runs
    as symbols, each showing the regime read off its own iterates
    (:func:`~stepviz.analysis.rates.measured_momentum_regimes`). Right: the error x_k of the numbered
    example runs ``examples`` = ((alpha lambda, momentum), ...), one panel each."""
    fig = figure(figsize=(11, 4.8), layout="constrained")
    left, right = fig.subfigures(1, 2, width_ratios=(1.2, 1))
    ax = left.subplots()
    axs = right.subplots(2, (len(examples) + 1) // 2, sharex=True, sharey=True, squeeze=False).ravel()
    a = np.linspace(0, a_max, 421)
    g = np.linspace(0, 0.999, 300)
    theory = quadratic.momentum_regime(a[None, :], g[:, None])
    ax.pcolormesh(a, g, theory, cmap=ListedColormap(MOMENTUM_REGIME_COLORS),
                  norm=BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5], 4), shading="auto")
    lo, hi, top = quadratic.momentum_regime_bounds(g)
    ax.plot(lo, g, "-", color=INK, lw=1)
    ax.plot(hi, g, "-", color=INK, lw=1)
    ax.plot(top, g, "-", color=LIMIT_COLOR, lw=1.8, label=r"limit $\alpha\lambda = 2 + 2\gamma$")
    ga, gg = np.linspace(0.05, a_max - 0.1, grid[0]), np.linspace(0.0, 0.97, grid[1])
    measured = rates.measured_momentum_regimes(ga[None, :], gg[:, None], steps)
    A, G = np.broadcast_arrays(ga[None, :], gg[:, None])
    for r, (name, marker) in enumerate(zip(quadratic.MOMENTUM_REGIMES, _REGIME_MARKERS)):
        sel = measured.measured == r
        ax.plot(A[sel], G[sel], marker, ls="none", ms=3, color=INK, mew=0.6,
                mfc="none" if marker != "x" else INK, label=f"measured run: {name}")
    ex = rates.measured_momentum_regimes(np.array([e[0] for e in examples]), np.array([e[1] for e in examples]),
                                            trace_steps)
    for i, (ea, eg) in enumerate(examples):
        ax.annotate(str(i + 1), (ea, eg), fontsize=10, fontweight="bold", ha="center", va="center",
                    bbox=dict(boxstyle="circle,pad=0.2", fc=PAPER, ec=INK))
    ax.text(0.06, 0.03, "monotone", fontsize=10, style="italic")
    ax.text(1.25, 0.55, "ripple", fontsize=10, style="italic")
    ax.annotate("zig-zag", (1.75, 0.04), (2.35, 0.2), fontsize=10, style="italic",
                arrowprops=dict(arrowstyle="->", lw=0.8))
    ax.text(3.3, 0.22, "divergent", fontsize=10, style="italic")
    ax.set_xlim(0, a_max)
    ax.set_ylim(0, 1)
    ax.set_xlabel(r"$\alpha\lambda$ (step size times curvature)")
    ax.set_ylabel(r"momentum $\gamma$")
    ax.set_title("heavy ball in one direction: four regimes")
    left.legend(*ax.get_legend_handles_labels(), fontsize=7, loc="outside lower center", ncols=3)
    k = np.arange(trace_steps + 1)
    for i, axi in enumerate(axs[:len(examples)]):
        axi.axhline(0, color=GHOST_COLOR, lw=0.6)
        axi.plot(k, ex.x[:, i], "-o", ms=2.5, lw=1, color=INK)
        name = quadratic.MOMENTUM_REGIMES[int(ex.predicted[i])]
        axi.set_title(f"{i + 1}: αλ = {examples[i][0]:g}, γ = {examples[i][1]:g} ({name})", fontsize=8)
        axi.set_ylim(-1.5, 1.5)
    for axi in axs[len(examples):]:
        axi.set_visible(False)
    for axi in axs[-2:]:
        axi.set_xlabel("step k")
    for axi in axs[::2]:
        axi.set_ylabel(r"error $x_k$")
    return RegimeMap(measured, ex, ax, axs[:len(examples)])
