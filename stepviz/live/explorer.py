"""The explorer of any surface and optimizer: one live figure (path, loss curve, step-size strip) and
controls that update it in place.

``explore()`` returns an :class:`Explorer` (an ipywidgets VBox). Under ``%matplotlib widget`` (ipympl) the
figure is a live canvas; elsewhere a PNG of it is shown.
"""
from __future__ import annotations

import asyncio

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter

from .. import _format
from ..analysis import quadratic
from ..engine import Trajectory, run
from ..optim.rules import OPTIMIZERS, Optimizer, make_optimizer
from ..optim.schedules import inverse_time
from ..problems.surfaces import SURFACES, QuadraticBowl, Surface, get_surface
from ..viz.contours import plot_surface
from ..viz.curves import loss_gap
from ..viz.figure import StaticLayer, new_figure, overlay_axes
from ..viz.paths import last_finite_point
from ..viz.style import LIMIT_COLOR, OPTIMAL_COLOR, PATH_COLOR
from .figure import LiveFigure, link_play

DRAG_INTERVAL = 0.03  # s: at most one recomputation per this interval while a slider is dragged in the browser
LR_RANGE = (-4.0, 0.3)  # log10 of the step-size slider's ends: 1e-4 ... 2
MOMENTUM_METHODS = ("Momentum", "Nesterov")
RATE_THEORY = {"GD": quadratic.gd_rate, "Momentum": quadratic.momentum_rate, "Nesterov": quadratic.nesterov_rate}


class Explorer(LiveFigure):
    """A live figure (contours + path, loss curve, step-size strip) with its controls.

    ``controls`` maps names to widgets: 'surface', 'optimizer', 'lr', 'decay', 'momentum', 'steps', 'x0',
    'y0', 'iteration', 'play'. Setting a control's value recomputes the run and updates the figure's
    artists synchronously; ``figure.canvas.draw()`` then renders the frame. ``trajectory`` is the current
    run; ``readout`` the text line under the figure.
    """

    def __init__(self, surface="bowl", optimizer="GD", *, lr=0.05, decay=0.0, momentum=0.9, steps=100,
                 start=None, noise=0.0, seed=0, tol=1e-6, figsize=(9.6, 4.6)):
        self._surfaces = {name: get_surface(name) for name in SURFACES}
        surface = get_surface(surface)
        self._surfaces[surface.name] = surface
        if isinstance(optimizer, Optimizer):
            optimizer = optimizer.name
        make_optimizer(optimizer, lr=lr)  # validates the name and lr with the usual messages
        self.noise, self.seed, self.tol = noise, seed, tol
        self._suspended = False
        self._pending = None  # a deferred update while a slider is dragged (see _update_soon)
        self.trajectory: Trajectory | None = None

        self.controls = self._make_controls(surface, optimizer, lr, decay, momentum, steps, start)
        view = self._figure_view(new_figure(figsize))
        self._build_figure()
        self.readout = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        super().__init__([view, self._layout_controls(), self.readout])
        self.add_class("stepviz-explorer")

        for name, w in self.controls.items():
            if name not in ("play", "iteration"):
                w.observe(self._on_change, names="value")
        self.controls["iteration"].observe(self._on_iteration, names="value")
        self.figure.canvas.mpl_connect("button_press_event", self._on_click)
        self._set_surface(surface)
        self._freeze_layout()
        self._build_overlays()
        self._sync_enabled()
        self._lr_strip_legend()
        self.update()

    # --- controls ---------------------------------------------------------------------------------
    def _make_controls(self, surface, optimizer, lr, decay, momentum, steps, start):
        wide = widgets.Layout(width="350px")
        style = {"description_width": "100px"}
        start = surface.start if start is None else np.asarray(start, dtype=float)
        (xa, xb), (ya, yb) = surface.bounds
        c = {
            "surface": widgets.Dropdown(options=list(self._surfaces), value=surface.name, description="surface",
                                        style=style, layout=wide),
            "optimizer": widgets.Dropdown(options=list(OPTIMIZERS), value=optimizer, description="optimizer",
                                          style=style, layout=wide),
            "lr": widgets.FloatLogSlider(value=lr, base=10, min=LR_RANGE[0], max=LR_RANGE[1], step=0.01,
                                         description="step size α", readout_format=".3g", style=style,
                                         layout=wide, continuous_update=True),
            "decay": widgets.FloatSlider(value=decay, min=0.0, max=0.2, step=0.001, description="decay",
                                         readout_format=".3f", style=style, layout=wide),
            "momentum": widgets.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01, description="momentum γ",
                                            style=style, layout=wide),
            "steps": widgets.IntSlider(value=steps, min=1, max=1000, step=1, description="steps", style=style,
                                       layout=wide),
            "x0": widgets.FloatSlider(value=start[0], min=xa, max=xb, step=0.01, description="start θ₁", style=style, layout=wide),
            "y0": widgets.FloatSlider(value=start[1], min=ya, max=yb, step=0.01, description="start θ₂", style=style, layout=wide),
            "iteration": widgets.IntSlider(value=steps, min=0, max=steps, description="iteration", style=style,
                                           layout=widgets.Layout(width="420px")),
            "play": widgets.Play(value=steps, min=0, max=steps, interval=60, description="play", show_repeat=False),
        }
        c["lr"].add_class("stepviz-lr")
        link_play(c["play"], c["iteration"])
        return c

    def _layout_controls(self):
        c = self.controls
        left = widgets.VBox([c["surface"], c["optimizer"], c["lr"], c["decay"], c["momentum"]])
        right = widgets.VBox([c["steps"], c["x0"], c["y0"], widgets.HBox([c["play"], c["iteration"]])])
        return widgets.HBox([left, right])

    def _sync_enabled(self):
        """Controls that do not apply to the chosen optimizer are disabled, not hidden."""
        self.controls["momentum"].disabled = self.controls["optimizer"].value not in MOMENTUM_METHODS

    # --- figure -----------------------------------------------------------------------------------
    # Static axes (frames, ticks, labels, contours, legends) are rendered once and restored from a pixel
    # copy (StaticLayer); what moves lives on transparent overlay axes drawn on top of them.
    def _build_figure(self):
        fig = self.figure
        gs = fig.add_gridspec(2, 2, width_ratios=(1.1, 1.0), height_ratios=(1.9, 1.0))
        self.ax_path = fig.add_subplot(gs[:, 0])
        self.ax_loss = fig.add_subplot(gs[0, 1])
        self.ax_lr = fig.add_subplot(gs[1, 1])
        self._surface_artists = {}
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_xlabel("iteration k")
        self.ax_loss.set_ylabel("loss")
        self.ax_loss.grid(True, alpha=0.3)
        self.ax_lr.set_xscale("log")
        self.ax_lr.set_xlim(10 ** LR_RANGE[0], 10 ** LR_RANGE[1])
        self.ax_lr.set_ylim(0, 1.65)
        self.ax_lr.set_xlabel(r"step size $\alpha$")
        self.ax_lr.grid(True, alpha=0.3)
        self._rate_one = self.ax_lr.axhline(1.0, color="gray", lw=0.8, ls="--")
        for ax in (self.ax_loss, self.ax_lr):
            for axis in (ax.xaxis, ax.yaxis):
                axis.set_minor_formatter(NullFormatter())
        for ax in (self.ax_path, self.ax_loss, self.ax_lr):
            ax.set_title(" ", fontsize=10)  # reserve the room the overlay's title will use

    def _build_overlays(self):
        """After the layout is frozen: overlay axes carrying every artist that changes with the controls."""
        self.static = StaticLayer([self.ax_path, self.ax_loss, self.ax_lr])
        self.figure.add_artist(self.static)
        self.over_path, self.over_loss, self.over_lr = (overlay_axes(ax) for ax in
                                                         (self.ax_path, self.ax_loss, self.ax_lr))
        c = PATH_COLOR
        ap = self.over_path
        (self.path_line,) = ap.plot([], [], "-", color=c, lw=1.8, marker=".", ms=4, zorder=6)
        (self.start_marker,) = ap.plot([], [], "o", color=c, mec="black", ms=8, zorder=7)
        (self.end_marker,) = ap.plot([], [], "o", color="white", mec=c, mew=2, ms=7, zorder=8)
        (self.diverged_marker,) = ap.plot([], [], "X", color=c, mec="black", ms=12, zorder=8, clip_on=False)
        self.status_text = ap.text(0.02, 0.02, "", transform=ap.transAxes, fontsize=9, zorder=9,
                                   bbox=dict(boxstyle="round", fc="white", alpha=0.85))
        (self.loss_line,) = self.over_loss.plot([], [], color=c, lw=1.8)
        self.iteration_line = self.over_loss.axvline(0, color="gray", lw=1, ls=":")
        ar = self.over_lr
        (self.rate_curve,) = ar.plot([], [], color="black", lw=1.4)
        self.limit_line = ar.axvline(1, color=LIMIT_COLOR, lw=1.6)
        self.optimal_line = ar.axvline(1, color=OPTIMAL_COLOR, lw=1.6, ls="--")
        self.lr_line = ar.axvline(1, color=c, lw=2.5)
        (self.lr_dot,) = ar.plot([], [], "o", color=c, ms=6)

    def _freeze_layout(self):
        """Lay the figure out once (constrained layout), then keep the axes where they are: re-running the
        layout engine on every frame would cost more than the rest of the redraw."""
        self.figure.get_layout_engine().execute(self.figure)
        self.figure.set_layout_engine("none")

    def _set_surface(self, surface: Surface):
        for a in self._surface_artists.values():
            a.remove()
        self._surface_artists = plot_surface(surface, self.ax_path)
        self.ax_path.set_title(" ", fontsize=10)
        if self.ax_path.get_legend_handles_labels()[0]:
            self.ax_path.legend(loc="upper right", fontsize=8, framealpha=0.85)
        self.surface = surface
        if hasattr(self, "static"):
            self.static.invalidate()
        x0, y0 = self.controls["x0"], self.controls["y0"]
        (xa, xb), (ya, yb) = surface.bounds
        with self.hold_sync():
            self._suspended = True
            try:
                for w, (a, b) in ((x0, (xa, xb)), (y0, (ya, yb))):
                    value = min(max(w.value, a), b)
                    w.min, w.max = -1e9, 1e9  # widen first so min/max can be set in any order
                    w.min, w.max, w.value = a, b, value
            finally:
                self._suspended = False

    # --- updates ----------------------------------------------------------------------------------
    def optimizer(self) -> Optimizer:
        """The optimizer the controls describe (the step size follows alpha0 / (1 + decay t))."""
        c = self.controls
        lr = c["lr"].value if c["decay"].value == 0 else inverse_time(c["lr"].value, c["decay"].value)
        return make_optimizer(c["optimizer"].value, lr=lr, momentum=c["momentum"].value)

    def _on_change(self, change):
        if self._suspended:
            return
        owner = change["owner"]
        if owner is self.controls["surface"]:
            surface = self._surfaces[change["new"]]
            self._set_surface(surface)
            self._suspended = True
            try:
                self.controls["x0"].value, self.controls["y0"].value = surface.start
            finally:
                self._suspended = False
        if owner in (self.controls["optimizer"], self.controls["surface"]):
            self._sync_enabled()
            self._lr_strip_legend()
        elif owner._property_lock and self._update_soon():
            return
        self.update()

    def _update_soon(self) -> bool:
        """Coalesce a slider drag in the browser: recompute once per DRAG_INTERVAL with the latest values.

        While a slider is dragged, the browser sends a value per mouse move; recomputing each one in turn
        (a long run costs 10-20 ms) queues them up and the figure trails the mouse by a second. Values set
        from Python (tests, notebook cells) still update synchronously: only changes that arrive from the
        front end (``_property_lock`` holds them while ipywidgets applies them) are deferred, and only when
        the kernel's event loop is running. Returns False when the update must happen now.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        if self._pending is None:
            self._pending = loop.call_later(DRAG_INTERVAL, self._run_pending)
        return True

    def _run_pending(self):
        self._pending = None
        self.update()

    def update(self):
        """Recompute the run from the controls and update every artist in place."""
        c = self.controls
        start = np.array([c["x0"].value, c["y0"].value])
        self.trajectory = run(self.optimizer(), self.surface, start, c["steps"].value,
                              noise=self.noise, seed=self.seed)
        steps = c["steps"].value
        self._show_whole_run(steps)
        self._update_losses()
        self._update_lr_strip()
        self._show_iteration(c["iteration"].value)
        self.readout.value = self._readout()
        self.redraw()

    def _show_iteration(self, k):
        tr = self.trajectory
        k = int(min(k, tr.steps))
        pts = tr.points[: k + 1]
        self.path_line.set_data(pts[:, 0], pts[:, 1])
        self.start_marker.set_data([pts[0, 0]], [pts[0, 1]])
        end = last_finite_point(pts, self.surface)
        gone = bool(tr.diverged) and 0 <= tr.diverged_at <= k
        self.end_marker.set_data(*(([], []) if gone else ([end[0]], [end[1]])))
        self.diverged_marker.set_data(*(([end[0]], [end[1]]) if gone else ([], [])))
        self.status_text.set_text(f"iteration {k}" + (f" · diverged at step {int(tr.diverged_at)}" if gone else ""))
        self.iteration_line.set_xdata([k, k])

    def _update_losses(self):
        """The loss curve; its axes' limits depend only on the start point and steps, so they hold still
        while the step size changes and curves can be compared by eye."""
        tr = self.trajectory
        values, label = loss_gap(tr)
        with np.errstate(all="ignore"):
            shown = np.where(values > 0, values, np.nan)
        self.loss_line.set_data(np.arange(tr.steps + 1), shown)
        first = shown[0] if np.isfinite(shown[0]) else 1.0
        ylim = (first * 1e-12, first * 1e3)
        if self.ax_loss.get_ylim() != ylim or self.ax_loss.get_xlim() != (0, max(tr.steps, 1)):
            self.ax_loss.set_ylim(*ylim)
            self.ax_loss.set_xlim(0, max(tr.steps, 1))
        if self.ax_loss.get_ylabel() != label:
            self.ax_loss.set_ylabel(label)
            self.static.invalidate()
        self.over_loss.set_title(f"loss ({tr.optimizer.name})", fontsize=10)

    def _lr_strip_legend(self):
        """Legend of the step-size strip; it changes only with the optimizer and the surface."""
        name = self.controls["optimizer"].value
        s = self.surface
        c = PATH_COLOR
        handles = []
        if isinstance(s, QuadraticBowl) and name in RATE_THEORY:
            handles.append(Line2D([], [], color="black", lw=1.4, label="predicted rate"))
            if name != "Nesterov":
                handles.append(Line2D([], [], color=LIMIT_COLOR, lw=1.6,
                                      label=r"limit $(2+2\gamma)/L$" if name == "Momentum" else r"limit $2/L$"))
                handles.append(Line2D([], [], color=OPTIMAL_COLOR, lw=1.6, ls="--",
                                      label="optimal (with optimal γ)" if name == "Momentum" else r"optimal $2/(\mu+L)$"))
            self.ax_lr.set_ylabel("rate per step")
            self.ax_lr.set_yticks([0, 1])
            self._rate_one.set_visible(True)
        else:
            if name in RATE_THEORY:
                handles.append(Line2D([], [], color=LIMIT_COLOR, lw=1.6, label=r"local limit $2/\lambda_{max}$ at start"))
            self.ax_lr.set_ylabel("")
            self.ax_lr.set_yticks([])  # no rate to read off here: only where α sits
            self._rate_one.set_visible(False)
        handles.append(Line2D([], [], color=c, lw=2.5, label="your α"))
        self.ax_lr.legend(handles=handles, fontsize=7, loc="lower left", framealpha=0.85)
        self.static.invalidate()

    def _update_lr_strip(self):
        c = self.controls
        name, lr, gamma = c["optimizer"].value, c["lr"].value, c["momentum"].value
        s = self.surface
        self.lr_line.set_xdata([lr, lr])
        if isinstance(s, QuadraticBowl) and name in RATE_THEORY:
            lrs = np.geomspace(10 ** LR_RANGE[0], 10 ** LR_RANGE[1], 200)
            args = (gamma,) if name in MOMENTUM_METHODS else ()
            self.rate_curve.set_data(lrs, np.minimum(RATE_THEORY[name](s, lrs, *args), 1.6))
            self.lr_dot.set_data([lr], [min(float(RATE_THEORY[name](s, lr, *args)), 1.6)])
            limit = quadratic.momentum_lr_limit(s, gamma) if name == "Momentum" else quadratic.lr_limit(s)
            optimal = quadratic.optimal_momentum(s)[0] if name == "Momentum" else quadratic.optimal_lr(s)
            self.limit_line.set_xdata([limit, limit])
            self.optimal_line.set_xdata([optimal, optimal])
            self.limit_line.set_visible(name != "Nesterov")
            self.optimal_line.set_visible(name != "Nesterov")
            title = "theory on this bowl (constant α)"
        else:
            self.rate_curve.set_data([], [])
            self.lr_dot.set_data([], [])
            self.optimal_line.set_visible(False)
            local = quadratic.local_lr_limit(s, np.array([c["x0"].value, c["y0"].value]))
            self.limit_line.set_visible(bool(np.isfinite(local)) and name in RATE_THEORY)
            if np.isfinite(local):
                self.limit_line.set_xdata([local, local])
            title = "step size: " + ("no closed-form rate here" if name in RATE_THEORY
                                     else f"{name} rescales α per coordinate")
        self.over_lr.set_title(title, fontsize=9)

    def _readout(self) -> str:
        tr, c = self.trajectory, self.controls
        name = c["optimizer"].value
        title = f"{name}, α = {_format.num(c['lr'].value)}" + (f", decay {c['decay'].value:g}" if c["decay"].value else "")
        if name in MOMENTUM_METHODS:
            title += f", γ = {c['momentum'].value:g}"
        self.over_path.set_title(f"{title} on {self.surface.name}", fontsize=10)
        if tr.diverged:
            return (f"<b style='color:#b00'>⚠ diverged at step {int(tr.diverged_at)}</b>: the path left the plot "
                    f"window far behind. Try a smaller step size.")
        has_min = len(self.surface.minima) > 0
        parts = [f"final loss − J* = {_format.num(float(tr.gap()[-1]))}" if has_min else f"final loss = {_format.num(float(tr.final_loss))}"]
        if has_min:
            k = int(tr.steps_to(self.tol))
            parts.append(f"reached {self.tol:g} at step {k}" if k >= 0 else f"not within {self.tol:g} after {tr.steps} steps")
        if has_min and tr.steps >= 10:
            text = f"rate per step: measured {float(tr.rate()):.3f}"
            if isinstance(self.surface, QuadraticBowl) and name in RATE_THEORY and c["decay"].value == 0:
                args = (c["momentum"].value,) if name in MOMENTUM_METHODS else ()
                text += f", predicted {float(RATE_THEORY[name](self.surface, c['lr'].value, *args)):.3f}"
            parts.append(text)
        return " · ".join(parts)

    def _on_click(self, event):
        """A click on the contour plot moves the start point there (unless zoom/pan is active)."""
        toolbar = getattr(self.figure.canvas, "toolbar", None)
        if event.inaxes is not self.over_path or event.button != 1 or (toolbar is not None and getattr(toolbar, "mode", "")):
            return
        self._suspended = True
        try:
            self.controls["x0"].value = float(event.xdata)
            self.controls["y0"].value = float(event.ydata)
        finally:
            self._suspended = False
        self.update()

    def _describe(self) -> str:
        return f"Explorer: {self.controls['optimizer'].value} on {self.surface.name} ({self.readout.value})"


def explore(surface="bowl", optimizer="GD", **initial) -> Explorer:
    """An interactive explorer of one optimizer on one surface; see :class:`Explorer`.

    ``initial`` sets the controls' first values: lr, decay, momentum, steps, start, noise, seed, tol.
    """
    return Explorer(surface, optimizer, **initial)


__all__ = ["Explorer", "explore", "LR_RANGE", "MOMENTUM_METHODS"]
