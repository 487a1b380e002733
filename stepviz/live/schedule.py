"""The schedule explorer (lesson 05): GD with a step-size schedule next to the constant step alpha_0."""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from .. import _validate
from ..analysis import quadratic
from ..engine import run
from ..optim.rules import GD
from ..optim.schedules import SCHEDULE_KINDS, from_decay
from ..problems.surfaces import QuadraticBowl, get_surface
from ..viz.contours import plot_surface
from ..viz.curves import loss_gap
from ..viz.style import GHOST_COLOR, PATH_COLOR
from .controls import Choice, Number, Whole
from .sweep_controls import StepSize
from .figure import LiveFigure
from .limits import log_window, set_limits
from .marks import PT, diverged_readout, path_legend, path_marks, settled_text, status_texts, title_mark
from .scene import Line, Marker, Scene, VLine, fmt

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
        self.seed = _validate.seed("seed", seed)
        self.tol = _validate.positive("tol", tol, example="1e-3")
        self.start = self.surface.start if start is None else _validate.points("start", start)
        specs = {"schedule": Choice(tuple(SCHEDULE_KINDS), "schedule"),
                 "lr": StepSize(*LR_RANGE, label="step size α₀"),
                 "decay": Number(0.0, 0.3, 0.001, "decay", ".3f"),
                 "noise": Number(0.0, 2.0, 0.05, "gradient noise"),
                 "steps": Whole(1, MAX_STEPS, "steps")}
        values = {"schedule": schedule, "lr": lr, "decay": decay, "noise": noise, "steps": steps}
        super().__init__(specs, values, [["schedule", "lr", "decay"], ["noise", "steps", ["play", "iteration"]]])

    def floats_per_stop(self, values):
        return 4 * (values["steps"] + 1) + 1  # path (x, y), loss and the constant step's loss per iterate

    def _sync_controls(self, changed):
        self.controls["decay"].disabled = self.controls["schedule"].value in ("constant", "cosine")

    def step_marks(self):
        return {"2/L": quadratic.lr_limit(self.surface)} if isinstance(self.surface, QuadraticBowl) else {}

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
        # The same seed and batch shape: stop i of both sweeps sees the same noise.
        self.references = run(GD(lr=self.stops), self.surface, self.start, steps, noise=noise, seed=self.seed)
        self.sweep = run(GD(lr=self.schedule(self.stops)), self.surface, self.start, steps, noise=noise,
                         seed=self.seed)
        self._show_whole_run(steps)
        gap = loss_gap(self.sweep)[0]
        for ax in (self.ax_loss, self.ax_lr):
            set_limits(ax, xlim=(0, max(steps, 1)))
        set_limits(self.ax_loss, ylim=log_window(gap[0, 0], 8, 2))
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
            Line(axes=1, data="reference", color=GHOST_COLOR, width=1.2 * PT),
            Line(axes=1, data="loss", color=PATH_COLOR, width=1.8 * PT),
            VLine(axes=1, at="iteration", color="#555555", width=1, dash=(2, 3)),
            Marker(axes=2, data="rel", at="iteration", size=6 * PT, fill=PATH_COLOR, edge="black"),
        ]
        c = self.controls
        kind, decay = c["schedule"].value, c["decay"].value
        rest = f", {kind}" + (f", decay {fmt(decay)}" if kind not in ("constant", "cosine") and decay else "")
        titles = [f"GD, α₀ = {fmt(a)}{rest}" for a in self.stops]
        texts = {"title": titles, "status": status_texts(tr.diverged_at), "readout": self._readouts(),
                 "alt": [f"Contour plot of {self.surface.name} with the path of {t}; beside it its loss against the "
                         "iteration on a log scale next to the constant step's, and the schedule α_t/α₀ against t."
                         for t in titles]}
        return Scene([self.ax_path, self.ax_loss, self.ax_lr], marks, arrays, texts)

    def _readouts(self):
        tr, ref = self.sweep, self.references
        noisy = self.controls["noise"].value > 0
        tail = max(tr.steps // 4, 1)
        settled, ref_settled = tr.steps_to(self.tol), ref.steps_to(self.tol)

        def describe(x, k, i):
            if x.diverged[i]:
                return f"diverged at step {int(x.diverged_at[i])}"
            gap = x.gap()[:, i]
            if noisy:  # one noisy loss value says little: average the last quarter of the run
                return f"mean loss − J* over the last {tail} steps {fmt(float(np.mean(gap[-tail:])))}"
            return f"final loss − J* {fmt(float(gap[-1]))}, {settled_text(int(k[i]), self.tol, x.steps)}"

        out = []
        for i in range(len(self.stops)):
            if tr.diverged[i]:
                out.append(diverged_readout(int(tr.diverged_at[i]), "the path left the window"))
            else:
                out.append([["", f"schedule: {describe(tr, settled, i)} · constant α₀: {describe(ref, ref_settled, i)}"]])
        return out


def schedule_explorer(surface="bowl", schedule="inverse_time", **initial) -> ScheduleExplorer:
    """A :class:`ScheduleExplorer`: GD with a step-size schedule, alpha_t plotted next to the path.
    ``schedule``: one of SCHEDULE_KINDS; ``initial``: lr, decay, noise, steps, seed, tol, start."""
    return ScheduleExplorer(surface, schedule, **initial)


__all__ = ["ScheduleExplorer", "schedule_explorer"]
