"""Bar charts: what each way of choosing a step size costs; the largest stable step of each layer."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..analysis import curvature
from .style import PATH_COLORS


def _ax(ax, figsize=(5.5, 3.8)):
    return ax if ax is not None else plt.subplots(figsize=figsize, layout="constrained")[1]


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


def plot_layer_limits(problem, thetas, labels, ax=None):
    """Bar chart of 2 / lambda_max of each layer's own Hessian block (the largest stable step for that
    layer alone) of a network's loss ``problem``, one group of bars per theta. Returns the
    (len(thetas), layers) array of limits."""
    ax = _ax(ax)
    thetas = list(thetas)
    model = problem.model
    L = len(model.sizes) - 1
    limits = curvature.layer_limits(problem, thetas)
    width = 0.8 / len(thetas)
    for j, (lim, label) in enumerate(zip(limits, labels)):
        ax.bar(np.arange(L) + (j - (len(thetas) - 1) / 2) * width, lim, width,
               color=PATH_COLORS[j % len(PATH_COLORS)], label=label)
    ax.set_xticks(np.arange(L), [f"layer {i + 1}\n({model.sizes[i]}→{model.sizes[i + 1]})" for i in range(L)])
    ax.set_yscale("log")
    ax.set_ylabel(r"$2 / \lambda_{max}$ of the layer's block")
    ax.set_title("largest stable step per layer")
    ax.grid(True, axis="y", which="major", alpha=0.3)
    ax.legend(fontsize=8)
    return limits
