"""Figures of several panels side by side: paths and loss curves for several momenta or optimizers, each
coordinate's effective step size per optimizer, the same surface with its loss scaled, the two ways of
writing momentum's velocity, the same bowl axis-aligned and turned."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import NullFormatter

from .. import _validate
from ..analysis import curvature
from ..analysis.adaptive import effective_steps, preconditioning_runs, scaled_surface
from ..analysis.curvature import loss_spikes
from ..analysis.momentum import velocity_forms
from ..engine import Trajectory, run
from ..optim.rules import Optimizer
from ..problems.surfaces import get_surface
from .contours import plot_surface
from .curves import plot_losses
from .figure import subplots
from .paths import plot_path, short_label
from .style import GHOST_COLOR, INK, PATH_COLORS


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
    fig, axes = subplots(2, n, figsize=(2.7 * n + 1.0, 5.6), layout="constrained", squeeze=False,
                             height_ratios=(1.25, 1.0))
    trajs, effs = [], []
    for j, opt in enumerate(optimizers):
        traj, eff = effective_steps(opt, surface, start, steps)
        trajs.append(traj)
        effs.append(eff)
        ap, ae = axes[0, j], axes[1, j]
        plot_surface(surface, ap, n=90)  # small panels: a coarser contour grid draws much faster
        plot_path(traj, ap, labels=[opt.name], colors=[PATH_COLORS[j % len(PATH_COLORS)]], legend=False)
        ap.set_title(short_label(opt), fontsize=9)
        t = np.arange(1, traj.steps + 1)
        ae.plot(t, eff[:, 0], color=PATH_COLORS[1], lw=1.6, label=r"$\theta_1$")
        ae.plot(t, eff[:, 1], color=PATH_COLORS[0], lw=1.6, label=r"$\theta_2$")
        if reference:
            ae.plot(t, np.asarray(traj.lrs, dtype=float), color=GHOST_COLOR, lw=1, ls="--", label=r"$\alpha_t$")
        ae.set_yscale("log")
        ae.yaxis.set_minor_formatter(NullFormatter())  # short log ranges would label every minor tick
        ae.set_xlabel("iteration t")
        ae.set_title(f"{opt.name}: effective step", fontsize=9)
        ae.grid(True, alpha=0.3)
        if j > 0:
            ap.set_ylabel("")
    axes[1, 0].set_ylabel("effective step size")
    fig.legend(*axes[1, 0].get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize=8)
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
    factors = [float(_validate.positive("factor", f, scalar=True)) for f in factors]
    n = len(optimizers)
    fig, axes = subplots(1, n, figsize=(3.1 * n + 0.6, 3.7), layout="constrained", squeeze=False)
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
        ax.set_title(short_label(opt), fontsize=9)
        ax.legend(fontsize=7, loc="lower right", framealpha=0.85)
        if j > 0:
            ax.set_ylabel("")
    fig.suptitle(f"Same {surface.name}, loss multiplied by {' and '.join(f'{f:g}' for f in factors)}")
    return ScaleFigure(trajs, fig, axes)


@dataclass
class ComparisonFigure:
    """Result of :func:`plot_comparison`: one trajectory per optimizer, with its label."""

    trajectories: list
    labels: list
    figure: object
    ax_path: object
    ax_loss: object


def plot_comparison(surface, optimizers, *, labels=None, steps: int = 100, start=None) -> ComparisonFigure:
    """Several optimizers on one surface, static: paths (left) and loss curves (right), one colour each,
    short labels ('Adam, α = 0.1'); one legend under both panels, so it covers no path and no minimum."""
    surface = get_surface(surface)
    optimizers = list(optimizers)
    labels = list(labels) if labels is not None else [short_label(o) for o in optimizers]
    trajs = [run(o, surface, start=start, steps=steps) for o in optimizers]
    fig, (ax_path, ax_loss) = subplots(1, 2, figsize=(10, 4.6), layout="constrained")
    plot_surface(surface, ax_path)
    for i, (tr, label) in enumerate(zip(trajs, labels)):
        c = [PATH_COLORS[i % len(PATH_COLORS)]]
        plot_path(tr, ax_path, labels=[label], colors=c, legend=False)
        plot_losses(tr, ax_loss, labels=[label], colors=c, legend=False)
    ax_path.set_title(f"{len(trajs)} runs on {surface.name}")
    ax_loss.set_title("loss")
    handles = ax_loss.get_lines()
    fig.legend(handles, [h.get_label() for h in handles], loc="outside lower center", ncols=min(len(handles), 3),
               fontsize=8)
    return ComparisonFigure(trajs, labels, fig, ax_path, ax_loss)


@dataclass
class VelocityForms:
    """Result of :func:`plot_velocity_forms`: {'constant': {'ours', 'pytorch'}, 'schedule': {...}} runs."""

    runs: dict
    figure: object
    axes: np.ndarray


def step_lengths(trajectory: Trajectory) -> np.ndarray:
    """|p_{k+1} - p_k| for k = 0 .. steps - 1 (one run)."""
    return np.linalg.norm(np.diff(trajectory.points, axis=0), axis=-1)


def plot_velocity_forms(surface, lr, momentum, schedule, *, steps: int = 80, start=None,
                        schedule_label=None) -> VelocityForms:
    """Heavy ball in the velocity form v <- gamma v + alpha g (ours) and in PyTorch's v <- gamma v + g,
    p <- p - alpha v: step lengths with a constant ``lr`` (left: the same), step lengths and losses under
    ``schedule`` (middle, right: they part when alpha changes)."""
    surface = get_surface(surface)
    runs = {"constant": velocity_forms(surface, lr, momentum, steps, start),
            "schedule": velocity_forms(surface, schedule, momentum, steps, start)}
    fig, axes = subplots(1, 3, figsize=(12, 3.8), layout="constrained")
    styles = {"ours": dict(color=PATH_COLORS[1], lw=3, alpha=0.55, label="ours: v ← γv + αg, θ ← θ − v"),
              "pytorch": dict(color=PATH_COLORS[0], lw=1.4, ls="--", label="PyTorch: v ← γv + g, θ ← θ − αv")}
    name = schedule_label or repr(schedule)
    titles = [f"step length, constant α = {lr:g}", f"step length, {name}", f"loss, {name}"]
    for ax, title in zip(axes, titles):
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("step k")
        ax.set_yscale("log")
        ax.grid(True, which="major", alpha=0.3)
    for form, style in styles.items():
        axes[0].plot(step_lengths(runs["constant"][form]), **style)
        axes[1].plot(step_lengths(runs["schedule"][form]), **style)
        plot_losses(runs["schedule"][form], axes[2], labels=[style["label"]], colors=[style["color"]], legend=False,
                    title=titles[2])
        line = axes[2].get_lines()[-1]
        line.set(lw=style["lw"], alpha=style.get("alpha", 1.0), ls=style.get("ls", "-"))
    axes[2].set_title(titles[2], fontsize=9)
    axes[0].set_ylabel(r"$|\theta_{k+1} - \theta_k|$")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=8)
    return VelocityForms(runs, fig, axes)


@dataclass
class PreconditioningFigure:
    """Result of :func:`plot_preconditioning`: {angle: {optimizer: (trajectory, steps to tol)}}."""

    runs: dict
    figure: object
    axes: np.ndarray


def plot_preconditioning(optimizers, curvatures=(1.0, 50.0), angles=(0.0, 45.0), *, start=(-1.5, 1.0),
                         steps: int = 600, tol: float = 1e-6) -> PreconditioningFigure:
    """The same bowl axis-aligned and turned (:func:`~stepviz.analysis.adaptive.preconditioning_runs`): one
    panel of loss curves per angle, each legend entry with the steps the run needs to reach ``tol``
    (dotted line)."""
    optimizers = list(optimizers)
    runs = preconditioning_runs(optimizers, curvatures, angles, start, steps, tol)
    fig, axes = subplots(1, len(angles), figsize=(5.2 * len(angles), 4.2), layout="constrained", squeeze=False,
                             sharey=True)
    for ax, angle in zip(axes[0], angles):
        for i, (opt, (tr, k)) in enumerate(runs[angle].items()):
            when = f"{k} steps" if k >= 0 else f"not in {steps}"
            plot_losses(tr, ax, labels=[f"{short_label(opt)}: {when}"], colors=[PATH_COLORS[i % len(PATH_COLORS)]],
                        legend=False, title=f"bowl turned by {angle:g}°" if angle else "axis-aligned bowl")
        ax.axhline(tol, color=GHOST_COLOR, ls=":", lw=1)
        ax.legend(fontsize=7, loc="upper right")
    top = max(float(np.nanmax(tr.losses[:5])) for r in runs.values() for tr, _ in r.values())
    axes[0, 0].set_ylim(tol * 1e-4, top * 10)
    return PreconditioningFigure(runs, fig, axes[0])


@dataclass
class SharpnessFigure:
    """Result of :func:`plot_sharpness_and_loss`: per run label, (steps, sharpness), the loss spikes and the
    stretches where the sharpness is above 2 / alpha."""

    sharpness: dict
    spikes: dict
    above: dict
    figure: object
    axes: np.ndarray


def plot_sharpness_and_loss(problem, runs, labels=None, *, every: int = 1, iters: int = 20) -> SharpnessFigure:
    """Left: the sharpness lambda_max along each GD run (every ``every`` steps, by Lanczos on Hessian-vector
    products) with the run's limit 2 / alpha dashed; right: the loss of each run with its spikes marked."""
    runs = list(runs)
    fig, (ax, ax_l) = subplots(1, 2, figsize=(11, 4.8), layout="constrained")
    sharp, spikes, above = {}, {}, {}
    for i, tr in enumerate(runs):
        alpha = float(np.ravel(tr.lrs)[0])
        label = labels[i] if labels is not None else f"α = {alpha:g}"
        c = PATH_COLORS[i % len(PATH_COLORS)]
        k, lam = curvature.sharpness_along(problem, tr, every, iters=iters)
        sharp[label], spikes[label] = (k, lam), loss_spikes(tr.losses)
        above[label] = curvature.stretches_above(k, lam, 2 / alpha)
        ax.plot(k, lam, "-", color=c, lw=1.4, label=f"{label}: sharpness λ_max")
        ax.axhline(2 / alpha, color=c, ls="--", lw=1.2, label=f"{label}: 2/α = {2 / alpha:.3g}")
        ax_l.plot(np.arange(tr.steps + 1), tr.losses, "-", color=c, lw=1.4, label=f"{label}: loss")
        s = spikes[label]
        ax_l.plot(s, tr.losses[s], "v", color=c, mec=INK, ms=7, ls="none", label=f"{label}: spikes at {', '.join(map(str, s))}")
    ax.set_yscale("log")
    ax.set_xlabel("step k")
    ax.set_ylabel(r"$\lambda_{max}$ of the Hessian")
    ax.set_title("sharpness at every step")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2)
    ax_l.set_yscale("log")
    ax_l.set_xlabel("step k")
    ax_l.set_ylabel(r"loss $J(\theta_k)$")
    ax_l.set_title("loss")
    ax_l.grid(True, which="major", alpha=0.3)
    ax_l.legend(fontsize=8, loc="lower left")
    return SharpnessFigure(sharp, spikes, above, fig, np.array([ax, ax_l]))
