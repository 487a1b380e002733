"""The explorer of any surface and optimizer: contours with the path, the loss curve, and a strip of step
sizes with the theory of the bowl (``explore()`` -> :class:`Explorer`).

The kernel runs every stop of the step-size slider in one batched run whenever another control changes;
the browser draws the path for the stop and iteration shown (see :mod:`stepviz.live.figure`).
"""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter

from .. import _format, _validate
from ..analysis import quadratic
from ..engine import run
from ..optim.rules import OPTIMIZERS, Optimizer, make_optimizer, optimizer_class
from ..optim.schedules import inverse_time
from ..problems.surfaces import SURFACES, QuadraticBowl, get_surface
from ..viz.contours import plot_surface
from ..viz.curves import loss_gap
from ..viz.style import LIMIT_COLOR, LIMIT_STYLE, OPTIMAL_COLOR, OPTIMAL_STYLE, PATH_COLOR
from .controls import (PlayButton, StepSizeSlider, dropdown, float_slider, int_slider, iteration_slider, log_stops,
                       option, play_seconds, scalar, whole)
from .figure import LiveFigure, set_labels, set_limits, stop_count
from .marks import PT, path_marks, status_texts, title_mark

LR_RANGE = (1e-4, 2.0)  # the step-size slider's ends
MAX_STEPS = 1000
MOMENTUM_METHODS = tuple(n for n, cls in OPTIMIZERS.items() if "momentum" in cls.hyperparameter_names)
RATE_CAP = 1.6  # rates above this are drawn at the top of the strip


class Explorer(LiveFigure):
    """One optimizer on one surface: contours + path, loss curve, step-size strip, and controls.

    ``controls``: 'surface', 'optimizer', 'lr' (a StepSizeSlider), 'decay', 'momentum', 'steps', 'x0',
    'y0', 'iteration', 'play'. Setting a control's value from Python updates ``sweep`` (every step size of
    the slider), ``trajectory`` (the one shown) and the figure synchronously; ``shown('path')`` is the path
    the browser draws, ``readout.value`` the text under the figure. A click on the contours moves the start.
    """

    def __init__(self, surface="bowl", optimizer="GD", *, lr=None, decay=0.0, momentum=None, steps=100,
                 start=None, noise=0.0, seed=0, tol=1e-6, lr_range=LR_RANGE):
        surface = get_surface(surface)
        self.lr_range = _lr_range(lr_range)
        self._surfaces = {name: get_surface(name) for name in SURFACES}
        self._surfaces[surface.name] = surface
        self._fixed = {}  # hyperparameters of an optimizer instance that no slider shows (Adam's betas...)
        if isinstance(optimizer, Optimizer):
            given = optimizer.hyperparameters
            lr = given["lr"] if lr is None else lr
            momentum = given.get("momentum") if momentum is None else momentum
            self._fixed = {optimizer.name: {k: v for k, v in given.items() if k not in ("lr", "momentum")}}
            optimizer = optimizer.name
        optimizer = optimizer_class(optimizer).name  # the one rule for names (any case), as everywhere
        lr = scalar("lr", 0.05 if lr is None else lr, *self.lr_range, what="the step-size slider's range")
        decay = scalar("decay", decay, 0.0, 0.2)
        momentum = scalar("momentum", 0.9 if momentum is None else momentum, 0.0, 0.99)
        steps = whole("steps", steps, 1, MAX_STEPS)
        start = surface.start if start is None else _validate.points("start", start)
        (xa, xb), (ya, yb) = surface.bounds
        if start.shape != (2,):
            raise ValueError(f"start must be one point (x, y); got an array of shape {start.shape}")
        x0 = scalar("start[0]", start[0], xa, xb, what=f"the window of {surface.name}")
        y0 = scalar("start[1]", start[1], ya, yb, what=f"the window of {surface.name}")
        self.noise = _validate.non_negative("noise", noise, example="0.1")
        self.seed = _validate.seed("seed", seed)
        self.tol = _validate.positive("tol", tol, example="1e-6")
        self.surface = surface
        iteration = iteration_slider(steps)
        controls = {
            "surface": dropdown(self._surfaces, surface.name, "surface"),
            "optimizer": dropdown(OPTIMIZERS, optimizer, "optimizer"),
            "lr": StepSizeSlider(lr, log_stops(*self.lr_range, stop_count(self._floats(steps)), keep=lr)),
            "decay": float_slider(decay, 0.0, 0.2, 0.001, "decay", ".3f"),
            "momentum": float_slider(momentum, 0.0, 0.99, 0.01, "momentum γ"),
            "steps": int_slider(steps, 1, MAX_STEPS, "steps"),
            "x0": float_slider(x0, xa, xb, 0.01, "start θ₁"),
            "y0": float_slider(y0, ya, yb, 0.01, "start θ₂"),
            "iteration": iteration,
            "play": PlayButton(iteration, seconds=play_seconds(steps)),
        }
        controls["steps"].add_class("stepviz-steps")
        columns = [["surface", "optimizer", "lr", "decay", "momentum"], ["steps", "x0", "y0", ["play", "iteration"]]]
        super().__init__(*self._extend(controls, columns))

    def _extend(self, controls, columns):
        """Subclasses add their controls here (before the figure is built)."""
        return controls, columns

    @staticmethod
    def _floats(steps):
        return 3 * (steps + 1) + 3  # path (x, y) and loss per iterate; diverged, rate

    # --- figure -----------------------------------------------------------------------------------
    def _build_figure(self):
        fig = self.figure
        gs = fig.add_gridspec(2, 2, width_ratios=(1.0, 1.05), height_ratios=(1.6, 1.0))
        self.ax_path = fig.add_subplot(gs[:, 0])
        self.ax_loss = fig.add_subplot(gs[0, 1])
        self.ax_lr = fig.add_subplot(gs[1, 1])
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_xlabel("iteration k", fontsize=9)
        self.ax_loss.grid(True, alpha=0.3)
        self.ax_lr.set_xscale("log")
        self.ax_lr.set_xlim(*self.lr_range)
        self.ax_lr.set_ylim(0, RATE_CAP + 0.05)
        self.ax_lr.set_xlabel(r"step size $\alpha$", fontsize=9)
        self.ax_lr.grid(True, alpha=0.3)
        self._rate_one = self.ax_lr.axhline(1.0, color="gray", lw=0.8, ls=":")
        (self.rate_curve,) = self.ax_lr.plot([], [], color="black", lw=1.4)
        self.limit_line = self.ax_lr.axvline(1, color=LIMIT_COLOR, ls=LIMIT_STYLE, lw=1.6)
        self.optimal_line = self.ax_lr.axvline(1, color=OPTIMAL_COLOR, ls=OPTIMAL_STYLE, lw=1.6)
        for ax in (self.ax_path, self.ax_loss, self.ax_lr):
            ax.tick_params(labelsize=8)
        for ax in (self.ax_loss, self.ax_lr):
            for axis in (ax.xaxis, ax.yaxis):
                axis.set_minor_formatter(NullFormatter())
        self.ax_lr.set_title(" ", fontsize=8)
        self._surface_artists = {}
        self._set_surface(self.surface)

    def _set_surface(self, surface):
        for a in self._surface_artists.values():
            a.remove()
        self._surface_artists = plot_surface(surface, self.ax_path)
        self.ax_path.set_title(" ", fontsize=10)  # room for the title the browser draws
        self.ax_path.set_xlabel(r"$\theta_1$", fontsize=9)
        self.ax_path.set_ylabel(r"$\theta_2$", fontsize=9)
        self.surface = surface

    def _strip(self, name, gamma, start):
        """The step-size strip: the predicted rate and the limit/optimal step where theory has them."""
        s, ax = self.surface, self.ax_lr
        handles = []
        lrs = np.geomspace(*self.lr_range, 200)
        rule = self._theory(lrs)
        if isinstance(s, QuadraticBowl) and rule.has_quadratic_theory:
            self.rate_curve.set_data(lrs, np.minimum(rule.quadratic_rate(s.curvatures), RATE_CAP))
            optimum = rule.quadratic_optimum(s.curvatures)
            handles.append(Line2D([], [], color="black", lw=1.4, label="rate (theory)"))
            for line, at, label, color, style in (
                    (self.limit_line, rule.quadratic_limit(s.curvatures), rule.limit_label, LIMIT_COLOR, LIMIT_STYLE),
                    (self.optimal_line, optimum and optimum["lr"], rule.optimum_label, OPTIMAL_COLOR, OPTIMAL_STYLE)):
                line.set_visible(at is not None)
                if at is not None:
                    line.set_xdata([at, at])
                    handles.append(Line2D([], [], color=color, ls=style, lw=1.6, label=label))
            ax.set_ylabel("rate per step", fontsize=8)
            ax.set_yticks([0, 1])
            self._rate_one.set_visible(True)
            title = "theory on this bowl (constant α)"
        else:
            self.rate_curve.set_data([], [])
            self.optimal_line.set_visible(False)
            local = quadratic.local_lr_limit(s, start)
            shown = bool(np.isfinite(local)) and rule.has_quadratic_theory
            self.limit_line.set_visible(shown)
            if shown:
                self.limit_line.set_xdata([local, local])
                handles.append(Line2D([], [], color=LIMIT_COLOR, ls=LIMIT_STYLE, lw=1.6, label="local limit"))
            ax.set_ylabel("")
            ax.set_yticks([])
            self._rate_one.set_visible(False)
            title = "no closed-form rate here" if rule.has_quadratic_theory else rule.no_theory_note.format(name=name)
        handles.append(Line2D([], [], color=PATH_COLOR, lw=2.5, label="your α"))
        ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0,
                  framealpha=0.9)
        ax.set_title(title, fontsize=8)

    # --- updates ----------------------------------------------------------------------------------
    def optimizer(self, lr=None) -> Optimizer:
        """The optimizer the controls describe (at step size ``lr``, default the slider's; with decay the
        step size follows lr / (1 + decay t))."""
        c = self.controls
        lr = c["lr"].value if lr is None else lr
        if c["decay"].value:
            lr = inverse_time(lr, c["decay"].value)
        name = c["optimizer"].value
        return make_optimizer(name, lr=lr, momentum=c["momentum"].value, **self._fixed.get(name, {}))

    def _theory(self, lrs) -> Optimizer:
        """The rule the controls describe at the constant step sizes ``lrs``: what theory on a bowl is asked."""
        name = self.controls["optimizer"].value
        return make_optimizer(name, lr=lrs, momentum=self.controls["momentum"].value, **self._fixed.get(name, {}))

    def _has_momentum(self) -> bool:
        return "momentum" in optimizer_class(self.controls["optimizer"].value).hyperparameter_names

    def _sync_enabled(self):
        self.controls["momentum"].disabled = not self._has_momentum()

    def _on_click(self, axes, x, y):
        if axes == 0:
            (xa, xb), (ya, yb) = self.surface.bounds
            self.controller.set(x0=float(np.clip(x, xa, xb)), y0=float(np.clip(y, ya, yb)))

    def _compute(self, changed):
        c = self.controls
        if "surface" in changed and c["surface"].value != self.surface.name:
            self._set_surface(self._surfaces[c["surface"].value])
            (xa, xb), (ya, yb) = self.surface.bounds
            for w, (a, b), v in ((c["x0"], (xa, xb), self.surface.start[0]),
                                 (c["y0"], (ya, yb), self.surface.start[1])):
                w.min, w.max = -1e9, 1e9  # widen first so min/max can be set in any order
                w.min, w.max, w.value = a, b, float(v)
        steps = c["steps"].value
        self._fit_stops(self._floats(steps), *self.lr_range)
        start = np.array([c["x0"].value, c["y0"].value])
        self.sweep = run(self.optimizer(self.stops), self.surface, start, steps, noise=self.noise, seed=self.seed)
        self._show_whole_run(steps)
        c["play"].seconds = play_seconds(steps)
        values, label = loss_gap(self.sweep)
        with np.errstate(invalid="ignore"):
            self.gaps = np.where(values > 0, values, np.nan)
        first = values[0, 0] if np.isfinite(values[0, 0]) and values[0, 0] > 0 else 1.0
        set_limits(self.ax_loss, xlim=(0, max(steps, 1)), ylim=(first * 1e-12, first * 1e3))
        name = c["optimizer"].value
        set_labels(self.ax_loss, ylabel=label, title=f"loss ({name})")
        bowl = isinstance(self.surface, QuadraticBowl)
        key = (name, self.surface.name, c["momentum"].value if bowl and self._has_momentum() else None,
               None if bowl else tuple(start))
        if key != getattr(self, "_strip_key", None):
            self._strip_key = key
            self._strip(name, c["momentum"].value, start)

    def _scene(self):
        tr, c = self.sweep, self.controls
        rule = self._theory(self.stops)
        bowl = isinstance(self.surface, QuadraticBowl) and rule.has_quadratic_theory
        rate = (np.minimum(rule.quadratic_rate(self.surface.curvatures), RATE_CAP) if bowl
                else np.full(len(self.stops), np.nan))
        arrays = {"stops": self.stops[None], "path": np.moveaxis(tr.points, 0, 1), "loss": self.gaps.T,
                  "diverged": tr.diverged_at[:, None], "rate": rate[:, None]}
        marks = path_marks(0, PATH_COLOR) + [
            title_mark(0),
            {"kind": "line", "axes": 1, "data": "loss", "color": PATH_COLOR, "width": 1.8 * PT},
            {"kind": "vline", "axes": 1, "at": "iteration", "color": "#555555", "width": 1, "dash": [2, 3]},
            {"kind": "vline", "axes": 2, "at": "stop", "color": PATH_COLOR, "width": 2.5 * PT},
            {"kind": "point", "axes": 2, "x": "stop", "y": "rate", "shape": "o", "size": 6 * PT, "fill": PATH_COLOR,
             "edge": "black", "edgeWidth": 0.8},
        ]
        titles = [self._title(a) for a in self.stops]
        texts = {"title": titles, "status": status_texts(tr.diverged_at), "readout": self._readouts(),
                 "alt": [self._alt(t, i) for i, t in enumerate(titles)]}
        return [self.ax_path, self.ax_loss, self.ax_lr], marks, arrays, texts

    def _title(self, lr):
        c = self.controls
        name = c["optimizer"].value
        text = f"{name}, α = {_format.num(lr)}" + (f", decay {c['decay'].value:g}" if c["decay"].value else "")
        if self._has_momentum():
            text += f", γ = {c['momentum'].value:g}"
        return f"{text} on {self.surface.name}"

    def _alt(self, title, i):
        tr = self.sweep
        fate = (f"it diverges at step {int(tr.diverged_at[i])}" if tr.diverged[i]
                else f"after {tr.steps} steps the loss gap is {_format.num(float(tr[i].gap()[-1]))}")
        return (f"Contour plot of {self.surface.name} with the path of {title.split(' on ')[0]} from "
                f"({self.controls['x0'].value:.2f}, {self.controls['y0'].value:.2f}): {fate}. Right: its loss "
                "against the iteration on a log scale, and where α sits on a strip of step sizes.")

    def _readouts(self):
        tr, c = self.sweep, self.controls
        name = c["optimizer"].value
        has_min = len(self.surface.minima) > 0
        reached = tr.steps_to(self.tol) if has_min else None
        rates = tr.rate() if has_min and tr.steps >= 10 else None
        rule = self._theory(self.stops)
        bowl = isinstance(self.surface, QuadraticBowl) and rule.has_quadratic_theory and c["decay"].value == 0
        predicted = rule.quadratic_rate(self.surface.curvatures) if bowl else None
        out = []
        for i in range(len(self.stops)):
            if tr.diverged[i]:
                out.append(f"<b style='color:#a40'>⚠ diverged at step {int(tr.diverged_at[i])}</b>: the path left "
                           "the plot window far behind. Try a smaller step size.")
                continue
            gap = tr[i].gap()[-1] if has_min else tr.losses[-1, i]  # not self.gaps: NaN at 0 (a log axis)
            parts = [f"final loss {'− J* ' if has_min else ''}= {_format.num(float(gap))}"]
            if has_min:
                k = int(reached[i])
                parts.append(f"reached {self.tol:g} at step {k}" if k >= 0
                             else f"not within {self.tol:g} after {tr.steps} steps")
            if rates is not None:
                text = f"rate per step: measured {float(rates[i]):.3f}"
                if predicted is not None:
                    text += f", predicted {float(predicted[i]):.3f}"
                parts.append(text)
            out.append(" · ".join(parts))
        return out


def _lr_range(value):
    """(low, high) of the step-size slider: two numbers with 0 < low < high <= 100."""
    arr = _validate.as_float_array("lr_range", value, "(low, high), e.g. (1e-4, 2.0)")
    if arr.shape != (2,) or not np.isfinite(arr).all() or not 0 < arr[0] < arr[1] <= 100:
        raise ValueError(f"lr_range must be (low, high) with 0 < low < high <= 100, e.g. (1e-4, 2.0); got {value!r}")
    return float(arr[0]), float(arr[1])


def explore(surface="bowl", optimizer="GD", **initial) -> Explorer:
    """An interactive explorer of one optimizer on one surface; see :class:`Explorer`.

    ``optimizer``: a name or an instance (its hyperparameters are kept, e.g. ``sv.Adam(lr=0.5)``).
    ``initial`` sets the controls' first values: lr, decay, momentum, steps, start; and noise, seed, tol, and
    ``lr_range``, the step-size slider's ends (default: (1e-4, 2.0)).
    A value outside a slider's range raises a ValueError that says the range.
    """
    return Explorer(surface, optimizer, **initial)


__all__ = ["Explorer", "explore", "LR_RANGE", "MOMENTUM_METHODS"]
