"""The effective-step explorer (lesson 09): an adaptive method on a surface, and the step each coordinate
actually takes (the factor in front of the averaged gradient, :func:`stepviz.analysis.adaptive.effective_steps`)
against the iteration, for the step size alpha the slider shows."""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter, NullLocator

from ..analysis.adaptive import effective_steps
from .. import _validate
from ..optim.rules import make_optimizer, optimizer_class
from ..problems.surfaces import get_surface
from ..viz.contours import plot_surface
from ..viz.curves import loss_gap
from ..viz.style import MUTED, PAPER, PATH_COLOR, PATH_COLORS, PATH_LINESTYLES
from .compare_live import dash_px
from .controls import Choice, Whole
from .figure import LiveFigure
from .limits import set_limits
from .marks import PT, diverged_readout, path_legend, path_marks, status_texts, title_mark
from .scene import HLine, Line, Marker, Scene, fmt
from .sweep_controls import StepSize

LR_RANGE = (1e-4, 10.0)  # Adadelta's scale factor reaches 10 in 09's sensitivity grid
METHODS = ("Adam", "Adadelta", "RMSprop", "Adagrad", "GD")
MAX_STEPS = 1000
COORD_COLORS = (PATH_COLORS[1], PATH_COLORS[2])  # theta_1, theta_2
COORD_STYLES = (PATH_LINESTYLES[0], PATH_LINESTYLES[1])


class EffectiveStepExplorer(LiveFigure):
    """One adaptive method on a surface: contours + path, and each coordinate's effective step against the
    iteration, with alpha as a reference line. ``controls``: 'optimizer', 'lr' (StepSizeSlider: alpha, for
    Adadelta its scale factor), 'steps', 'iteration', 'play'. ``effective`` (steps, stops, 2): every stop's
    effective steps; ``shown('eff1')`` / ``shown('eff2')`` those the browser draws."""

    def __init__(self, surface="bowl", optimizer="Adam", *, lr=0.05, steps=300, start=None):
        self.surface = get_surface(surface)
        name = optimizer_class(optimizer).name
        if name not in METHODS:
            raise ValueError(f"optimizer must be one of {METHODS} (a rule with an effective step); got {optimizer!r}")
        self.start = self.surface.start if start is None else _validate.points("start", start)
        if self.start.shape != (2,):
            raise ValueError(f"start must be one point (x, y); got an array of shape {self.start.shape}")
        specs = {"optimizer": Choice(METHODS, "optimizer"), "lr": StepSize(*LR_RANGE),
                 "steps": Whole(2, MAX_STEPS, "steps")}
        values = {"optimizer": name, "lr": lr, "steps": steps}
        super().__init__(specs, values, [["optimizer", "lr"], ["steps", ["play", "iteration"]]])

    def floats_per_stop(self, values):
        return 4 * (values["steps"] + 1) + 1  # path (x, y), two effective steps per step; diverged

    def _build_figure(self):
        self.ax_path, self.ax_eff = self.figure.subplots(1, 2, width_ratios=(1.0, 1.2))
        plot_surface(self.surface, self.ax_path)
        self.ax_path.set_title(" ", fontsize=10)
        path_legend(self.ax_path, PATH_COLOR, loc="upper right")
        ax = self.ax_eff
        ax.set_yscale("log")
        ax.set_xlabel("iteration k", fontsize=9)
        ax.set_ylabel("effective step (factor on the gradient)", fontsize=8)
        ax.set_title(" ", fontsize=10)  # room for the title the browser draws: the steps at the iteration shown
        ax.grid(True, which="major", alpha=0.3)
        handles = [Line2D([], [], color=c, ls=s, lw=1.8, label=label)
                   for c, s, label in zip(COORD_COLORS, COORD_STYLES, ("θ₁ (flat direction)", "θ₂ (steep direction)"))]
        handles.append(Line2D([], [], color=MUTED, ls=":", lw=1.2, label="α"))
        ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
        for a in (self.ax_path, ax):
            a.tick_params(labelsize=8)
        ax.yaxis.set_minor_locator(NullLocator())  # no minor ticks: fewer artists to lay out and draw
        ax.yaxis.set_minor_formatter(NullFormatter())

    def optimizer(self, lr=None):
        """The rule the controls describe (at step size ``lr``, default the slider's)."""
        self._require_open()
        c = self.controls
        return make_optimizer(c["optimizer"].value, lr=c["lr"].value if lr is None else lr)

    def _compute(self, changed):
        steps = self.controls["steps"].value
        self.sweep, self.effective = effective_steps(self.optimizer(self.stops), self.surface, self.start, steps)
        self._show_whole_run(steps)
        finite = self.effective[np.isfinite(self.effective) & (self.effective > 0)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (1e-3, 1.0)
        low, high = min(low, LR_RANGE[0]), max(high, self.stops.max())
        set_limits(self.ax_eff, xlim=(0, max(steps, 1)), ylim=(low / 2, high * 2))

    def _scene(self):
        tr, eff = self.sweep, self.effective
        arrays = {"stops": self.stops[None], "path": np.moveaxis(tr.points, 0, 1),
                  "eff1": eff[..., 0].T, "eff2": eff[..., 1].T, "diverged": tr.diverged_at[:, None]}
        marks = path_marks(0, PATH_COLOR) + [title_mark(0), title_mark(1, texts="steps", size=11), HLine(axes=1, at="stop", color=MUTED, width=1.2 * PT,
                                                                  dash=(1.5, 2.5))]
        for data, color, style in zip(("eff1", "eff2"), COORD_COLORS, COORD_STYLES):
            marks += [Line(axes=1, data=data, color=color, width=1.8 * PT, dash=dash_px(style, 1.8)),
                      Marker(axes=1, data=data, at="iteration", size=6 * PT, fill=PAPER, edge=color,
                             edge_width=1.5 * PT)]
        name = self.controls["optimizer"].value
        what = self.optimizer().symbols.get("lr", "α")  # the rule's own name for its step size
        titles = [f"{name}, {what} = {fmt(a)} on {self.surface.name}" for a in self.stops]
        texts = {"title": titles, "status": status_texts(tr.diverged_at), "readout": self._readouts(),
                 "steps": [[[0, "effective steps at k = {k}: θ₁ {eff1}, θ₂ {eff2}"]]],
                 "alt": [f"Contour plot of {self.surface.name} with the path of {t.split(' on ')[0]}; beside it the "
                         "effective step of each coordinate against the iteration on a log scale, with α as a "
                         "dotted line." for t in titles]}
        return Scene([self.ax_path, self.ax_eff], marks, arrays, texts)

    def _readouts(self):
        tr, eff = self.sweep, self.effective
        values, _ = loss_gap(tr)
        out = []
        with np.errstate(all="ignore"):
            ratio = eff[..., 0] / eff[..., 1]
        for i in range(len(self.stops)):
            if tr.diverged[i]:
                out.append(diverged_readout(int(tr.diverged_at[i])))
                continue
            e, r = eff[:, i], ratio[:, i]
            out.append([["", f"effective steps over the run: θ₁ from {fmt(np.nanmin(e[:, 0]))} to "
                             f"{fmt(np.nanmax(e[:, 0]))}, θ₂ from {fmt(np.nanmin(e[:, 1]))} to "
                             f"{fmt(np.nanmax(e[:, 1]))}; θ₁'s / θ₂'s from {np.nanmin(r):.1f} to {np.nanmax(r):.1f}"],
                        ["br", ""], ["", f"final J − J* = {fmt(float(values[-1, i]))}"]])
        return out


def effective_step_explorer(surface="bowl", optimizer="Adam", **initial) -> EffectiveStepExplorer:
    """An :class:`EffectiveStepExplorer`: each coordinate's effective step of an adaptive method as alpha
    changes. ``initial``: lr, steps, start."""
    return EffectiveStepExplorer(surface, optimizer, **initial)


__all__ = ["EffectiveStepExplorer", "effective_step_explorer", "METHODS"]
