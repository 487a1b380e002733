"""Interactive widgets for the notebook on stochastic gradients (08).

:func:`explore_sgd` returns an :class:`SGDExplorer`: minibatch SGD on the data-defined least-squares bowl,
several independent runs at once, the predicted noise ball, the mean loss with its predicted floor, and the
data with the line of the current iterate. Sliders: step size alpha, batch size, decay (alpha_t =
alpha / (1 + decay t)), steps, runs; a Play button animates the iterations. The figure is made once and
updated in place.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import _format
from ..analysis.stochastic import noise_ellipse, sgd_stationary
from ..engine import run
from ..optim.rules import GD
from ..optim.schedules import inverse_time
from ..problems.least_squares import LeastSquares
from ..viz.contours import plot_surface
from ..viz.figure import StaticLayer, new_figure, overlay_axes
from ..viz.paths import last_finite_point
from ..viz.style import LIMIT_COLOR, PATH_COLORS
from .figure import LiveFigure, link_play

SGD_LR_RANGE = (-3.0, 0.0)  # log10 of the step-size slider's ends: 0.001 ... 1
BATCH_SIZES = (1, 2, 5, 10, 20, 50, 100, 200)
MAX_RUNS = 8


class SGDExplorer(LiveFigure):
    """Minibatch SGD on a least-squares bowl, live. ``controls``: 'lr', 'batch_size', 'decay', 'steps', 'runs',
    'iteration', 'play'. ``trajectory`` holds the current runs (points (steps + 1, runs, 2)), ``reference``
    the full-batch GD run with the same step sizes; ``readout`` the text line under the figure."""

    def __init__(self, data, *, lr=0.1, batch_size=10, decay=0.0, steps=300, runs=5, seed=0,
                 figsize=(9.6, 4.8)):
        if not isinstance(data, LeastSquares):
            raise TypeError(f"data must be a stepviz LeastSquares surface, e.g. LeastSquares.synthetic(); got {data!r}")
        self.data, self.seed = data, seed
        sizes = tuple(b for b in BATCH_SIZES if b < data.n) + (data.n,)
        if batch_size not in sizes:
            raise ValueError(f"batch_size must be one of {sizes}; got {batch_size!r}")
        self.trajectory = self.reference = None
        self._suspended = False
        style = {"description_width": "90px"}
        wide = widgets.Layout(width="330px")
        c = self.controls = {
            "lr": widgets.FloatLogSlider(value=lr, base=10, min=SGD_LR_RANGE[0], max=SGD_LR_RANGE[1], step=0.01,
                                         description="step size α", readout_format=".3g", style=style, layout=wide),
            "batch_size": widgets.SelectionSlider(options=list(sizes), value=batch_size, description="batch size",
                                                  style=style, layout=wide),
            "decay": widgets.FloatSlider(value=decay, min=0.0, max=0.2, step=0.005, description="decay",
                                         readout_format=".3f", style=style, layout=wide),
            "steps": widgets.IntSlider(value=steps, min=10, max=2000, step=10, description="steps", style=style,
                                       layout=wide),
            "runs": widgets.IntSlider(value=runs, min=1, max=MAX_RUNS, description="runs", style=style, layout=wide),
            "iteration": widgets.IntSlider(value=steps, min=0, max=steps, description="iteration", style=style,
                                           layout=widgets.Layout(width="420px")),
            "play": widgets.Play(value=steps, min=0, max=steps, interval=50, description="play", show_repeat=False),
        }
        c["lr"].add_class("stepviz-lr")
        link_play(c["play"], c["iteration"])

        view = self._figure_view(new_figure(figsize))
        self._build_figure()
        self.readout = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        left = widgets.VBox([c["lr"], c["batch_size"], c["decay"]])
        right = widgets.VBox([c["steps"], c["runs"], widgets.HBox([c["play"], c["iteration"]])])
        super().__init__([view, widgets.HBox([left, right]), self.readout])
        self.add_class("stepviz-explorer")
        for name in ("lr", "batch_size", "decay", "steps", "runs"):
            c[name].observe(self._on_change, names="value")
        c["iteration"].observe(self._on_iteration, names="value")
        self.update()

    # --- figure -----------------------------------------------------------------------------------
    def _build_figure(self):
        fig, data = self.figure, self.data
        gs = fig.add_gridspec(2, 2, width_ratios=(1.1, 1.0), height_ratios=(1.0, 1.0))
        self.ax_path = fig.add_subplot(gs[:, 0])
        self.ax_loss = fig.add_subplot(gs[0, 1])
        self.ax_data = fig.add_subplot(gs[1, 1])
        plot_surface(data, self.ax_path)
        self.ax_path.set_xlabel("slope a")
        self.ax_path.set_ylabel("intercept b")
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_xlabel("iteration k")
        self.ax_loss.set_ylabel(r"$J(\theta_k) - J^*$")
        self.ax_loss.grid(True, alpha=0.3)
        gap0 = float(data.value(data.start) - data.f_min)
        self.ax_loss.set_ylim(max(gap0, 1e-3) * 1e-6, max(gap0, 1e-3) * 10)
        self.ax_data.scatter(data.x, data.y, s=6, color="gray", alpha=0.5, label="data")
        xs = np.array([data.x.min(), data.x.max()])
        self.ax_data.plot(xs, data.p_star[0] * xs + data.p_star[1], "k--", lw=1, label="best fit θ*")
        self.ax_data.set_xlabel("x")
        self.ax_data.set_ylabel("y")
        for ax in (self.ax_path, self.ax_loss, self.ax_data):
            ax.set_title(" ", fontsize=10)
        # legend handles drawn on the static axes (the overlay artists are not on them)
        c0 = PATH_COLORS[0]
        self.ax_path.plot([], [], "-", color=c0, lw=1, label="SGD runs")
        self.ax_path.plot([], [], "-", color="black", lw=1.4, alpha=0.6, label="full-batch GD")
        self.ax_path.plot([], [], "--", color="black", lw=1.6, label="predicted noise ball (2σ)")
        self.ax_path.legend(loc="upper right", fontsize=8, framealpha=0.85)
        self.ax_loss.plot([], [], color=c0, lw=1.6, label="SGD (mean of runs)")
        self.ax_loss.plot([], [], color="black", lw=1.2, alpha=0.6, label="full-batch GD")
        self.ax_loss.plot([], [], color="gray", ls="--", lw=1, label="predicted floor")
        self.ax_loss.legend(loc="upper right", fontsize=7, framealpha=0.85)
        self.ax_data.plot([], [], color=c0, lw=1.6, label="run 1 at iteration k")
        self.ax_data.legend(loc="upper left", fontsize=7, framealpha=0.85)
        fig.get_layout_engine().execute(fig)
        fig.set_layout_engine("none")
        self.static = StaticLayer([self.ax_path, self.ax_loss, self.ax_data])
        fig.add_artist(self.static)
        self.over_path, self.over_loss, self.over_data = (overlay_axes(ax) for ax in
                                                          (self.ax_path, self.ax_loss, self.ax_data))
        op = self.over_path
        self.path_lines = [op.plot([], [], "-", color=PATH_COLORS[i], lw=1.0, alpha=0.85, zorder=6)[0]
                           for i in range(MAX_RUNS)]
        (self.end_markers,) = op.plot([], [], "o", color="white", mec="black", ms=5, zorder=8, ls="none")
        (self.diverged_markers,) = op.plot([], [], "X", color=LIMIT_COLOR, mec="black", ms=11, zorder=8, ls="none",
                                           clip_on=False)
        (self.gd_line,) = op.plot([], [], "-", color="black", lw=1.4, alpha=0.6, zorder=5)
        (self.ellipse,) = op.plot([], [], "--", color="black", lw=1.6, zorder=7)
        (self.start_marker,) = op.plot([], [], "o", color="white", mec="black", ms=8, zorder=9)
        self.status_text = op.text(0.02, 0.02, "", transform=op.transAxes, fontsize=9, zorder=9,
                                   bbox=dict(boxstyle="round", fc="white", alpha=0.85))
        (self.loss_line,) = self.over_loss.plot([], [], color=PATH_COLORS[0], lw=1.6)
        (self.gd_loss_line,) = self.over_loss.plot([], [], color="black", lw=1.2, alpha=0.6)
        self.floor_line = self.over_loss.axhline(1.0, color="gray", ls="--", lw=1)
        self.iteration_line = self.over_loss.axvline(0, color="gray", lw=1, ls=":")
        (self.fit_line,) = self.over_data.plot([], [], color=PATH_COLORS[0], lw=1.6)

    # --- updates ----------------------------------------------------------------------------------
    def schedule(self):
        """The step size the controls describe: alpha, or alpha / (1 + decay t)."""
        c = self.controls
        return c["lr"].value if c["decay"].value == 0 else inverse_time(c["lr"].value, c["decay"].value)

    def _on_change(self, change):
        if not self._suspended:
            self.update()

    def update(self):
        """Recompute the runs from the controls and update every artist in place."""
        c, data = self.controls, self.data
        steps, runs = c["steps"].value, c["runs"].value
        lr = self.schedule()
        self.trajectory = run(GD(lr), data, start=np.broadcast_to(data.start, (runs, 2)), steps=steps,
                              batch_size=c["batch_size"].value, seed=self.seed)
        self.reference = run(GD(lr), data, steps=steps)
        self._show_whole_run(steps)
        if self.ax_loss.get_xlim() != (0, steps):
            self.ax_loss.set_xlim(0, steps)
        with np.errstate(all="ignore"):
            mean_gap = np.where(self.trajectory.diverged.any(), np.nan, self.trajectory.gap().mean(axis=1))
            gd_gap = self.reference.gap()
        k = np.arange(steps + 1)
        self.loss_line.set_data(k, np.where(mean_gap > 0, mean_gap, np.nan))
        self.gd_loss_line.set_data(k, np.where(gd_gap > 0, gd_gap, np.nan))
        C, floor = sgd_stationary(data, c["lr"].value, c["batch_size"].value)
        self.floor_line.set_ydata([floor, floor] if np.isfinite(floor) else [np.nan, np.nan])
        ell = noise_ellipse(C, data.p_star)
        self.ellipse.set_data(ell[:, 0], ell[:, 1])
        self.gd_line.set_data(self.reference.points[:, 0], self.reference.points[:, 1])
        self.start_marker.set_data([data.start[0]], [data.start[1]])
        self.over_loss.set_title(f"loss ({runs} run{'s' if runs > 1 else ''})", fontsize=10)
        self.over_path.set_title(f"SGD, α = {_format.num(c['lr'].value)}" +
                                 (f"/(1 + {c['decay'].value:g} t)" if c["decay"].value else "") +
                                 f", batch {c['batch_size'].value}", fontsize=10)
        self.over_data.set_title("the data and the fitted line", fontsize=10)
        self._show_iteration(c["iteration"].value)
        self.readout.value = self._readout(floor)
        self.redraw()

    def _show_iteration(self, k):
        tr, data = self.trajectory, self.data
        k = int(min(k, tr.steps))
        runs = tr.points.shape[1]
        ends, gone = [], []
        for i, line in enumerate(self.path_lines):
            if i < runs:
                pts = tr.points[: k + 1, i]
                if tr.diverged_at[i] >= 0:  # draw a diverged run only until it leaves the window
                    (x0, x1), (y0, y1) = data.bounds
                    with np.errstate(invalid="ignore"):
                        out = ~((pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1))
                    pts = pts[: int(np.argmax(out)) + 1] if out.any() else pts
                line.set_data(pts[:, 0], pts[:, 1])
                end = last_finite_point(pts, data)
                (gone if 0 <= tr.diverged_at[i] <= k else ends).append(end)
            else:
                line.set_data([], [])
        for artist, pts in ((self.end_markers, ends), (self.diverged_markers, gone)):
            pts = np.array(pts).reshape(-1, 2)
            artist.set_data(pts[:, 0], pts[:, 1])
        p = tr.points[k, 0]
        xs = np.array([data.x.min(), data.x.max()])
        self.fit_line.set_data(xs, p[0] * xs + p[1] if np.isfinite(p).all() else [np.nan, np.nan])
        div = tr.diverged_at[(tr.diverged_at >= 0) & (tr.diverged_at <= k)]
        self.status_text.set_text(f"iteration {k}" + (f" · {len(div)} run(s) diverged, first at step {div.min()}"
                                                       if len(div) else ""))
        self.iteration_line.set_xdata([k, k])

    def _readout(self, floor) -> str:
        tr, c = self.trajectory, self.controls
        if tr.diverged.any():
            first = int(tr.diverged_at[tr.diverged].min())
            return (f"<b style='color:#b00'>⚠ diverged at step {first}</b> ({int(tr.diverged.sum())} of "
                    f"{tr.diverged.size} runs): the step size is too large for this batch size. Try a smaller α "
                    f"or a bigger batch.")
        half = tr.gap()[tr.steps // 2:].mean()
        parts = [f"mean J − J* over the second half: {_format.num(float(half))}"]
        if np.isfinite(floor):
            parts.append(f"predicted floor for constant α = {_format.num(c['lr'].value)}: {_format.num(floor)}")
        if c["decay"].value:
            parts.append(f"α at the last step: {_format.num(float(tr.lrs[-1, 0]))}")
        return " · ".join(parts)

    def _describe(self) -> str:
        return f"SGDExplorer ({self.readout.value})"


def explore_sgd(data, **initial) -> SGDExplorer:
    """Minibatch SGD on the least-squares bowl of ``data`` (a LeastSquares), live; see :class:`SGDExplorer`.
    ``initial``: lr, batch_size, decay, steps, runs, seed."""
    return SGDExplorer(data, **initial)


__all__ = ["SGDExplorer", "explore_sgd", "SGD_LR_RANGE", "BATCH_SIZES"]
