"""The schedule explorer (lesson 05): GD with a step-size schedule, alpha_t next to the path."""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import _format
from ..engine import run
from ..optim.rules import GD
from ..optim.schedules import SCHEDULE_KINDS, from_decay
from ..problems.surfaces import get_surface
from ..viz.contours import plot_surface
from ..viz.curves import loss_gap
from ..viz.style import GHOST_COLOR, PATH_COLOR
from .figure import STYLE, WIDE, PlotExplorer


class ScheduleExplorer(PlotExplorer):
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
        return from_decay(c["schedule"].value, c["lr"].value, c["decay"].value, c["steps"].value)

    def _build_static(self):
        fig = self.figure
        gs = fig.add_gridspec(2, 2, width_ratios=(1.0, 1.1), height_ratios=(1.5, 1.0))
        self.ax_path = fig.add_subplot(gs[:, 0])
        self.ax_loss = fig.add_subplot(gs[0, 1])
        self.ax_lr = fig.add_subplot(gs[1, 1])
        self._static_axes = [self.ax_path, self.ax_loss, self.ax_lr]
        plot_surface(self.surface, self.ax_path)
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
        (self.reference_line,) = a.plot([], [], color=GHOST_COLOR, lw=1.2, label=r"constant $\alpha_0$")
        (self.loss_line,) = a.plot([], [], color=PATH_COLOR, lw=1.8, label="schedule")
        self.loss_iteration = a.axvline(0, color="gray", lw=1, ls=":")
        b = self.over[self.ax_lr]
        (self.reference_lr,) = b.plot([], [], color=GHOST_COLOR, lw=1.2, label=r"constant $\alpha_0$")
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
        gap, ref_gap = loss_gap(tr)[0], loss_gap(ref)[0]
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
                return f"mean loss − J* over the last {tail.size} steps {_format.num(float(np.mean(tail)))}"
            k = int(x.steps_to(self.tol))
            return (f"final loss − J* {_format.num(float(x.gap()[-1]))}, "
                    + (f"reached {self.tol:g} at step {k}" if k >= 0 else f"not within {self.tol:g}"))

        return f"schedule: {describe(tr)} · constant α₀: {describe(ref)}"


def schedule_explorer(surface="bowl", schedule="inverse_time", **initial) -> ScheduleExplorer:
    """A :class:`ScheduleExplorer`: GD with a step-size schedule, alpha_t plotted next to the path."""
    return ScheduleExplorer(surface, schedule, **initial)


__all__ = ["ScheduleExplorer", "schedule_explorer"]
