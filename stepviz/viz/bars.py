"""Bar charts: what each way of choosing a step size costs; the largest stable step of each layer."""
from __future__ import annotations

import numpy as np

from ..analysis import curvature
from .figure import axes_for, subplots
from .style import INK, PATH_COLORS



#: The parts of a method's cost, in the order they are stacked (gradient evaluations) or drawn apart.
COST_PARTS = ("tuning", "run", "function values")


def plot_costs(costs: dict, axes=None):
    """What each way of choosing a step size costs, on linear axes: {method: {'tuning': gradient evaluations
    spent before the run, 'run': gradient evaluations of the run itself, 'function values': extra function
    evaluations (line-search trials)}} (missing parts are 0). Left: gradient evaluations, tuning and run
    stacked, the total written at the end of each bar; right: function evaluations, apart, since they are
    not the same price. ``axes``: a pair of axes sharing the rows (default: a new figure).

    Returns {'tuning': BarContainer, 'run': BarContainer, 'function values': BarContainer,
    'totals': [Text], 'function labels': [Text]}.
    """
    if not isinstance(costs, dict) or not costs or not all(isinstance(v, dict) for v in costs.values()):
        raise TypeError("costs must be a non-empty dict method -> {'tuning': n, 'run': n, 'function values': n}; "
                        f"got {costs!r}")
    unknown = {p for v in costs.values() for p in v} - set(COST_PARTS)
    if unknown:
        raise ValueError(f"unknown cost parts {sorted(unknown)}; the parts are {COST_PARTS}")
    names = list(costs)
    part = {p: np.array([float(costs[n].get(p, 0)) for n in names]) for p in COST_PARTS}
    if axes is None:
        axes = subplots(1, 2, figsize=(9, 0.9 + 0.6 * len(names)), layout="constrained", sharey=True,
                            width_ratios=[3, 1.4])[1]
    ax_g, ax_f = axes_for(axes[0]), axes[1]
    rows = np.arange(len(names))
    out = {"tuning": ax_g.barh(rows, part["tuning"], color=PATH_COLORS[1], label="tuning runs"),
           "run": ax_g.barh(rows, part["run"], left=part["tuning"], color=PATH_COLORS[3], label="the run itself")}
    total = part["tuning"] + part["run"]
    out["totals"] = [ax_g.text(v, i, f" {v:,.0f}", va="center", fontsize=9) for i, v in enumerate(total)]
    ax_g.set_yticks(rows, names)
    ax_g.invert_yaxis()
    ax_g.set_xlim(0, total.max() * 1.2)
    ax_g.set_xlabel("gradient evaluations")
    ax_g.legend(fontsize=8, loc="lower right")
    out["function values"] = ax_f.barh(rows, part["function values"], color=PATH_COLORS[4])
    out["function labels"] = [ax_f.text(v, i, f" {v:,.0f}", va="center", fontsize=9)
                              for i, v in enumerate(part["function values"])]
    ax_f.tick_params(labelleft=False)
    ax_f.set_xlim(0, max(part["function values"].max(), 1.0) * 1.35)
    ax_f.set_xlabel("extra function evaluations")
    ax_g.set_ylabel("method")
    ax_g.set_title("what each way of choosing α costs")
    return out


def plot_layer_limits(problem, thetas, labels, ax=None):
    """2 / lambda_max of each layer's own Hessian block (the largest stable step for that layer alone) of a
    network's loss ``problem``: one marker per layer and theta on a log axis (a dot plot: a bar's length
    means nothing on a log axis). Returns the (len(thetas), layers) array of limits."""
    ax = axes_for(ax)
    thetas = list(thetas)
    model = problem.model
    L = len(model.sizes) - 1
    limits = curvature.layer_limits(problem, thetas)
    markers = ("o", "s", "D", "^")
    for j, (lim, label) in enumerate(zip(limits, labels)):
        x = np.arange(L) + (j - (len(thetas) - 1) / 2) * 0.15
        ax.plot(x, lim, markers[j % len(markers)], ls="none", ms=9, color=PATH_COLORS[j % len(PATH_COLORS)],
                mec=INK, label=label)
        for xi, v in zip(x, lim):
            ax.annotate(f"{v:.2g}", (xi, v), textcoords="offset points", xytext=(8, -3), fontsize=8)
    ax.set_xticks(np.arange(L), [f"layer {i + 1}\n({model.sizes[i]}→{model.sizes[i + 1]})" for i in range(L)])
    ax.set_xlim(-0.6, L - 0.4)
    ax.set_yscale("log")
    ax.set_ylabel(r"$2 / \lambda_{max}$ of the layer's block")
    ax.set_title("largest stable step per layer")
    ax.grid(True, axis="y", which="major", alpha=0.3)
    ax.legend(fontsize=8)
    return limits
