"""Static matplotlib views: contours, paths, loss curves, animations, stability maps.

Every function takes an optional ``ax`` and returns the artists it made, so that widgets can update
them in place. Works with any matplotlib backend.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from .. import _validate, theory
from ..optimizers import Optimizer, make_optimizer
from ..run import Trajectory, run
from ..surfaces import QuadraticBowl, Surface, get_surface

IPYMPL_BACKENDS = ("widget", "ipympl", "module://ipympl.backend_nbagg")
PATH_COLORS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def using_ipympl() -> bool:
    return matplotlib.get_backend().lower() in IPYMPL_BACKENDS


def new_figure(figsize=(9.0, 4.2)) -> Figure:
    """A figure that pyplot does not track (no 'too many figures' warnings, no auto-display).

    Under ipympl (``%matplotlib widget``) its canvas is a live widget; elsewhere it renders with Agg.
    """
    fig = Figure(figsize=figsize, layout="constrained")
    if using_ipympl():
        from ipympl.backend_nbagg import Canvas, FigureManager

        canvas = Canvas(fig)
        FigureManager(canvas, 0)
        canvas.header_visible = False
        canvas.footer_visible = False
        canvas.toolbar_position = "left"
        canvas.resizable = False
    else:
        FigureCanvasAgg(fig)
    return fig


# --- contour grids, computed once per surface -------------------------------------------------------

_GRIDS: "weakref.WeakKeyDictionary[Surface, dict]" = weakref.WeakKeyDictionary()


def surface_grid(surface: Surface, n: int = 160):
    """(X, Y, Z) on an n x n grid over ``surface.bounds``, cached per surface."""
    cache = _GRIDS.setdefault(surface, {})
    if n not in cache:
        (x0, x1), (y0, y1) = surface.bounds
        X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
        with np.errstate(all="ignore"):
            Z = surface.value(np.stack([X, Y], axis=-1))
        cache[n] = (X, Y, Z)
    return cache[n]


def contour_levels(surface: Surface, Z, count: int = 14):
    """Log-spaced levels of f - f* where the range is wide (Rosenbrock), else evenly spaced."""
    zmin, zmax = np.nanmin(Z), np.nanmax(Z)
    if surface.log_levels and zmin >= 0:
        lo = max(zmin, (zmax - zmin) * 1e-5, 1e-3)
        return np.geomspace(lo, zmax, count)
    return np.linspace(zmin, zmax, count + 2)[1:-1]


def plot_surface(surface, ax=None, *, n: int = 160, filled: bool = True):
    """Contours of the loss over the surface's window, minima (stars) and saddle points (crosses) marked.

    Returns a dict of artists: 'contour' (and 'lines' when filled), 'minima', 'saddles'.
    """
    surface = get_surface(surface)
    ax = ax if ax is not None else plt.subplots(figsize=(5, 4.2), layout="constrained")[1]
    X, Y, Z = surface_grid(surface, n)
    levels = contour_levels(surface, Z)
    norm = LogNorm(levels[0], levels[-1]) if surface.log_levels and levels[0] > 0 else None
    artists = {}
    with np.errstate(all="ignore"):
        if filled:
            artists["contour"] = ax.contourf(X, Y, Z, levels=levels, cmap="Blues_r", norm=norm, extend="both", alpha=0.85)
            artists["lines"] = ax.contour(X, Y, Z, levels=levels, colors="white", linewidths=0.5, alpha=0.7, norm=norm)
        else:
            artists["contour"] = ax.contour(X, Y, Z, levels=levels, cmap="Blues_r", norm=norm)
    m, s = np.asarray(surface.minima), np.asarray(surface.saddles)
    # Labels start with '_' (hidden from legends) when there is nothing to mark.
    artists["minima"] = ax.plot(m[:, 0], m[:, 1], "*", color="gold", mec="black", ms=13, zorder=5,
                                label="minimum" if len(m) else "_minimum", linestyle="none")[0]
    artists["saddles"] = ax.plot(s[:, 0], s[:, 1], "X", color="white", mec="black", ms=10, zorder=5,
                                 label="saddle point" if len(s) else "_saddle", linestyle="none")[0]
    (x0, x1), (y0, y1) = surface.bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_title(_surface_title(surface))
    return artists


def _surface_title(surface):
    if isinstance(surface, QuadraticBowl):
        return f"bowl (condition number {surface.condition_number:g})"
    return surface.name


# --- labels for the runs of a batch ------------------------------------------------------------------

def _fmt(v) -> str:
    return f"{v:.3g}"


SYMBOLS = {"lr": "α", "momentum": "γ", "rho": "ρ", "beta1": "β1", "beta2": "β2", "eps": "ε"}


def run_labels(trajectory: Trajectory) -> list:
    """One label per run of the batch (flattened), naming the hyperparameters that vary across it."""
    batch = trajectory.batch_shape
    n = int(np.prod(batch)) if batch else 1
    opt = trajectory.optimizer
    if opt is None:
        return [f"run {i}" for i in range(n)]
    parts = []
    for name, value in opt.hyperparameters.items():
        if callable(value):
            continue
        if np.ndim(value) > 0:
            flat = np.broadcast_to(value, np.broadcast_shapes(np.shape(value), batch)).reshape(-1)
            parts.append([f"{SYMBOLS.get(name, name)}={_fmt(v)}" for v in flat])
    if not parts:
        lr = opt.lr
        base = f"{opt.name}, " + (f"α={_fmt(lr)}" if not callable(lr) else repr(lr))
        return [base] * n if n == 1 else [f"{base} (run {i})" for i in range(n)]
    return [", ".join(p[i] for p in parts) for i in range(n)]


def _flat(trajectory: Trajectory):
    """points (steps+1, n, 2), losses (steps+1, n), diverged_at (n,) for the batch flattened."""
    s = trajectory.steps + 1
    return (trajectory.points.reshape(s, -1, 2), trajectory.losses.reshape(s, -1),
            np.asarray(trajectory.diverged_at).reshape(-1))


def last_finite_point(points, surface):
    """Last finite point of a path (k, 2), pulled onto the window's border if it lies outside."""
    finite = np.isfinite(points).all(axis=-1)
    if not finite.any():
        return np.array([np.nan, np.nan])
    p = points[np.nonzero(finite)[0][-1]]
    (x0, x1), (y0, y1) = surface.bounds
    return np.array([np.clip(p[0], x0, x1), np.clip(p[1], y0, y1)])


def plot_path(trajectory: Trajectory, ax=None, *, labels=None, colors=None, legend=True):
    """Paths of every run of a batch, one colour each, start (circle) and end (dot) marked; a diverged run
    is drawn up to where it left, with a cross where it was last seen. Returns a list of dicts of artists."""
    if not isinstance(trajectory, Trajectory):
        raise TypeError(f"trajectory must be the result of stepviz.run(...); got {type(trajectory).__name__}")
    surface = trajectory.surface
    ax = ax if ax is not None else plot_surface(surface)["contour"].axes
    points, _, div_at = _flat(trajectory)
    labels = list(labels) if labels is not None else run_labels(trajectory)
    colors = colors or PATH_COLORS
    out = []
    for i in range(points.shape[1]):
        c = colors[i % len(colors)]
        label = labels[i] + (f" (diverged at step {div_at[i]})" if div_at[i] >= 0 else "")
        gone = div_at[i] >= 0  # a diverged path zig-zags across the window: keep it under the others
        line, = ax.plot(points[:, i, 0], points[:, i, 1], "-", color=c, lw=1.2 if gone else 1.6, marker=".", ms=3,
                        label=label, zorder=5.5 if gone else 6, alpha=0.55 if gone else 1.0)
        start, = ax.plot(*points[0, i], "o", color=c, mec="black", ms=7, zorder=7)
        end_pt = last_finite_point(points[:, i], surface)
        end, = ax.plot(*end_pt, "X" if div_at[i] >= 0 else "o", color=c, mec="black",
                       ms=10 if div_at[i] >= 0 else 5, zorder=7, clip_on=False)
        out.append({"path": line, "start": start, "end": end})
    if legend and points.shape[1] > 0:
        ax.legend(loc="upper right", fontsize=8, framealpha=0.85)
    return out


def loss_gap(trajectory: Trajectory):
    """(values, label): loss - f* when the surface has a finite minimum value, else the loss itself."""
    f_min = trajectory.surface.f_min if trajectory.surface is not None else np.nan
    if np.isfinite(f_min):
        return trajectory.losses - f_min, r"$J(\theta_k) - J^*$"
    return trajectory.losses, r"$J(\theta_k)$"


def plot_losses(trajectory: Trajectory, ax=None, *, labels=None, colors=None, legend=True):
    """Loss - f* against iteration on a log axis (a symmetric-log axis when losses go negative)."""
    ax = ax if ax is not None else plt.subplots(figsize=(5, 3.5), layout="constrained")[1]
    values, ylabel = loss_gap(trajectory)
    s = trajectory.steps + 1
    values = values.reshape(s, -1)
    labels = list(labels) if labels is not None else run_labels(trajectory)
    colors = colors or PATH_COLORS
    k = np.arange(s)
    lines = []
    with np.errstate(all="ignore"):
        positive = np.where(values > 0, values, np.nan)
    for i in range(values.shape[1]):
        lines.append(ax.plot(k, positive[:, i], color=colors[i % len(colors)], lw=1.6, label=labels[i])[0])
    ax.set_yscale("log")
    ax.set_xlabel("iteration k")
    ax.set_ylabel(ylabel)
    ax.set_title("loss")
    ax.grid(True, which="major", alpha=0.3)
    if legend and values.shape[1] > 1:
        ax.legend(fontsize=8)
    return lines


def plot_schedule(schedule, steps: int = 100, ax=None, *, label=None, color=None):
    """alpha_t against t for a schedule (or a constant)."""
    steps = _validate.integer("steps", steps, low=1)
    ax = ax if ax is not None else plt.subplots(figsize=(5, 3), layout="constrained")[1]
    t = np.arange(steps)
    a = np.broadcast_to(schedule(t) if callable(schedule) else schedule, t.shape)
    line, = ax.plot(t, a, lw=1.8, label=label or repr(schedule), color=color)
    ax.set_xlabel("iteration t")
    ax.set_ylabel(r"step size $\alpha_t$")
    ax.set_title("step-size schedule")
    ax.grid(True, alpha=0.3)
    return line


def animate(trajectory: Trajectory, surface: Surface = None, *, frames: int = 60, interval: int = 80):
    """A FuncAnimation of the path(s) growing step by step; ``.to_jshtml()`` plays it in a static page.

    ``frames`` evenly spaced iterations are shown (default: 60), ``interval`` ms apart (default: 80).
    """
    surface = surface if surface is not None else trajectory.surface
    frames = _validate.integer("frames", frames, low=1)
    fig = Figure(figsize=(5.2, 4.4), dpi=72, layout="constrained")  # rendered to PNG frames, never live
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    plot_surface(surface, ax)
    arts = plot_path(trajectory, ax)
    points, _, _ = _flat(trajectory)
    ks = np.unique(np.linspace(0, trajectory.steps, min(frames, trajectory.steps + 1)).astype(int))
    text = ax.text(0.02, 0.03, "", transform=ax.transAxes, fontsize=9,
                   bbox=dict(boxstyle="round", fc="white", alpha=0.8))

    def update(j):
        k = ks[j]
        for i, a in enumerate(arts):
            a["path"].set_data(points[: k + 1, i, 0], points[: k + 1, i, 1])
            a["end"].set_data([last_finite_point(points[: k + 1, i], surface)[0]],
                              [last_finite_point(points[: k + 1, i], surface)[1]])
        text.set_text(f"iteration {k}")
        return [a["path"] for a in arts] + [a["end"] for a in arts] + [text]

    return FuncAnimation(fig, update, frames=len(ks), interval=interval, blit=False)


_CDN_STYLESHEET = re.compile(r'<link rel="stylesheet"\s+href="https?://[^"]*font-awesome[^"]*">\s*')


def animation_html(animation):
    """An animation as a self-contained player for a notebook or a static page (IPython ``HTML``).

    matplotlib's ``to_jshtml()`` links Font Awesome from a CDN for its button icons; the link is dropped
    here (JupyterLab and the course's static pages provide the icons), so showing it fetches nothing.
    """
    from IPython.display import HTML

    html = _CDN_STYLESHEET.sub("", animation.to_jshtml())
    return HTML(html)


@dataclass
class StabilityMap:
    """Result of :func:`stability_map`: the grid, the measured rates, the image and the trajectory."""

    lrs: np.ndarray
    momenta: np.ndarray
    rates: np.ndarray
    diverged: np.ndarray
    image: object
    ax: object


def stability_map(surface, optimizer="Momentum", lrs=None, momenta=None, steps: int = 300, ax=None, *, start=None):
    """Heatmap of the measured convergence rate over a grid of (lr, momentum), from one batched run.

    Diverged settings are grey. On a quadratic bowl the theoretical boundary is drawn over it:
    lr L = 2 + 2 momentum for heavy ball, lr L = (2 + 2 momentum) / (1 + 2 momentum) for Nesterov
    (both 2 / L on the momentum = 0 edge).
    """
    surface = get_surface(surface)
    lrs = np.geomspace(1e-3, 1.0, 120) if lrs is None else np.asarray(_validate.positive("lrs", lrs), float)
    momenta = np.linspace(0.0, 0.98, 100) if momenta is None else np.asarray(_validate.unit_interval("momenta", momenta), float)
    name = optimizer.name if isinstance(optimizer, Optimizer) else optimizer
    if name not in ("Momentum", "Nesterov", "GD"):
        raise ValueError(f"stability_map needs a momentum method: 'Momentum', 'Nesterov' or 'GD'; got {optimizer!r}")
    opt = make_optimizer(name, lr=lrs[None, :], momentum=momenta[:, None])
    traj = run(opt, surface, start=start, steps=steps)
    rates = traj.rate()
    ax = ax if ax is not None else plt.subplots(figsize=(6, 4.5), layout="constrained")[1]
    cmap = matplotlib.colormaps["viridis"].with_extremes(bad="#bbbbbb")
    with np.errstate(all="ignore"):
        shown = np.where(traj.diverged, np.nan, np.clip(rates, 0, 1))
    image = ax.pcolormesh(lrs, momenta, shown, cmap=cmap, vmin=0, vmax=1, shading="auto")
    ax.set_xscale("log")
    ax.set_xlabel(r"step size $\alpha$")
    ax.set_ylabel(r"momentum $\gamma$")
    ax.set_title(f"{name} on {surface.name}: rate per step (grey = diverged)")
    ax.figure.colorbar(image, ax=ax, label="measured rate (lower is faster)")
    if isinstance(surface, QuadraticBowl) and name != "GD":
        m = np.linspace(momenta.min(), momenta.max(), 200)
        if name == "Momentum":
            ax.plot(theory.momentum_lr_limit(surface, m), m, "r--", lw=2, label=r"theory: $\alpha L = 2 + 2\gamma$")
        else:
            ax.plot(theory.nesterov_lr_limit(surface, m), m, "r--", lw=2,
                    label=r"theory: $\alpha L = (2 + 2\gamma)/(1 + 2\gamma)$")
        lr_opt, m_opt = theory.optimal_momentum(surface)
        ax.plot([lr_opt], [m_opt], "*", color="gold", mec="black", ms=14, label="optimal (α, γ)")
        ax.legend(loc="lower left", fontsize=8)
        ax.set_xlim(lrs.min(), lrs.max())
    return StabilityMap(lrs, momenta, rates, traj.diverged, image, ax)


class StaticLayer(matplotlib.artist.Artist):
    """Draws a figure's static axes (frames, ticks, labels, contours, legends) from a cached pixel copy.

    Text and ticks dominate the cost of a matplotlib frame, yet a slider change only moves a few lines.
    The static axes are kept invisible to the figure's own draw; this artist, drawn first, renders them
    once into the Agg buffer, keeps a copy, and on later draws restores that copy instead. Dynamic artists
    live on transparent overlay axes that share the static axes' limits and are drawn on top as usual, so
    ``figure.canvas.draw()`` stays a complete, correct render. The copy is re-rendered whenever the
    renderer, the axes limits or :meth:`invalidate` say it is stale; renderers without pixel copies (PDF,
    SVG) get the static axes drawn directly.
    """

    def __init__(self, static_axes):
        super().__init__()
        self.static_axes = list(static_axes)
        self.set_zorder(-100)
        self._version = 0
        self._key = None
        self._pixels = None
        for ax in self.static_axes:
            ax._visible = False  # the figure must not draw them; set directly to avoid a stale/redraw signal

    def invalidate(self):
        """The static content changed (new contours, labels, legend): render it again on the next draw."""
        self._version += 1
        self.stale = True

    def _state(self, renderer):
        limits = tuple(tuple(ax.get_xlim()) + tuple(ax.get_ylim()) + tuple(ax.get_position().bounds)
                       for ax in self.static_axes)
        return (id(renderer), renderer.get_canvas_width_height(), self._version, limits)

    def draw(self, renderer):
        # A renderer whose draw_* methods are patched on the instance is matplotlib's dry run (savefig with
        # tight bbox/layout): its pixels are blank and must not be kept.
        cacheable = (hasattr(renderer, "copy_from_bbox") and hasattr(renderer, "get_canvas_width_height")
                     and "draw_path" not in vars(renderer))
        key = self._state(renderer) if cacheable else None
        if cacheable and self._pixels is not None and key == self._key:
            renderer.restore_region(self._pixels)
            return
        for ax in self.static_axes:
            ax._visible = True
            try:
                ax.draw(renderer)
            finally:
                ax._visible = False
        if cacheable:
            self._pixels = renderer.copy_from_bbox(self.figure.bbox)
            self._key = key


def overlay_axes(ax):
    """Transparent axes on top of ``ax``, sharing its limits and scales, for artists that change often."""
    over = ax.figure.add_axes(ax.get_position(), sharex=ax, sharey=ax, label=f"overlay-{id(ax)}")
    over.set_xscale(ax.get_xscale())
    over.set_yscale(ax.get_yscale())
    over.set_axis_off()
    over.patch.set_visible(False)
    return over


__all__ = ["using_ipympl", "new_figure", "surface_grid", "contour_levels", "plot_surface", "run_labels",
           "last_finite_point", "plot_path", "loss_gap", "plot_losses", "plot_schedule", "animate", "animation_html",
           "StabilityMap", "stability_map", "StaticLayer", "overlay_axes", "PATH_COLORS", "SYMBOLS"]
