"""The explorer of any surface and optimizer: contours with the path, the loss curve, and a strip of step
sizes with the theory of the bowl (``explore()`` -> :class:`Explorer`).

The kernel runs every stop of the step-size slider in one batched run whenever another control changes;
the browser draws the path for the stop and iteration shown (see :mod:`stepviz.live.figure`).
"""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter, NullLocator

from .. import _validate
from ..analysis import quadratic
from ..engine import run
from ..optim.rules import OPTIMIZERS, Optimizer, make_optimizer, optimizer_class
from ..optim.schedules import inverse_time
from ..problems.surfaces import SURFACES, QuadraticBowl, get_surface
from ..viz.contours import plot_surface
from ..viz.curves import loss_gap
from ..viz.style import LIMIT_COLOR, LIMIT_STYLE, OPTIMAL_COLOR, OPTIMAL_STYLE, PATH_COLOR
from .controls import Choice, Number, Whole, set_range
from .sweep_controls import StepSize
from .figure import LiveFigure
from .limits import log_window, set_labels, set_limits
from .marks import PT, diverged_readout, path_marks, settled_text, status_texts, title_mark
from .scene import Line, Point, Scene, VLine, fmt

LR_RANGE = (1e-4, 2.0)  # the step-size slider's ends
MAX_STEPS = 1000
MOMENTUM_METHODS = tuple(n for n, cls in OPTIMIZERS.items() if "momentum" in cls.hyperparameter_names)
RATE_CAP = 1.6  # rates above this are drawn at the top of the strip
ON_AXIS = 1e-12  # a start component below this fraction of the start's size: the start lies on an eigen-axis
UNSETTLED_GAP = 0.005  # measured and predicted rates of a run not yet within tol that differ by this much


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
        start = surface.start if start is None else _validate.points("start", start)
        if start.shape != (2,):
            raise ValueError(f"start must be one point (x, y); got an array of shape {start.shape}")
        self.noise = _validate.non_negative("noise", noise, example="0.1")
        self.seed = _validate.seed("seed", seed)
        self.tol = _validate.positive("tol", tol, example="1e-6")
        self.surface = surface
        specs = {"surface": Choice(tuple(self._surfaces), "surface"),
                 "optimizer": Choice(tuple(OPTIMIZERS), "optimizer"),
                 "lr": StepSize(*self.lr_range),
                 "decay": Number(0.0, 0.2, 0.001, "decay", ".3f"),
                 "momentum": Number(0.0, 0.99, 0.01, "momentum γ"),
                 "steps": Whole(1, MAX_STEPS, "steps")}
        specs.update(self._start_specs(surface))
        start = (specs["x0"].check("start[0]", start[0]), specs["y0"].check("start[1]", start[1]))
        values = {"surface": surface.name, "optimizer": optimizer, "lr": 0.05 if lr is None else lr, "decay": decay,
                  "momentum": 0.9 if momentum is None else momentum, "steps": steps, "x0": start[0], "y0": start[1]}
        columns = [["surface", "optimizer", "lr", "decay", "momentum"], ["steps", "x0", "y0", ["play", "iteration"]]]
        super().__init__(*self._extend(specs, values, columns))

    @staticmethod
    def _start_specs(surface) -> dict:
        (xa, xb), (ya, yb) = surface.bounds
        where = f"the window of {surface.name}"
        return {"x0": Number(xa, xb, 0.01, "start θ₁", what=where), "y0": Number(ya, yb, 0.01, "start θ₂", what=where)}

    def _extend(self, specs, values, columns):
        """Subclasses add their controls here (before the figure is built)."""
        return specs, values, columns

    def floats_per_stop(self, values):
        return 3 * (values["steps"] + 1) + 3  # path (x, y) and loss per iterate; diverged, rate

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
        for ax in (self.ax_loss, self.ax_lr):  # no minor ticks: fewer artists to draw on every new picture
            for axis in (ax.xaxis, ax.yaxis):
                axis.set_minor_formatter(NullFormatter())
                axis.set_minor_locator(NullLocator())
        self.ax_lr.set_title(" ", fontsize=8)
        self._surface_artists, self._contours = {}, {}
        self._set_surface(self.surface)

    def _set_surface(self, surface):
        """Contours of ``surface`` on the path axes. Each surface's are made once and hidden while another is
        shown: switching back costs no contouring (~35 ms of a surface switch's kernel time)."""
        for a in self._surface_artists.values():
            a.set_visible(False)
        kept = self._contours.get(id(surface))
        if kept is None or kept[0] is not surface:
            self._surface_artists = plot_surface(surface, self.ax_path)
            self._contours[id(surface)] = (surface, self._surface_artists)
        else:
            self._surface_artists = kept[1]
            for a in self._surface_artists.values():
                a.set_visible(True)
            (x0, x1), (y0, y1) = surface.bounds
            self.ax_path.set_xlim(x0, x1)
            self.ax_path.set_ylim(y0, y1)
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

    def step_marks(self):
        """The step sizes the strip marks, as ticks on the slider: on a bowl 1/L, 2/(μ+L), 2/L and 2/μ for GD,
        the limit and the heavy-ball optimum for Momentum; elsewhere the local limit at the start."""
        c = self.controls
        s = self._surfaces[c["surface"].value]
        rule = self._theory(c["lr"].value)
        if not rule.has_quadratic_theory:
            return {}
        if isinstance(s, QuadraticBowl):
            return rule.named_steps(s.curvatures)
        local = float(quadratic.local_lr_limit(s, np.array([c["x0"].value, c["y0"].value])))
        return {"local limit": local} if np.isfinite(local) else {}

    # --- updates ----------------------------------------------------------------------------------
    def optimizer(self, lr=None) -> Optimizer:
        """The optimizer the controls describe (at step size ``lr``, default the slider's; with decay the
        step size follows lr / (1 + decay t))."""
        self._require_open()
        c = self.controls
        lr = c["lr"].value if lr is None else lr
        if c["decay"].value:
            lr = inverse_time(lr, c["decay"].value)
        name = c["optimizer"].value
        return make_optimizer(name, lr=lr, momentum=c["momentum"].value, **self._fixed.get(name, {}))

    @property
    def start(self) -> np.ndarray:
        return np.array([self.controls["x0"].value, self.controls["y0"].value])

    def _theory(self, lrs) -> Optimizer:
        """The rule the controls describe at the constant step sizes ``lrs``: what theory on a bowl is asked."""
        name = self.controls["optimizer"].value
        return make_optimizer(name, lr=lrs, momentum=self.controls["momentum"].value, **self._fixed.get(name, {}))

    def _has_momentum(self) -> bool:
        return "momentum" in optimizer_class(self.controls["optimizer"].value).hyperparameter_names

    def _sync_controls(self, changed):
        c = self.controls
        c["momentum"].disabled = not self._has_momentum()
        if "surface" in changed and c["surface"].value != self.surface.name:  # a new window and its start
            self._set_surface(self._surfaces[c["surface"].value])
            specs = self._start_specs(self.surface)
            for name, v in zip(("x0", "y0"), self.surface.start):
                set_range(c[name], specs[name].low, specs[name].high, float(v))

    def _on_click(self, axes, x, y):
        """A click on the contours: the start there, on the start sliders' 0.01 grid (what they show)."""
        (xa, xb), (ya, yb) = self.surface.bounds
        self.controller.set(x0=float(np.clip(round(x, 2), xa, xb)), y0=float(np.clip(round(y, 2), ya, yb)))

    def _compute(self, changed):
        c = self.controls
        steps = c["steps"].value
        self.sweep = run(self.optimizer(self.stops), self.surface, self.start, steps, noise=self.noise, seed=self.seed)
        self._show_whole_run(steps)
        values, label = loss_gap(self.sweep)
        with np.errstate(invalid="ignore"):
            self.gaps = np.where(values > 0, values, np.nan)
        set_limits(self.ax_loss, xlim=(0, max(steps, 1)), ylim=log_window(values[0, 0], 12, 3))
        name = c["optimizer"].value
        set_labels(self.ax_loss, ylabel=label, title="loss")  # the optimizer is in the title the browser draws
        bowl = isinstance(self.surface, QuadraticBowl)
        key = (name, self.surface.name, c["momentum"].value if bowl and self._has_momentum() else None,
               None if bowl else tuple(self.start))
        if key != getattr(self, "_strip_key", None):
            self._strip_key = key
            self._strip(name, c["momentum"].value, self.start)

    def _predicted(self):
        """(rates per stop, why) from theory, or (None, why not): the worst rate over the bowl's directions the
        start has a part in (a start on an eigen-axis moves along that direction only)."""
        c = self.controls
        name, s = c["optimizer"].value, self.surface
        rule = self._theory(self.stops)
        if not (isinstance(s, QuadraticBowl) and rule.has_quadratic_theory):
            return None, ""
        if c["decay"].value:
            return None, "no predicted rate: theory is for a constant α (decay is on)"
        lams, vecs = np.linalg.eigh(s.H)
        parts = np.abs(self.start @ vecs)
        present = parts > ON_AXIS * max(parts.max(), 1e-300)
        if not present.any():
            return None, "the start is the minimum"
        rates = np.max([rule.quadratic_rate((lam,)) for lam in lams[present]], axis=0)
        if present.all() or lams[0] == lams[1]:
            return rates, ""
        on, off = ("μ", "L") if present[0] else ("L", "μ")
        return rates, (f"the start lies on the {on} axis, so only the {on} = {fmt(lams[present][0])} direction moves; "
                       f"the {off} direction's rate does not apply")

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
            Line(axes=1, data="loss", color=PATH_COLOR, width=1.8 * PT),
            VLine(axes=1, at="iteration", color="#555555", width=1, dash=(2, 3)),
            VLine(axes=2, at="stop", color=PATH_COLOR, width=2.5 * PT),
            Point(axes=2, x="stop", y="rate", size=6 * PT, fill=PATH_COLOR, edge="black", edge_width=0.8),
        ]
        titles = self._titles(self.stops)
        final = tr.gap()[-1]  # every run's last gap at once (its last loss on a surface without a minimum)
        texts = {"title": titles, "status": status_texts(tr.diverged_at), "readout": self._readouts(final),
                 "alt": self._alts(titles, final)}
        return Scene([self.ax_path, self.ax_loss, self.ax_lr], marks, arrays, texts, clickable=(0,))

    def _titles(self, lrs) -> list[str]:
        """The figure's title at each step size (what does not depend on it is made once: 171 stops a scene)."""
        c = self.controls
        name = c["optimizer"].value
        rest = (f", decay {fmt(c['decay'].value)}" if c["decay"].value else "") + \
            (f", γ = {fmt(c['momentum'].value)}" if self._has_momentum() else "") + f" on {self.surface.name}"
        return [f"{name}, α = {fmt(lr)}{rest}" for lr in lrs]

    def _alts(self, titles, final) -> list[str]:
        """The figure's alt text at each stop; ``final``: every run's last loss gap."""
        tr = self.sweep
        x0, y0 = self.start
        head = f"Contour plot of {self.surface.name} with the path of "
        tail = (". Right: its loss against the iteration on a log scale, and where α sits on a strip of step "
                "sizes.")
        out = []
        for i, title in enumerate(titles):
            fate = (f"it diverges at step {int(tr.diverged_at[i])}" if tr.diverged[i]
                    else f"after {tr.steps} steps the loss gap is {fmt(float(final[i]))}")
            out.append(f"{head}{title.split(' on ')[0]} from ({x0:.2f}, {y0:.2f}): {fate}{tail}")
        return out

    def _readouts(self, final):
        """One readout per stop; ``final``: every run's last loss gap (its last loss without a minimum)."""
        tr = self.sweep
        has_min = len(self.surface.minima) > 0
        settled = tr.steps_to(self.tol) if has_min else None
        rates = tr.rate() if has_min and tr.steps >= 10 else None
        predicted, why = self._predicted()
        out = []
        for i in range(len(self.stops)):
            if tr.diverged[i]:
                out.append(diverged_readout(int(tr.diverged_at[i])))
                continue
            parts = [f"final loss {'− J* ' if has_min else ''}= {fmt(float(final[i]))}"]  # not self.gaps: NaN at 0
            if has_min:
                parts.append(settled_text(int(settled[i]), self.tol, tr.steps))
            if rates is not None and np.isfinite(rates[i]):
                text = f"rate per step: measured {float(rates[i]):.3f}"
                if predicted is not None:
                    text += f", predicted {float(predicted[i]):.3f}"
                    if settled is not None and settled[i] < 0 and abs(rates[i] - predicted[i]) >= UNSETTLED_GAP:
                        text += " (not settled yet: the measured rate still holds the run's transient)"
                if why:
                    text += f" ({why})"
                parts.append(text)
            out.append([["", " · ".join(parts)]])
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
