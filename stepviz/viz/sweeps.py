"""Quantities against the step size (or the condition number): grid search, the range test, measured vs
predicted rates, momentum's rates, the sensitivity of each method, SGD's noise floor."""
from __future__ import annotations

import numpy as np

from ..analysis import quadratic, rates, sensitivity, stochastic
from ..optim.rules import make_optimizer
from ..problems.surfaces import QuadraticBowl, get_surface
from .figure import axes_for
from .style import INK, LIMIT_COLOR, MUTED, OPTIMAL_COLOR, PAPER, PATH_COLORS, READING_COLOR, run_style



def _bowl_limit(surface):
    """2 / L when ``surface`` is (the name of) a quadratic bowl, else None."""
    surface = get_surface(surface) if surface is not None else None
    return quadratic.lr_limit(surface) if isinstance(surface, QuadraticBowl) else None


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
    ax = axes_for(ax, (6, 3.6))
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
    out["diverged"] = ax.plot(div_x, np.full(len(div_x), top), "x", color=MUTED, ms=7, ls="none",
                              label="diverged")[0]
    if np.isfinite(result.best_lr):
        out["best"] = ax.plot([result.best_lr], [max(result.best_loss, floor)], "*", color=OPTIMAL_COLOR,
                              mec=INK, ms=15, ls="none", label=f"best α = {result.best_lr:.3g}", zorder=5)[0]
    else:
        out["best"] = None
    limit = _bowl_limit(surface)
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
    ax = axes_for(ax, (6, 3.6))
    with np.errstate(invalid="ignore"):
        shown = np.where(result.smoothed > 0, result.smoothed, np.nan)
    out = {"loss": ax.plot(result.lrs, shown, color=PATH_COLORS[1], lw=1.8, label="loss during the test")[0]}
    out["suggested"] = _vline(ax, result.suggested_lr, OPTIMAL_COLOR, "-",
                              f"suggested α = {result.suggested_lr:.3g}")
    out["minimum"] = _vline(ax, result.min_lr, READING_COLOR, ":", f"lowest loss at α = {result.min_lr:.3g}")
    out["blowup"] = _vline(ax, result.blowup_lr, MUTED, "-.", f"blow-up at α = {result.blowup_lr:.3g}")
    limit = _bowl_limit(surface)
    out["limit"] = _vline(ax, limit, LIMIT_COLOR, "--", rf"$2/L = {limit:.3g}$" if limit else None)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"step size $\alpha_t$ (grows every step)")
    ax.set_ylabel("loss")
    ax.set_title(f"learning-rate range test: one run, {result.grad_evals} gradient evaluations")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    return out


def plot_rate_vs_kappa(kappas=(1.5, 2, 4, 8, 16, 32, 64, 128), steps=400, ax=None):
    """Measured rate of GD at the optimal step 2/(mu + L) on bowls with curvatures (1, kappa), against the
    prediction (kappa - 1)/(kappa + 1). One batched run per bowl. Returns (measured, predicted, ax)."""
    ax = axes_for(ax, (5.5, 3.8))
    kappas = np.asarray(kappas, dtype=float)
    measured = rates.rate_vs_kappa(kappas, steps)
    grid = np.geomspace(1, kappas.max() * 1.2, 200)
    ax.plot(grid, (grid - 1) / (grid + 1), color=INK, lw=1.4, label=r"predicted $(\kappa-1)/(\kappa+1)$")
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
    ax = axes_for(ax, (5.5, 3.8))
    limit, best = quadratic.lr_limit(bowl), quadratic.optimal_lr(bowl)
    lrs, measured, dv = rates.rate_vs_lr(bowl, lrs, steps)
    grid = np.geomspace(lrs.min(), lrs.max(), 300)
    ax.plot(grid, np.minimum(quadratic.gd_rate(bowl, grid), 1.3), color=INK, lw=1.4,
            label=r"predicted $\max_i|1-\alpha\lambda_i|$")
    ax.plot(lrs, measured, "o", color=PATH_COLORS[0], ms=4, label="measured")
    if dv.any():
        ax.plot(lrs[dv], np.full(dv.sum(), 1.25), "x", color=MUTED, ms=6, label="diverged")
    ax.axvline(best, color=OPTIMAL_COLOR, ls="--", lw=1.5, label=f"optimal 2/(μ+L) = {best:.3g}")
    ax.axvline(limit, color=LIMIT_COLOR, lw=1.6, label=f"limit 2/L = {limit:.3g}")
    ax.axhline(1.0, color=MUTED, lw=0.8, ls=":")
    ax.set_xscale("log")
    ax.set_ylim(0, 1.3)
    ax.set_xlabel(r"step size $\alpha$")
    ax.set_ylabel("rate per step (lower is faster)")
    ax.set_title(f"GD on the bowl, κ = {bowl.condition_number:g}: rate against step size")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    return lrs, measured, ax


#: The sensitivity plot marks every this-many-th step size of a method (each method shifted by one).
SENSITIVITY_MARK_EVERY = 6


def plot_lr_sensitivity(surface, methods=sensitivity.DEFAULT_METHODS, lrs=None, *, steps: int = 300, start=None,
                        good=1e-3, ax=None, **hyperparameters) -> sensitivity.Sensitivity:
    """Final loss - f* against the step size (log-log), one line per method; diverged step sizes as crosses
    on the top edge; the legend gives the width of each method's good range (the unbroken run of step sizes
    around its best one with final gap <= ``good``) in decades, "≥" where it runs into the grid's edge."""
    sens = sensitivity.lr_sensitivity(surface, methods, lrs, steps=steps, start=start, good=good, **hyperparameters)
    surface = get_surface(surface)
    ax = axes_for(ax, (9, 4.2))
    finite = np.concatenate([v[np.isfinite(v)] for v in sens.final.values()] + [np.array([1.0])])
    top = max(float(finite.max()) * 10, 10.0)
    floor = 1e-14
    for i, (name, final) in enumerate(sens.final.items()):
        style = run_style(i)  # colour, dash and marker: six methods told apart without hue
        c = style["color"]
        r = sens.good_range(name)
        edge = "≥ " if any(sens.at_edge(name)) else ""
        width = ("no good α" if r is None else f"good only at α = {r[0]:.2g}" if r[0] == r[1]
                 else f"good over {edge}{sens.decades(name):.1f} decades")
        ax.plot(sens.lrs, np.maximum(final, floor), color=c, ls=style["linestyle"], lw=1.8, marker=style["marker"],
                ms=5, mfc=PAPER, mec=c, markevery=(i % SENSITIVITY_MARK_EVERY, SENSITIVITY_MARK_EVERY),
                label=f"{name} ({width})")
        d = sens.diverged[name]
        ax.plot(sens.lrs[d], np.full(d.sum(), top), "x", color=c, ms=6, clip_on=False)
    ax.axhline(good, color=INK, lw=1, ls=":", label=f"good: final gap ≤ {good:g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(floor, top * 1.5)
    ax.set_xlabel(r"step size $\alpha$ (Adadelta: its scale factor)")
    ax.set_ylabel(r"final $J(\theta) - J^*$ (× = diverged)")
    ax.set_title(f"Sensitivity to the step size on {surface.name}: final loss after {steps} steps")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    ax.grid(True, which="major", alpha=0.3)
    return sens


def plot_noise_floor(data, lrs=None, batch_sizes=(1, 10, 50), steps: int = 1500, runs: int = 10, seed: int = 0,
                     ax=None):
    """The noise floor E[J] - J* of constant-step SGD against alpha (log-log), one colour per batch size:
    dots measured (:func:`~stepviz.analysis.stochastic.measured_floor`), lines predicted (:func:`~stepviz.analysis.stochastic.sgd_stationary`).

    Returns a dict: 'lrs', 'measured' {b: array}, 'predicted' {b: array}, 'ax'.
    """
    data = stochastic.check_data(data)
    lrs = np.geomspace(0.01, 0.4, 8) if lrs is None else np.asarray(lrs, dtype=float)
    ax = axes_for(ax)
    fine = np.geomspace(lrs.min(), lrs.max(), 60)
    out = {"lrs": lrs, "measured": {}, "predicted": {}, "ax": ax}
    for i, b in enumerate(batch_sizes):
        c = PATH_COLORS[i % len(PATH_COLORS)]
        meas = stochastic.measured_floor(data, lrs, b, steps=steps, runs=runs, seed=seed)
        pred = np.array([stochastic.sgd_stationary(data, a, b)[1] for a in fine])
        out["measured"][b], out["predicted"][b] = meas, np.array([stochastic.sgd_stationary(data, a, b)[1] for a in lrs])
        ax.plot(fine, np.where(np.isfinite(pred), pred, np.nan), "-", color=c, lw=1.5, label=f"batch {b}: predicted")
        ax.plot(lrs, np.where(np.isfinite(meas), meas, np.nan), "o", color=c, mec=INK, ms=6,
                label=f"batch {b}: measured")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"step size $\alpha$")
    ax.set_ylabel(r"noise floor $E[J] - J^*$")
    ax.set_title("SGD noise floor: grows with α, shrinks with the batch size")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, ncol=1, loc="upper left")
    return out


def plot_rates_vs_theory(bowl: QuadraticBowl, optimizers=("Momentum", "Nesterov"), momentum: float = 0.9, lrs=None, *,
                         steps: int = 400, ax=None) -> dict:
    """Measured rate per step (dots, one batched run per method) against the theory (lines) over the step
    size at one momentum, for heavy ball and Nesterov side by side, each with its stability limit dotted.
    Returns {method: RateComparison}."""
    ax = axes_for(ax, (6.8, 4.2))
    rules = {name: make_optimizer(name, lr=1.0, momentum=momentum) for name in optimizers}
    top = max(float(r.quadratic_limit(bowl.curvatures)) for r in rules.values()) * 1.3
    lrs = np.geomspace(top / 40, top, 40) if lrs is None else np.asarray(lrs, dtype=float)
    fine = np.geomspace(lrs.min(), lrs.max(), 400)
    out = {}
    for i, (name, rule) in enumerate(rules.items()):
        c = PATH_COLORS[(i + 1) % len(PATH_COLORS)]
        cmp = rates.momentum_rates(bowl, (momentum,), lrs, optimizer=name, steps=steps)
        out[name] = cmp
        limit = float(rule.quadratic_limit(bowl.curvatures))
        theory = make_optimizer(name, lr=fine, momentum=momentum).quadratic_rate(bowl.curvatures)
        ax.plot(fine, np.minimum(theory, 1.3), "-", color=c, lw=1.5, label=f"{name}: theory")
        ax.plot(lrs, cmp.measured[0], "o", color=c, ms=4, mec=INK, mew=0.4, label=f"{name}: measured")
        ax.axvline(limit, color=c, ls=":", lw=1.5, label=f"{name}: limit α = {limit:.3g}")
    ax.axhline(1.0, color=MUTED, lw=0.8, ls="--")
    ax.set_xscale("log")
    ax.set_ylim(max(0.0, float(np.nanmin([o.predicted.min() for o in out.values()])) - 0.05), 1.25)
    ax.set_xlabel(r"step size $\alpha$")
    ax.set_ylabel("rate per step (lower is faster)")
    ax.set_title(f"heavy ball and Nesterov at γ = {momentum:g} on {bowl.name}")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", ncols=2)
    return out


def plot_sgd_divergence(data, lrs, batch_sizes=(1, 10), *, additive: bool = True, runs: int = 20, steps: int = 300,
                        seed: int = 0, ax=None) -> dict:
    """The share of diverged runs against the step size (:func:`~stepviz.analysis.stochastic.divergence_share`)
    for minibatch SGD at each batch size and, with ``additive``, for full-batch GD with Gaussian noise as
    large as batch 1's (per coordinate sqrt(tr Sigma_1 / 2)); the predicted mean-square limits dotted, 2/L
    dashed. Returns {'lrs', 'share': {label: array}, 'limit': {label: alpha}, 'ax'}."""
    data = stochastic.check_data(data)
    lrs = np.asarray(lrs, dtype=float)
    ax = axes_for(ax, (6.4, 3.8))
    out = {"lrs": lrs, "share": {}, "limit": {}, "ax": ax}
    for i, b in enumerate(batch_sizes):
        c = PATH_COLORS[i % len(PATH_COLORS)]
        label = f"batch {b}"
        out["share"][label] = stochastic.divergence_share(data, lrs, batch_size=b, runs=runs, steps=steps, seed=seed)
        out["limit"][label] = stochastic.mean_square_limit(data, b)
        ax.plot(lrs, out["share"][label], "-o", color=c, ms=4, label=f"{label} (limit {out['limit'][label]:.2f})")
        ax.axvline(out["limit"][label], color=c, ls=":", lw=1.5)
    if additive:
        sigma = float(np.sqrt(np.trace(data.minibatch_covariance(data.p_star, 1)) / 2))
        label = "full batch + added noise"
        out["share"][label] = stochastic.divergence_share(data, lrs, noise=sigma, runs=runs, steps=steps, seed=seed)
        out["limit"][label] = 2 / data.L
        ax.plot(lrs, out["share"][label], "-s", color=INK, ms=4, label=f"{label} (limit 2/L = {2 / data.L:.3f})")
    ax.axvline(2 / data.L, color=INK, ls="--", lw=1)
    ax.set_xlabel(r"step size $\alpha$")
    ax.set_ylabel(f"share of {runs} runs that diverge")
    ax.set_title(f"where SGD stops being stable ({steps} steps)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    return out
