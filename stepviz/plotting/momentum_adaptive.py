"""Figures for the notebooks on momentum and Nesterov (06) and on adaptive methods (07).

Momentum: look-ahead points of Nesterov's method, measured vs predicted rates on a bowl, ripples as the
momentum grows. Adaptive methods: each coordinate's effective step size over time, final loss against the
step size for several methods (one batched run each), and the effect of scaling the loss.
"""
from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter

from .. import _validate, theory
from ..optimizers import Adadelta, Adagrad, Adam, Optimizer, RMSprop, make_optimizer
from ..run import Trajectory, run
from ..surfaces import QuadraticBowl, Surface, get_surface
from .core import PATH_COLORS, loss_gap, plot_losses, plot_path, plot_surface


# --- momentum -------------------------------------------------------------------------------------------

def velocities(trajectory: Trajectory) -> np.ndarray:
    """(steps + 1, *batch, 2) velocities of the velocity form: v_0 = 0 and v_k = p_{k-1} - p_k."""
    if not isinstance(trajectory, Trajectory):
        raise TypeError(f"trajectory must be the result of stepviz.run(...); got {type(trajectory).__name__}")
    p = trajectory.points
    v = np.zeros_like(p)
    with np.errstate(invalid="ignore"):
        v[1:] = p[:-1] - p[1:]
    return v


def lookahead_points(trajectory: Trajectory, momentum=None) -> np.ndarray:
    """(steps, *batch, 2) Nesterov's look-ahead points p_k - gamma v_k, k = 0 .. steps - 1.

    For a Nesterov run these are exactly the points where the gradients of its steps were taken.
    ``momentum`` defaults to the trajectory's optimizer's momentum.
    """
    if momentum is None:
        momentum = getattr(trajectory.optimizer, "momentum", None)
        if momentum is None:
            raise ValueError("lookahead_points needs a momentum: pass momentum=... or a Momentum/Nesterov run")
    gamma = np.asarray(_validate.unit_interval("momentum", momentum), dtype=float)[..., None]
    v = velocities(trajectory)
    with np.errstate(invalid="ignore"):
        return trajectory.points[:-1] - gamma * v[:-1]


@dataclass
class RateComparison:
    """Result of :func:`plot_momentum_rates`: step sizes, momenta, measured and predicted rates (momenta x lrs)."""

    lrs: np.ndarray
    momenta: np.ndarray
    measured: np.ndarray
    predicted: np.ndarray
    ax: object


def plot_momentum_rates(bowl: QuadraticBowl, momenta=(0.0, 0.5, 0.8), lrs=None, *, optimizer="Momentum",
                        steps: int = 400, ax=None) -> RateComparison:
    """Measured rate per step (dots, one batched run) against the theory (lines) over the step size,
    one colour per momentum, on a quadratic bowl. Diverged runs are left out of the dots."""
    if not isinstance(bowl, QuadraticBowl):
        raise TypeError(f"the predicted rate holds on a QuadraticBowl; got {bowl!r}")
    if optimizer not in ("Momentum", "Nesterov"):
        raise ValueError(f"optimizer must be 'Momentum' or 'Nesterov'; got {optimizer!r}")
    momenta = np.atleast_1d(np.asarray(_validate.unit_interval("momenta", momenta), dtype=float))
    top = theory.momentum_lr_limit(bowl, momenta.max()) * 1.3
    lrs = np.geomspace(top / 100, top, 40) if lrs is None else np.atleast_1d(np.asarray(_validate.positive("lrs", lrs), float))
    traj = run(make_optimizer(optimizer, lr=lrs[None, :], momentum=momenta[:, None]), bowl, steps=steps)
    measured = traj.rate()
    rate_fn = theory.momentum_rate if optimizer == "Momentum" else theory.nesterov_rate
    fine = np.geomspace(lrs.min(), lrs.max(), 300)
    predicted = rate_fn(bowl, lrs[None, :], momenta[:, None])
    ax = ax if ax is not None else plt.subplots(figsize=(6.4, 4), layout="constrained")[1]
    for i, g in enumerate(momenta):
        c = PATH_COLORS[i % len(PATH_COLORS)]
        ax.plot(fine, np.minimum(rate_fn(bowl, fine, g), 1.3), color=c, lw=1.5, label=f"γ = {g:g}: theory")
        ax.plot(lrs, measured[i], "o", color=c, ms=4, mec="black", mew=0.4, label=f"γ = {g:g}: measured")
    ax.axhline(1.0, color="gray", lw=0.8, ls="--")
    ax.set_xscale("log")
    low = float(np.nanmin(rate_fn(bowl, fine[None, :], momenta[:, None])))
    ax.set_ylim(max(0.0, low - 0.1), 1.25)
    ax.set_xlabel(r"step size $\alpha$")
    ax.set_ylabel("rate per step (distance ratio)")
    ax.set_title(f"{optimizer} on {bowl.name} (κ = {bowl.condition_number:g}): measured vs predicted rate")
    ax.legend(fontsize=7, ncols=2, loc="upper left")
    ax.grid(True, alpha=0.3)
    return RateComparison(lrs, momenta, measured, predicted, ax)


def ripple_momentum(bowl: QuadraticBowl, lr) -> float:
    """The momentum above which heavy ball oscillates (complex roots) in the bowl's flattest direction:
    gamma = (1 - sqrt(lr mu))^2. Above it the error shrinks like sqrt(gamma)^k, with ripples."""
    if not isinstance(bowl, QuadraticBowl):
        raise TypeError(f"needs a QuadraticBowl; got {bowl!r}")
    lr = _validate.positive("lr", lr)
    return float(max(0.0, 1.0 - np.sqrt(lr * bowl.mu)) ** 2)


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


# --- adaptive methods ----------------------------------------------------------------------------------

def _col(x):
    return np.asarray(x, dtype=float)[..., None]


def effective_steps(optimizer: Optimizer, surface, start=None, steps: int = 100):
    """Run ``optimizer`` and record each coordinate's effective step size at every step.

    The effective step is the factor in front of the (averaged) gradient in the update:
    alpha_t for GD, Momentum and Nesterov; alpha_t / (sqrt(s) + eps) for Adagrad and RMSprop;
    alpha_t / (sqrt(s_hat) + eps) for Adam (it multiplies m_hat); alpha_t sqrt(u + eps) / sqrt(s + eps) for
    Adadelta (u from before the step, s after it).

    Returns ``(trajectory, eff)``: the :func:`stepviz.run` trajectory and eff of shape (steps, *batch, 2);
    from the step where a run diverged on, eff is NaN.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a stepviz optimizer such as Adam(lr=0.1); got {optimizer!r}")
    surface = get_surface(surface)
    traj = run(optimizer, surface, start=start, steps=steps)
    p = traj.points[0].copy()
    state = optimizer.init(p)
    eff = np.empty(traj.lrs.shape + (2,))
    with np.errstate(all="ignore"):
        for t in range(traj.steps):
            a = _col(optimizer.alpha(t))
            p_next, new = optimizer.step(p, surface.grad, state, t)
            if isinstance(optimizer, (Adagrad, RMSprop)):
                e = a / (np.sqrt(new["s"]) + _col(optimizer.eps))
            elif isinstance(optimizer, Adam):
                s_hat = new["s"] / (1 - _col(optimizer.beta2) ** (t + 1))
                e = a / (np.sqrt(s_hat) + _col(optimizer.eps))
            elif isinstance(optimizer, Adadelta):
                eps = _col(optimizer.eps)
                e = a * np.sqrt(state["u"] + eps) / np.sqrt(new["s"] + eps)
            else:
                e = a
            eff[t] = np.broadcast_to(e, eff.shape[1:])
            p, state = p_next, new
        if traj.diverged.any():
            k = np.arange(traj.steps).reshape((-1,) + (1,) * len(traj.batch_shape))
            gone = traj.diverged & (k + 1 >= traj.diverged_at)
            eff = np.where(gone[..., None], np.nan, eff)
    return traj, eff


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


DEFAULT_METHODS = ("GD", "Momentum", "Adagrad", "RMSprop", "Adadelta", "Adam")


@dataclass
class Sensitivity:
    """Result of :func:`lr_sensitivity`: per method, final loss - f* over ``lrs`` (NaN where it diverged)
    and the good range: the step sizes whose final gap is <= ``good``."""

    lrs: np.ndarray
    final: dict
    diverged: dict
    good: float
    ax: object = None

    def good_range(self, method):
        """(lowest, highest) good step size of ``method`` (None if none is good)."""
        ok = self.final[method] <= self.good
        if not ok.any():
            return None
        return float(self.lrs[ok].min()), float(self.lrs[ok].max())

    def decades(self, method) -> float:
        """Width of the good range in decades (log10 of highest / lowest good step), 0 if none."""
        r = self.good_range(method)
        return 0.0 if r is None else float(np.log10(r[1] / r[0]))


def lr_sensitivity(surface, methods=DEFAULT_METHODS, lrs=None, *, steps: int = 300, start=None, good=1e-3,
                   **hyperparameters) -> Sensitivity:
    """Final loss - f* after ``steps`` steps for each method over a log grid of step sizes, one batched run
    per method. ``hyperparameters`` (e.g. momentum=0.9) go to every method that takes them."""
    surface = get_surface(surface)
    lrs = np.geomspace(1e-4, 10.0, 51) if lrs is None else np.asarray(_validate.positive("lrs", lrs), dtype=float)
    good = _validate.positive("good", good)
    final, diverged = {}, {}
    for m in methods:
        opt = m if isinstance(m, Optimizer) else make_optimizer(m, lr=lrs, **hyperparameters)
        name = opt.name
        traj = run(opt, surface, start=start, steps=steps)
        gap, _ = loss_gap(traj)
        final[name] = np.where(traj.diverged, np.nan, gap[-1])
        diverged[name] = np.asarray(traj.diverged)
    return Sensitivity(lrs, final, diverged, good)


def plot_lr_sensitivity(surface, methods=DEFAULT_METHODS, lrs=None, *, steps: int = 300, start=None, good=1e-3,
                        ax=None, **hyperparameters) -> Sensitivity:
    """Final loss - f* against the step size (log-log), one line per method; diverged step sizes as crosses
    on the top edge; the legend gives each method's good range (final gap <= ``good``) in decades."""
    sens = lr_sensitivity(surface, methods, lrs, steps=steps, start=start, good=good, **hyperparameters)
    surface = get_surface(surface)
    ax = ax if ax is not None else plt.subplots(figsize=(9, 4.2), layout="constrained")[1]
    finite = np.concatenate([v[np.isfinite(v)] for v in sens.final.values()] + [np.array([1.0])])
    top = max(float(finite.max()) * 10, 10.0)
    floor = 1e-14
    for i, (name, final) in enumerate(sens.final.items()):
        c = PATH_COLORS[i % len(PATH_COLORS)]
        r = sens.good_range(name)
        width = ("no good α" if r is None else f"good only near α = {r[0]:.2g}" if r[0] == r[1]
                 else f"good over {sens.decades(name):.1f} decades")
        ax.plot(sens.lrs, np.maximum(final, floor), "-", color=c, lw=1.8, marker=".", ms=4, label=f"{name} ({width})")
        d = sens.diverged[name]
        ax.plot(sens.lrs[d], np.full(d.sum(), top), "x", color=c, ms=6, clip_on=False)
    ax.axhline(good, color="black", lw=1, ls=":", label=f"good: final gap ≤ {good:g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(floor, top * 1.5)
    ax.set_xlabel(r"step size $\alpha$ (Adadelta: its scale factor)")
    ax.set_ylabel(r"final $J(\theta) - J^*$ (× = diverged)")
    ax.set_title(f"Sensitivity to the step size on {surface.name}: final loss after {steps} steps")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    ax.grid(True, which="major", alpha=0.3)
    sens.ax = ax
    return sens


def scaled_surface(surface, factor) -> Surface:
    """``surface`` with its loss multiplied by ``factor`` (> 0): same minima and contours, gradients
    ``factor`` times larger. A bowl stays a QuadraticBowl (curvatures times factor)."""
    surface = get_surface(surface)
    factor = _validate.positive("factor", factor)
    if isinstance(surface, QuadraticBowl):
        out = QuadraticBowl(tuple(c * factor for c in surface.curvatures), surface.angle)
        out.name = f"{factor:g} × {surface.name}"
        return out
    out = Surface.from_function(lambda p: factor * surface.value(p), grad=lambda p: factor * surface.grad(p),
                                bounds=surface.bounds, name=f"{factor:g} × {surface.name}",
                                minima=surface.minima if len(surface.minima) else None, start=surface.start)
    out.log_levels = surface.log_levels
    return out


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


__all__ = ["velocities", "lookahead_points", "RateComparison", "plot_momentum_rates", "ripple_momentum",
           "RippleFigure", "plot_momentum_ripples", "effective_steps", "EffectiveStepFigure",
           "plot_effective_steps", "DEFAULT_METHODS", "Sensitivity", "lr_sensitivity", "plot_lr_sensitivity",
           "scaled_surface", "ScaleFigure", "plot_loss_scale"]
