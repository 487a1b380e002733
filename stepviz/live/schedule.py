"""The schedule explorer (lesson 05): GD with a step-size schedule next to the constant step alpha_0."""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from .. import _format, _validate
from ..engine import run
from ..optim.rules import GD
from ..optim.schedules import SCHEDULE_KINDS, from_decay
from ..problems.surfaces import get_surface
from ..viz.contours import plot_surface
from ..viz.curves import loss_gap
from ..viz.style import GHOST_COLOR, PATH_COLOR
from .controls import (PlayButton, StepSizeSlider, dropdown, float_slider, int_slider, iteration_slider, log_stops,
                       option, play_seconds, scalar, whole)
from .figure import LiveFigure, set_limits, stop_count
from .marks import PT, path_legend, path_marks, status_texts, title_mark

LR_RANGE = (1e-3, 2.0)
MAX_STEPS = 2000


class ScheduleExplorer(LiveFigure):
    """GD with a step-size schedule: the path, the loss (the constant step alpha_0 in grey for reference)
    and alpha_t / alpha_0 against t (the schedule's shape; alpha_0 is the step-size slider).

    ``controls``: 'schedule', 'lr' (alpha_0, a StepSizeSlider), 'decay', 'noise' (gradient noise), 'steps',
    'iteration', 'play'. ``trajectory`` is the scheduled run shown, ``reference`` the constant-step run with
    the same noise. With noise, each step size of the sweep draws its own noise (the same for its scheduled
    and its constant run).
    """

    def __init__(self, surface="bowl", schedule="inverse_time", *, lr=0.1, decay=0.05, noise=0.0, steps=200,
                 seed=0, tol=1e-3, start=None):
        self.surface = get_surface(surface)
        schedule = option("schedule", schedule, SCHEDULE_KINDS)
        lr = scalar("lr", lr, *LR_RANGE, what="the step-size slider's range")
        decay = scalar("decay", decay, 0.0, 0.3)
        noise = scalar("noise", noise, 0.0, 2.0)
        steps = whole("steps", steps, 1, MAX_STEPS)
        self.seed = _validate.seed("seed", seed)
        self.tol = _validate.positive("tol", tol, example="1e-3")
        self.start = self.surface.start if start is None else _validate.points("start", start)
        iteration = iteration_slider(steps)
        controls = {
            "schedule": dropdown(SCHEDULE_KINDS, schedule, "schedule"),
            "lr": StepSizeSlider(lr, log_stops(*LR_RANGE, stop_count(self._floats(steps)), keep=lr)),
            "decay": float_slider(decay, 0.0, 0.3, 0.001, "decay", ".3f"),
            "noise": float_slider(noise, 0.0, 2.0, 0.05, "gradient noise"),
            "steps": int_slider(steps, 1, MAX_STEPS, "steps"),
            "iteration": iteration,
            "play": PlayButton(iteration, seconds=play_seconds(steps)),
        }
        controls["lr"].description = "step size α₀"
        controls["steps"].add_class("stepviz-steps")
        super().__init__(controls, [["schedule", "lr", "decay"], ["noise", "steps", ["play", "iteration"]]])

    @staticmethod
    def _floats(steps):
        return 4 * (steps + 1) + 1  # path (x, y), loss and the constant step's loss per iterate

    def _sync_enabled(self):
        self.controls["decay"].disabled = self.controls["schedule"].value in ("constant", "cosine")

    def schedule(self, lr=None):
        c = self.controls
        return from_decay(c["schedule"].value, c["lr"].value if lr is None else lr, c["decay"].value, c["steps"].value)

    def _build_figure(self):
        fig = self.figure
        gs = fig.add_gridspec(2, 2, width_ratios=(1.0, 1.1), height_ratios=(1.5, 1.0))
        self.ax_path = fig.add_subplot(gs[:, 0])
        self.ax_loss = fig.add_subplot(gs[0, 1])
        self.ax_lr = fig.add_subplot(gs[1, 1])
        plot_surface(self.surface, self.ax_path)
        self.ax_path.set_title(" ", fontsize=10)
        path_legend(self.ax_path, PATH_COLOR, loc="upper right")
        a = self.ax_loss
        a.axhline(self.tol, color="black", ls=":", lw=1)
        a.set_yscale("log")
        a.set_xlabel("iteration k", fontsize=9)
        a.set_ylabel(r"$J(\theta_k) - J^*$", fontsize=8)
        a.set_title("loss", fontsize=9)
        a.grid(True, which="major", alpha=0.3)
        a.legend(handles=[Line2D([], [], color=GHOST_COLOR, lw=1.2, label=r"constant $\alpha_0$"),
                          Line2D([], [], color=PATH_COLOR, lw=1.8, label="schedule"),
                          Line2D([], [], color="black", ls=":", lw=1, label=f"tolerance {self.tol:g}")],
                 fontsize=7, loc="lower left", framealpha=0.85)
        b = self.ax_lr
        b.axhline(1.0, color=GHOST_COLOR, lw=1.2)
        (self.rel_line,) = b.plot([], [], color=PATH_COLOR, lw=1.8)
        b.set_ylim(0, 1.08)
        b.set_xlabel("iteration t", fontsize=9)
        b.set_ylabel(r"$\alpha_t / \alpha_0$", fontsize=8)
        b.set_title("schedule", fontsize=9)
        b.grid(True, alpha=0.3)
        b.legend(handles=[Line2D([], [], color=GHOST_COLOR, lw=1.2, label=r"constant $\alpha_0$"),
                          Line2D([], [], color=PATH_COLOR, lw=1.8, label=r"$\alpha_t$")],
                 fontsize=7, loc="upper right", framealpha=0.85)
        steps = self.controls["steps"].value
        for ax in (self.ax_loss, self.ax_lr):
            ax.set_xlim(0, max(steps, 1))
        for ax in (self.ax_path, self.ax_loss, self.ax_lr):
            ax.tick_params(labelsize=8)

    def _compute(self, changed):
        c = self.controls
        steps, noise = c["steps"].value, c["noise"].value
        self._fit_stops(self._floats(steps), *LR_RANGE)
        # The same seed and batch shape: stop i of both sweeps sees the same noise.
        self.references = run(GD(lr=self.stops), self.surface, self.start, steps, noise=noise, seed=self.seed)
        self.sweep = run(GD(lr=self.schedule(self.stops)), self.surface, self.start, steps, noise=noise,
                         seed=self.seed)
        self._show_whole_run(steps)
        c["play"].seconds = play_seconds(steps)
        gap = loss_gap(self.sweep)[0]
        first = gap[0, 0] if np.isfinite(gap[0, 0]) and gap[0, 0] > 0 else 1.0
        for ax in (self.ax_loss, self.ax_lr):
            set_limits(ax, xlim=(0, max(steps, 1)))
        set_limits(self.ax_loss, ylim=(first * 1e-8, first * 1e2))
        rel = np.asarray(self.sweep.lrs[:, 0], dtype=float) / self.stops[0] if steps else np.array([])
        if not np.array_equal(self.rel_line.get_ydata(), rel):
            self.rel_line.set_data(np.arange(steps), rel)
        self.rel = rel

    def _select(self):
        super()._select()
        self.reference = self.references[self.controls["lr"].index]

    def _scene(self):
        tr, ref = self.sweep, self.references
        with np.errstate(invalid="ignore"):
            gap, ref_gap = loss_gap(tr)[0], loss_gap(ref)[0]
            gap, ref_gap = np.where(gap > 0, gap, np.nan).T, np.where(ref_gap > 0, ref_gap, np.nan).T
        arrays = {"stops": self.stops[None], "path": np.moveaxis(tr.points, 0, 1), "loss": gap,
                  "reference": ref_gap, "rel": self.rel[None], "diverged": tr.diverged_at[:, None]}
        marks = path_marks(0, PATH_COLOR, dots=tr.steps <= 300) + [
            title_mark(0, size=11),
            {"kind": "line", "axes": 1, "data": "reference", "color": GHOST_COLOR, "width": 1.2 * PT},
            {"kind": "line", "axes": 1, "data": "loss", "color": PATH_COLOR, "width": 1.8 * PT},
            {"kind": "vline", "axes": 1, "at": "iteration", "color": "#555555", "width": 1, "dash": [2, 3]},
            {"kind": "marker", "axes": 2, "data": "rel", "at": "iteration", "shape": "o", "size": 6 * PT,
             "fill": PATH_COLOR, "edge": "black", "edgeWidth": 1},
        ]
        titles = [f"GD, {self.schedule(a)!r}" for a in self.stops]
        texts = {"title": titles, "status": status_texts(tr.diverged_at), "readout": self._readouts(),
                 "alt": [f"Contour plot of {self.surface.name} with the path of {t}; beside it its loss against the "
                         "iteration on a log scale next to the constant step's, and the schedule α_t/α₀ against t."
                         for t in titles]}
        return [self.ax_path, self.ax_loss, self.ax_lr], marks, arrays, texts

    def _readouts(self):
        tr, ref = self.sweep, self.references
        noisy = self.controls["noise"].value > 0
        tail = max(tr.steps // 4, 1)

        def describe(x, i):
            if x.diverged[i]:
                return f"diverged at step {int(x.diverged_at[i])}"
            gap = x.gap()[:, i]
            if noisy:  # one noisy loss value says little: average the last quarter of the run
                return f"mean loss − J* over the last {tail} steps {_format.num(float(np.mean(gap[-tail:])))}"
            hit = np.nonzero(gap <= self.tol)[0]
            return (f"final loss − J* {_format.num(float(gap[-1]))}, "
                    + (f"reached {self.tol:g} at step {int(hit[0])}" if hit.size else f"not within {self.tol:g}"))

        out = []
        for i in range(len(self.stops)):
            if tr.diverged[i]:
                out.append(f"<b style='color:#a40'>⚠ diverged at step {int(tr.diverged_at[i])}</b>: the path left "
                           "the window. Try a smaller step size.")
            else:
                out.append(f"schedule: {describe(tr, i)} · constant α₀: {describe(ref, i)}")
        return out


def schedule_explorer(surface="bowl", schedule="inverse_time", **initial) -> ScheduleExplorer:
    """A :class:`ScheduleExplorer`: GD with a step-size schedule, alpha_t plotted next to the path.
    ``schedule``: one of SCHEDULE_KINDS; ``initial``: lr, decay, noise, steps, seed, tol, start."""
    return ScheduleExplorer(surface, schedule, **initial)


__all__ = ["ScheduleExplorer", "schedule_explorer"]
