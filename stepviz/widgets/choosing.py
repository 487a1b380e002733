"""Live explorers for the notebooks on choosing a step size (03 curved valleys and saddles, 05 schedules).

Each is an ipywidgets VBox (class ``stepviz-explorer``) holding one figure made once, a log-scale step-size
slider (class ``stepviz-lr``), a Play button and an iteration slider; a control change re-runs the
optimizer and updates the artists in place.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D

from .. import plotting
from ..optimizers import GD
from ..run import Trajectory, run
from ..schedules import constant, cosine, exponential, inverse_time, step_decay
from ..surfaces import Saddle, get_surface
from .explorer import LiveFigure, PATH_COLOR, link_play

STYLE = {"description_width": "110px"}
WIDE = dict(width="360px")
GHOST = "#7f7f7f"


def _fmt(x) -> str:
    return f"{x:.3g}"


class _LiveExplorer(LiveFigure):
    """Shared plumbing: figure, step-size slider, Play + iteration slider, PNG fallback without ipympl."""

    def __init__(self, lr, lr_range, steps, max_steps, figsize, extra_controls):
        self._suspended = False
        self.trajectory: Trajectory | None = None
        c = {"lr": widgets.FloatLogSlider(value=lr, base=10, min=lr_range[0], max=lr_range[1], step=0.01,
                                          description="step size α", readout_format=".3g", style=STYLE,
                                          layout=widgets.Layout(**WIDE))}
        c.update(extra_controls)
        c["steps"] = widgets.IntSlider(value=steps, min=1, max=max_steps, description="steps", style=STYLE,
                                       layout=widgets.Layout(**WIDE))
        c["iteration"] = widgets.IntSlider(value=steps, min=0, max=steps, description="iteration", style=STYLE,
                                           layout=widgets.Layout(width="420px"))
        c["play"] = widgets.Play(value=steps, min=0, max=steps, interval=60, description="play", show_repeat=False)
        c["lr"].add_class("stepviz-lr")
        link_play(c["play"], c["iteration"])
        self.controls = c
        view = self._figure_view(plotting.new_figure(figsize))
        self._build_figure()
        self.readout = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        names = [n for n in c if n not in ("play", "iteration")]
        half = (len(names) + 1) // 2
        left = widgets.VBox([c[n] for n in names[:half]])
        right = widgets.VBox([c[n] for n in names[half:]] + [widgets.HBox([c["play"], c["iteration"]])])
        super().__init__([view, widgets.HBox([left, right]), self.readout])
        self.add_class("stepviz-explorer")
        for n in names:
            c[n].observe(self._on_change, names="value")
        c["iteration"].observe(self._on_iteration, names="value")
        self._sync_enabled()
        self.update()

    # The figure follows explorer.Explorer: static axes (frames, ticks, labels, contours, legends) are laid out
    # once and rendered from a pixel cache (plotting.StaticLayer); what moves lives on transparent overlay
    # axes on top of them. A full matplotlib draw of these figures costs 250-900 ms, the cached one a tenth.
    def _build_figure(self):
        self._build_static()
        steps = self.controls["steps"].value
        for ax in self._static_axes[1:]:  # iteration axes: lay out with realistic tick labels
            ax.set_xlim(0, max(steps, 1))
        engine = self.figure.get_layout_engine()
        engine.set(rect=(0, 0, 0.985, 1))  # room for the last x tick label, which may grow with 'steps'
        engine.execute(self.figure)
        self.figure.set_layout_engine("none")
        self.static = plotting.StaticLayer(self._static_axes)
        self.figure.add_artist(self.static)
        self.over = {ax: plotting.overlay_axes(ax) for ax in self._static_axes}
        self._build_moving()
        self.static.invalidate()

    def _legend(self, ax, moving=(), **kw):
        """A legend on static axes ``ax``: its own labelled artists plus proxies of moving ``artists``."""
        handles = ax.get_legend_handles_labels()[0]
        for a in moving:
            handles.append(Line2D([], [], color=a.get_color(), ls=a.get_linestyle(), lw=a.get_linewidth(),
                                  marker=a.get_marker(), ms=a.get_markersize(), mec=a.get_markeredgecolor(),
                                  mfc=a.get_markerfacecolor(), mew=a.get_markeredgewidth(), label=a.get_label()))
        kw = {"fontsize": 8, "framealpha": 0.85, **kw}
        return ax.legend(handles=handles, **kw)

    # subclasses fill these in
    def _build_static(self):
        """Static axes and their content; set ``self._static_axes``."""
        raise NotImplementedError

    def _build_moving(self):
        """Artists that change, on the overlay axes ``self.over[static_ax]``; then the legends."""
        raise NotImplementedError

    def _compute(self) -> Trajectory:
        raise NotImplementedError

    def _update_static(self):
        """Artists that depend on the run, not on the iteration shown."""

    def _show_iteration(self, k):
        """Artists that follow the iteration slider."""

    def _readout(self) -> str:
        return ""

    def _sync_enabled(self):
        pass

    # plumbing
    def _on_change(self, change):
        if self._suspended:
            return
        self._sync_enabled()
        self.update()

    def update(self):
        """Recompute the run from the controls and update every artist in place."""
        c = self.controls
        self.trajectory = self._compute()
        steps = c["steps"].value
        self._show_whole_run(steps)
        self._update_static()
        self._show_iteration(min(c["iteration"].value, steps))
        self.readout.value = self._readout()
        self.redraw()

    def _describe(self):
        return f"{type(self).__name__} ({self.readout.value})"

    # helpers for subclasses
    def _path_artists(self, ax):
        (self.path_line,) = ax.plot([], [], "-", color=PATH_COLOR, lw=1.6, marker=".", ms=3, zorder=6, label="path")
        (self.start_marker,) = ax.plot([], [], "o", color=PATH_COLOR, mec="black", ms=8, zorder=7, label="start")
        (self.current_marker,) = ax.plot([], [], "o", color="white", mec=PATH_COLOR, mew=2, ms=7, zorder=8,
                                         label="iteration k")
        self._path_legend = [self.path_line, self.start_marker, self.current_marker]
        (self.diverged_marker,) = ax.plot([], [], "X", color=PATH_COLOR, mec="black", ms=12, zorder=8, clip_on=False)
        self.status_text = ax.text(0.02, 0.02, "", transform=ax.transAxes, fontsize=9, zorder=9,
                                   bbox=dict(boxstyle="round", fc="white", alpha=0.85))

    def _move_path(self, pts, k):
        tr = self.trajectory
        pts = pts[: k + 1]
        self.path_line.set_data(pts[:, 0], pts[:, 1])
        self.start_marker.set_data([pts[0, 0]], [pts[0, 1]])
        end = plotting.last_finite_point(pts, tr.surface)
        gone = bool(tr.diverged) and 0 <= int(tr.diverged_at) <= k
        self.current_marker.set_data(*(([], []) if gone else ([end[0]], [end[1]])))
        self.diverged_marker.set_data(*(([end[0]], [end[1]]) if gone else ([], [])))
        self.status_text.set_text(f"iteration {k}" + (f" · diverged at step {int(tr.diverged_at)}" if gone else ""))

    def _diverged_readout(self):
        return (f"<b style='color:#b00'>⚠ diverged at step {int(self.trajectory.diverged_at)}</b>: "
                "the path left the window. Try a smaller step size.")


# --- 03: the local limit along a curved valley -----------------------------------------------------

class LocalLimitExplorer(_LiveExplorer):
    """GD on a curved surface (default: Rosenbrock): the path, and next to it the local limit
    2 / lambda_max(H(theta_k)) along the path against the step size alpha.

    ``controls``: 'lr', 'steps', 'iteration', 'play'. ``trajectory`` is the current run, ``limits`` the
    local limits along it.
    """

    def __init__(self, surface="rosenbrock", *, lr=1e-3, steps=1000, start=None, lr_range=(-4.0, -1.5),
                 max_steps=5000, figsize=(9.6, 4.2)):
        self.surface = get_surface(surface)
        self.start = self.surface.start if start is None else np.asarray(start, dtype=float)
        self.lr_range = lr_range
        super().__init__(lr, lr_range, steps, max_steps, figsize, {})

    def _build_static(self):
        ax_path, ax_lim = self.figure.subplots(1, 2, width_ratios=(1.0, 1.15))
        self.ax_path, self.ax_lim = ax_path, ax_lim
        self._static_axes = [ax_path, ax_lim]
        plotting.plot_surface(self.surface, ax_path)
        ax_path.set_title(" ", fontsize=10)  # room for the overlay's title, which changes
        ax_lim.set_yscale("log")
        ax_lim.set_ylim(10 ** self.lr_range[0], 10 ** self.lr_range[1])
        ax_lim.set_xlabel("iteration k")
        ax_lim.set_ylabel("step size")
        ax_lim.set_title("local limit along the path", fontsize=10)
        ax_lim.grid(True, which="major", alpha=0.3)

    def _build_moving(self):
        self._path_artists(self.over[self.ax_path])
        ov = self.over[self.ax_lim]
        (self.limit_line,) = ov.plot([], [], color=plotting.choosing.LIMIT_COLOR, lw=1.6,
                                     label=r"local limit $2/\lambda_{max}(H(\theta_k))$")
        (self.alpha_line,) = ov.plot([], [], color="black", ls="--", lw=1.4, label=r"your step size $\alpha$")
        (self.over_markers,) = ov.plot([], [], "v", color=PATH_COLOR, ms=4, ls="none",
                                       label=r"$\alpha$ above the local limit")
        self.iteration_line = ov.axvline(0, color="gray", lw=1, ls=":")
        self._legend(self.ax_path, self._path_legend, loc="upper right")
        self._legend(self.ax_lim, [self.limit_line, self.alpha_line, self.over_markers], loc="upper right")

    def _compute(self):
        c = self.controls
        tr = run(GD(lr=c["lr"].value), self.surface, self.start, c["steps"].value)
        self.limits = plotting.local_limits(tr)
        return tr

    def _update_static(self):
        tr, lr = self.trajectory, self.controls["lr"].value
        k = np.arange(tr.steps + 1)
        self.limit_line.set_data(k, np.where(np.isfinite(self.limits), self.limits, np.nan))
        self.alpha_line.set_data([0, tr.steps], [lr, lr])
        with np.errstate(invalid="ignore"):
            over = lr > self.limits
        self.over_markers.set_data(k[over], np.full(int(over.sum()), lr))
        self.ax_lim.set_xlim(0, max(tr.steps, 1))
        self.over[self.ax_path].set_title(f"GD, α = {_fmt(lr)} on {self.surface.name}", fontsize=10)

    def _show_iteration(self, k):
        self._move_path(self.trajectory.points, k)
        self.iteration_line.set_xdata([k, k])

    def _readout(self):
        tr, lr = self.trajectory, self.controls["lr"].value
        if tr.diverged:
            return self._diverged_readout()
        k = self.controls["iteration"].value
        lim = self.limits[min(k, tr.steps)]
        over = int(np.sum(lr > self.limits[np.isfinite(self.limits)]))
        return (f"final loss − J* = {_fmt(float(tr.gap()[-1]))} · local limit at the end: {_fmt(lim)} · "
                f"α above the local limit at {over} of {tr.steps + 1} iterates")


def local_limit_explorer(surface="rosenbrock", **initial) -> LocalLimitExplorer:
    """A :class:`LocalLimitExplorer`: GD on a curved valley, with the local limit 2/lambda_max along the path."""
    return LocalLimitExplorer(surface, **initial)


# --- 03: escaping a saddle -------------------------------------------------------------------------

class SaddleExplorer(_LiveExplorer):
    """GD on the saddle f = x^2/2 - y^2/2 + quartic y^4 from (1.8, offset): the path, and |theta_2| against
    the iteration with the linear prediction offset (1 + alpha)^k and the escape threshold.

    ``controls``: 'lr', 'offset' (start theta_2, log scale), 'on_line' (start exactly at theta_2 = 0),
    'steps', 'iteration', 'play'.
    """

    def __init__(self, *, lr=0.1, offset=1e-3, on_line=False, steps=100, quartic=0.25, x0=1.8, threshold=0.5,
                 figsize=(9.6, 4.2)):
        self.surface = Saddle(quartic)
        self.x0, self.threshold = float(x0), float(threshold)
        extra = {
            "offset": widgets.FloatLogSlider(value=offset, base=10, min=-8, max=-0.5, step=0.1,
                                             description="start θ₂", readout_format=".1e", style=STYLE,
                                             layout=widgets.Layout(**WIDE)),
            "on_line": widgets.Checkbox(value=on_line, description="start exactly on the stable line (θ₂ = 0)",
                                        indent=False, layout=widgets.Layout(**WIDE)),
        }
        super().__init__(lr, (-3.0, 0.3), steps, 1000, figsize, extra)

    def _sync_enabled(self):
        self.controls["offset"].disabled = self.controls["on_line"].value

    @property
    def start(self):
        c = self.controls
        return np.array([self.x0, 0.0 if c["on_line"].value else c["offset"].value])

    def _build_static(self):
        ax_path, ax_y = self.figure.subplots(1, 2, width_ratios=(1.0, 1.15))
        self.ax_path, self.ax_y = ax_path, ax_y
        self._static_axes = [ax_path, ax_y]
        plotting.plot_surface(self.surface, ax_path)
        ax_path.set_title(" ", fontsize=10)
        ax_y.axhline(self.threshold, color="gray", ls=":", lw=1.2, label=rf"escaped: $|\theta_2| = {self.threshold:g}$")
        ax_y.set_yscale("log")
        ax_y.set_ylim(1e-9, 5)
        ax_y.set_xlabel("iteration k")
        ax_y.set_ylabel(r"$|\theta_2|$ (distance from the stable line)")
        ax_y.set_title("escape from the saddle", fontsize=10)
        ax_y.grid(True, which="major", alpha=0.3)

    def _build_moving(self):
        self._path_artists(self.over[self.ax_path])
        ov = self.over[self.ax_y]
        (self.y_line,) = ov.plot([], [], color=PATH_COLOR, lw=1.8, label=r"$|\theta_2|$ (GD)")
        (self.prediction_line,) = ov.plot([], [], color="black", ls="--", lw=1.2,
                                          label=r"linear prediction $|\theta_2^0|(1+\alpha)^k$")
        (self.current_y,) = ov.plot([], [], "o", color="white", mec=PATH_COLOR, mew=2, ms=7)
        self._legend(self.ax_path, self._path_legend, loc="upper right")
        self._legend(self.ax_y, [self.y_line, self.prediction_line], loc="lower right")

    def _compute(self):
        c = self.controls
        return run(GD(lr=c["lr"].value), self.surface, self.start, c["steps"].value)

    def _shown_y(self):
        y = np.abs(self.trajectory.points[:, 1])
        return np.where(y > 1e-12, y, 1e-12)  # exactly 0 (on the stable line) drawn along the floor

    def _update_static(self):
        tr, lr = self.trajectory, self.controls["lr"].value
        k = np.arange(tr.steps + 1)
        self.y_line.set_data(k, self._shown_y())
        y0 = abs(self.start[1])
        with np.errstate(all="ignore"):
            pred = y0 * (1 + lr) ** k
        self.prediction_line.set_data(k, np.where((pred > 0) & (pred < 10), pred, np.nan))
        self.ax_y.set_xlim(0, max(tr.steps, 1))
        self.over[self.ax_path].set_title(f"GD, α = {_fmt(lr)}, start θ₂ = {self.start[1]:.1e}", fontsize=10)

    def _show_iteration(self, k):
        self._move_path(self.trajectory.points, k)
        self.current_y.set_data([k], [self._shown_y()[k]])

    def escape_step(self) -> int:
        """First iteration with |theta_2| >= threshold in the current run (-1 if never)."""
        with np.errstate(invalid="ignore"):
            hit = np.abs(self.trajectory.points[:, 1]) >= self.threshold
        return int(np.argmax(hit)) if hit.any() else -1

    def _readout(self):
        tr, lr = self.trajectory, self.controls["lr"].value
        if tr.diverged:
            return self._diverged_readout()
        y0 = abs(self.start[1])
        k = self.escape_step()
        pred = float(plotting.escape_steps(lr, y0, self.threshold))
        if y0 == 0:
            return (f"never escapes: on the stable line the gradient has no θ₂ part, so GD slides into the saddle "
                    f"point (final loss {_fmt(float(tr.final_loss))}, saddle value 0)")
        text = f"escaped at step {k}" if k >= 0 else f"not escaped after {tr.steps} steps"
        return f"{text} · linear prediction log({self.threshold:g}/|θ₂⁰|) / log(1 + α) = {pred:.1f} steps"


def saddle_explorer(**initial) -> SaddleExplorer:
    """A :class:`SaddleExplorer`: GD near a saddle point, with the escape speed against the step size."""
    return SaddleExplorer(**initial)


# --- 05: schedules ---------------------------------------------------------------------------------

SCHEDULE_KINDS = ("constant", "inverse_time", "step_decay", "exponential", "cosine")


def schedule_from(kind: str, lr: float, decay: float, steps: int):
    """The schedule the :class:`ScheduleExplorer` uses for one ``decay`` slider:

    - 'constant': alpha_t = lr;  'inverse_time': lr / (1 + decay t);
    - 'exponential': lr exp(-decay t) (gamma = exp(-decay); the same slope at t = 0 as 1/t);
    - 'step_decay': halve every round(ln 2 / decay) steps (the half-life of 'exponential');
    - 'cosine': from lr down to 0 over ``steps`` steps (decay not used).
    decay = 0 gives a constant step for every kind but 'cosine'.
    """
    if kind not in SCHEDULE_KINDS:
        raise ValueError(f"unknown schedule {kind!r}; choose one of: {', '.join(SCHEDULE_KINDS)}")
    if kind == "cosine":
        return cosine(lr, total=max(int(steps), 1))
    if kind == "constant" or decay == 0:
        return constant(lr)
    if kind == "inverse_time":
        return inverse_time(lr, decay)
    if kind == "exponential":
        return exponential(lr, float(np.exp(-decay)))
    return step_decay(lr, 0.5, max(1, int(round(np.log(2) / decay))))


class ScheduleExplorer(_LiveExplorer):
    """GD with a step-size schedule: the path, the loss (with the constant step alpha0 in grey for
    reference) and alpha_t against t.

    ``controls``: 'schedule', 'lr' (alpha0), 'decay', 'noise' (gradient noise), 'steps', 'iteration', 'play'.
    ``trajectory`` is the scheduled run, ``reference`` the constant-step run with the same noise.
    """

    def __init__(self, surface="bowl", schedule="inverse_time", *, lr=0.1, decay=0.05, noise=0.0, steps=200,
                 seed=0, tol=1e-3, start=None, figsize=(9.6, 4.8)):
        self.surface = get_surface(surface)
        self.start = self.surface.start if start is None else np.asarray(start, dtype=float)
        self.seed, self.tol = seed, tol
        extra = {
            "schedule": widgets.Dropdown(options=list(SCHEDULE_KINDS), value=schedule, description="schedule",
                                         style=STYLE, layout=widgets.Layout(**WIDE)),
            "decay": widgets.FloatSlider(value=decay, min=0.0, max=0.3, step=0.001, description="decay",
                                         readout_format=".3f", style=STYLE, layout=widgets.Layout(**WIDE)),
            "noise": widgets.FloatSlider(value=noise, min=0.0, max=2.0, step=0.05, description="gradient noise",
                                         style=STYLE, layout=widgets.Layout(**WIDE)),
        }
        super().__init__(lr, (-3.0, 0.3), steps, 2000, figsize, extra)

    def _sync_enabled(self):
        self.controls["decay"].disabled = self.controls["schedule"].value in ("constant", "cosine")

    def schedule(self):
        c = self.controls
        return schedule_from(c["schedule"].value, c["lr"].value, c["decay"].value, c["steps"].value)

    def _build_static(self):
        fig = self.figure
        gs = fig.add_gridspec(2, 2, width_ratios=(1.0, 1.1), height_ratios=(1.5, 1.0))
        self.ax_path = fig.add_subplot(gs[:, 0])
        self.ax_loss = fig.add_subplot(gs[0, 1])
        self.ax_lr = fig.add_subplot(gs[1, 1])
        self._static_axes = [self.ax_path, self.ax_loss, self.ax_lr]
        plotting.plot_surface(self.surface, self.ax_path)
        self.ax_path.set_title(" ", fontsize=9)
        a = self.ax_loss
        a.axhline(self.tol, color="black", ls=":", lw=1, label=f"tolerance {self.tol:g}")
        a.set_yscale("log")
        a.set_xlabel("iteration k")
        a.set_ylabel(r"$J(\theta_k) - J^*$")
        a.set_title("loss", fontsize=10)
        a.grid(True, which="major", alpha=0.3)
        b = self.ax_lr
        b.set_xlabel("iteration t")
        b.set_ylabel(r"step size $\alpha_t$")
        b.set_title("schedule", fontsize=10)
        b.grid(True, alpha=0.3)

    def _build_moving(self):
        self._path_artists(self.over[self.ax_path])
        a = self.over[self.ax_loss]
        (self.reference_line,) = a.plot([], [], color=GHOST, lw=1.2, label=r"constant $\alpha_0$")
        (self.loss_line,) = a.plot([], [], color=PATH_COLOR, lw=1.8, label="schedule")
        self.loss_iteration = a.axvline(0, color="gray", lw=1, ls=":")
        b = self.over[self.ax_lr]
        (self.reference_lr,) = b.plot([], [], color=GHOST, lw=1.2, label=r"constant $\alpha_0$")
        (self.lr_line,) = b.plot([], [], color=PATH_COLOR, lw=1.8, label=r"$\alpha_t$")
        (self.lr_dot,) = b.plot([], [], "o", color=PATH_COLOR, mec="black", ms=6)
        self._legend(self.ax_path, self._path_legend, loc="upper right")
        self._legend(self.ax_loss, [self.reference_line, self.loss_line], fontsize=7, loc="lower left")
        self._legend(self.ax_lr, [self.reference_lr, self.lr_line], fontsize=7, loc="upper right")

    def _compute(self):
        c = self.controls
        noise, steps = c["noise"].value, c["steps"].value
        self.reference = run(GD(lr=c["lr"].value), self.surface, self.start, steps, noise=noise, seed=self.seed)
        return run(GD(lr=self.schedule()), self.surface, self.start, steps, noise=noise, seed=self.seed)

    def _update_static(self):
        tr, ref, c = self.trajectory, self.reference, self.controls
        k = np.arange(tr.steps + 1)
        gap, ref_gap = plotting.loss_gap(tr)[0], plotting.loss_gap(ref)[0]
        with np.errstate(invalid="ignore"):
            self.loss_line.set_data(k, np.where(gap > 0, gap, np.nan))
            self.reference_line.set_data(k, np.where(ref_gap > 0, ref_gap, np.nan))
        first = gap[0] if np.isfinite(gap[0]) and gap[0] > 0 else 1.0
        self.ax_loss.set_xlim(0, max(tr.steps, 1))
        self.ax_loss.set_ylim(first * 1e-8, first * 1e2)
        t = np.arange(tr.steps)
        self.lr_line.set_data(t, np.asarray(tr.lrs, dtype=float))
        self.reference_lr.set_data([0, max(tr.steps - 1, 1)], [c["lr"].value] * 2)
        self.ax_lr.set_xlim(0, max(tr.steps, 1))
        top, lr = self.ax_lr.get_ylim()[1], c["lr"].value
        if not lr * 1.05 <= top <= lr * 4:  # rescale rarely: a new limit re-renders the cached static axes
            self.ax_lr.set_ylim(0, lr * 1.6)
        self.over[self.ax_path].set_title(f"GD, {self.schedule()!r}", fontsize=9)

    def _show_iteration(self, k):
        self._move_path(self.trajectory.points, k)
        self.loss_iteration.set_xdata([k, k])
        t = min(k, self.trajectory.steps - 1)
        self.lr_dot.set_data(*(([t], [float(self.trajectory.lrs[t])]) if t >= 0 else ([], [])))

    def _readout(self):
        tr, ref = self.trajectory, self.reference
        if tr.diverged:
            return self._diverged_readout()

        noisy = self.controls["noise"].value > 0

        def describe(x):
            if x.diverged:
                return f"diverged at step {int(x.diverged_at)}"
            if noisy:  # one noisy loss value says little: average the last quarter of the run
                tail = x.gap()[-max(x.steps // 4, 1):]
                return f"mean loss − J* over the last {tail.size} steps {_fmt(float(np.mean(tail)))}"
            k = int(x.steps_to(self.tol))
            return (f"final loss − J* {_fmt(float(x.gap()[-1]))}, "
                    + (f"reached {self.tol:g} at step {k}" if k >= 0 else f"not within {self.tol:g}"))

        return f"schedule: {describe(tr)} · constant α₀: {describe(ref)}"


def schedule_explorer(surface="bowl", schedule="inverse_time", **initial) -> ScheduleExplorer:
    """A :class:`ScheduleExplorer`: GD with a step-size schedule, alpha_t plotted next to the path."""
    return ScheduleExplorer(surface, schedule, **initial)


__all__ = ["LocalLimitExplorer", "local_limit_explorer", "SaddleExplorer", "saddle_explorer", "SCHEDULE_KINDS",
           "schedule_from", "ScheduleExplorer", "schedule_explorer"]
