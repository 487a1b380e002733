"""Prototype (phase 1 of issue 11): the main Explorer on the canvas widget and the one Controller.

The same figure as stepviz.widgets.Explorer (contours + path, loss curve, step-size strip), but the
kernel runs every stop of the step-size slider in one batched run and the browser draws the moving
layer; the static layer is a matplotlib picture re-rendered per axes only when it changed.
"""
from __future__ import annotations

import base64

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter

from .. import plotting, theory
from ..optimizers import OPTIMIZERS, Optimizer, make_optimizer
from ..run import run
from ..schedules import inverse_time
from ..surfaces import SURFACES, QuadraticBowl, get_surface
from .canvas import LiveCanvas, axes_box
from .controller import Controller
from .controls import PlayButton, StepSizeSlider, log_stops, play_seconds
from .picture import StaticPicture, new_figure

LR_RANGE = (1e-4, 2.0)
MOMENTUM_METHODS = ("Momentum", "Nesterov")
RATE_THEORY = {"GD": theory.gd_rate, "Momentum": theory.momentum_rate, "Nesterov": theory.nesterov_rate}
PATH = "#D55E00"  # Okabe-Ito vermillion
STATE_BUDGET = 1_200_000  # bytes of float32 sweep data per explorer (x 4/3 as base64 in a saved page)
MAX_STOPS = 201
FIG_PX = (760, 330)


def _fmt(x) -> str:
    return f"{x:.3g}"


def _set(ax, xlim=None, ylim=None):
    """Set limits only when they differ: any set_*lim marks the axes stale (a new picture)."""
    if xlim is not None and tuple(ax.get_xlim()) != tuple(map(float, xlim)):
        ax.set_xlim(*xlim)
    if ylim is not None and tuple(ax.get_ylim()) != tuple(map(float, ylim)):
        ax.set_ylim(*ylim)


def stop_count(floats_per_stop: int) -> int:
    """How many step sizes the sweep can hold within STATE_BUDGET (odd, 11 ... MAX_STOPS)."""
    n = int(STATE_BUDGET // (4 * max(floats_per_stop, 1)))
    n = max(11, min(MAX_STOPS, n))
    return n if n % 2 else n - 1


class CanvasExplorer(widgets.VBox):
    def __init__(self, surface="bowl", optimizer="GD", *, lr=0.05, decay=0.0, momentum=0.9, steps=100,
                 start=None, noise=0.0, seed=0, tol=1e-6):
        self._surfaces = {name: get_surface(name) for name in SURFACES}
        surface = get_surface(surface)
        self._surfaces[surface.name] = surface
        if isinstance(optimizer, Optimizer):
            optimizer = optimizer.name
        make_optimizer(optimizer, lr=lr)
        self.surface, self.noise, self.seed, self.tol = surface, noise, seed, tol
        self.controls = self._make_controls(surface, optimizer, lr, decay, momentum, steps, start)
        self.figure = new_figure(FIG_PX)
        self._build_figure()
        self.picture = StaticPicture(self.figure)
        self.canvas = LiveCanvas(controls={"lr": self.controls["lr"], "iteration": self.controls["iteration"],
                                           "play": self.controls["play"],
                                           "kernel": [self.controls[n] for n in
                                                      ("surface", "optimizer", "decay", "momentum", "steps", "x0", "y0")]})
        super().__init__([self.canvas, self._layout_controls()])
        self.add_class("stepviz-explorer")
        self.controller = Controller(self.controls, self._update, observe=[n for n in self.controls if n != "play"])
        self._set_surface(surface)
        self._recompute()
        self.picture.freeze()  # lay out once, with every static label and legend in place
        self._render()

    # --- controls -------------------------------------------------------------------------------
    def _make_controls(self, surface, optimizer, lr, decay, momentum, steps, start):
        wide = widgets.Layout(width="360px")
        style = {"description_width": "96px"}
        start = surface.start if start is None else np.asarray(start, dtype=float)
        (xa, xb), (ya, yb) = surface.bounds
        iteration = widgets.IntSlider(value=steps, min=0, max=steps, description="iteration", style=style,
                                      layout=widgets.Layout(width="250px"))
        c = {
            "surface": widgets.Dropdown(options=list(self._surfaces), value=surface.name, description="surface",
                                        style=style, layout=wide),
            "optimizer": widgets.Dropdown(options=list(OPTIMIZERS), value=optimizer, description="optimizer",
                                          style=style, layout=wide),
            "lr": StepSizeSlider(lr, log_stops(*LR_RANGE, stop_count(3 * (steps + 1)), keep=lr)),
            "decay": widgets.FloatSlider(value=decay, min=0.0, max=0.2, step=0.001, description="decay",
                                         readout_format=".3f", style=style, layout=wide),
            "momentum": widgets.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01, description="momentum γ",
                                            style=style, layout=wide),
            "steps": widgets.IntSlider(value=steps, min=1, max=1000, description="steps", style=style, layout=wide),
            "x0": widgets.FloatSlider(value=start[0], min=xa, max=xb, step=0.01, description="start θ₁",
                                      style=style, layout=wide),
            "y0": widgets.FloatSlider(value=start[1], min=ya, max=yb, step=0.01, description="start θ₂",
                                      style=style, layout=wide),
            "iteration": iteration,
            "play": PlayButton(iteration, seconds=play_seconds(steps)),
        }
        c["steps"].add_class("stepviz-steps")
        return c

    def _layout_controls(self):
        c = self.controls
        left = widgets.VBox([c["surface"], c["optimizer"], c["lr"], c["decay"], c["momentum"]])
        right = widgets.VBox([c["steps"], c["x0"], c["y0"], widgets.HBox([c["play"], c["iteration"]])])
        return widgets.HBox([left, right])

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
        self.ax_lr.set_xlim(*LR_RANGE)
        self.ax_lr.set_ylim(0, 1.65)
        self.ax_lr.set_xlabel(r"step size $\alpha$", fontsize=9)
        self.ax_lr.grid(True, alpha=0.3)
        self._rate_one = self.ax_lr.axhline(1.0, color="gray", lw=0.8, ls="--")
        (self.rate_curve,) = self.ax_lr.plot([], [], color="black", lw=1.4)
        self.limit_line = self.ax_lr.axvline(1, color="#0072B2", lw=1.6)
        self.optimal_line = self.ax_lr.axvline(1, color="#009E73", lw=1.6, ls="--")
        for ax in (self.ax_path, self.ax_loss, self.ax_lr):
            ax.tick_params(labelsize=8)
        for ax in (self.ax_loss, self.ax_lr):
            for axis in (ax.xaxis, ax.yaxis):
                axis.set_minor_formatter(NullFormatter())
        self.ax_path.set_title(" ", fontsize=10)
        self.ax_loss.set_title(" ", fontsize=9)
        self.ax_lr.set_title(" ", fontsize=8)
        self._surface_artists = {}

    def _set_surface(self, surface):
        for a in self._surface_artists.values():
            a.remove()
        self._surface_artists = plotting.plot_surface(surface, self.ax_path)
        self.ax_path.set_title(" ", fontsize=10)
        self.ax_path.set_xlabel(r"$\theta_1$", fontsize=9)
        self.ax_path.set_ylabel(r"$\theta_2$", fontsize=9)
        self.surface = surface
        x0, y0 = self.controls["x0"], self.controls["y0"]
        (xa, xb), (ya, yb) = surface.bounds
        for w, (a, b), v in ((x0, (xa, xb), surface.start[0]), (y0, (ya, yb), surface.start[1])):
            w.min, w.max = -1e9, 1e9
            w.min, w.max, w.value = a, b, float(v)

    def _strip(self, name, gamma, start):
        s = self.surface
        handles = []
        ax = self.ax_lr
        if isinstance(s, QuadraticBowl) and name in RATE_THEORY:
            lrs = np.geomspace(*LR_RANGE, 200)
            args = (gamma,) if name in MOMENTUM_METHODS else ()
            self.rate_curve.set_data(lrs, np.minimum(RATE_THEORY[name](s, lrs, *args), 1.6))
            limit = theory.momentum_lr_limit(s, gamma) if name == "Momentum" else theory.lr_limit(s)
            optimal = theory.optimal_momentum(s)[0] if name == "Momentum" else theory.optimal_lr(s)
            self.limit_line.set_xdata([limit, limit])
            self.optimal_line.set_xdata([optimal, optimal])
            self.limit_line.set_visible(name != "Nesterov")
            self.optimal_line.set_visible(name != "Nesterov")
            handles.append(Line2D([], [], color="black", lw=1.4, label="rate (theory)"))
            if name != "Nesterov":
                handles.append(Line2D([], [], color="#0072B2", lw=1.6, label="limit"))
                handles.append(Line2D([], [], color="#009E73", lw=1.6, ls="--", label="optimal"))
            ax.set_ylabel("rate per step", fontsize=8)
            ax.set_yticks([0, 1])
            self._rate_one.set_visible(True)
            title = "theory on this bowl (constant α)"
        else:
            self.rate_curve.set_data([], [])
            self.optimal_line.set_visible(False)
            local = theory.local_lr_limit(s, start)
            self.limit_line.set_visible(bool(np.isfinite(local)) and name in RATE_THEORY)
            if np.isfinite(local):
                self.limit_line.set_xdata([local, local])
                handles.append(Line2D([], [], color="#0072B2", lw=1.6, label="local limit"))
            ax.set_ylabel("")
            ax.set_yticks([])
            self._rate_one.set_visible(False)
            title = "no closed-form rate here" if name in RATE_THEORY else f"{name} rescales α per coordinate"
        handles.append(Line2D([], [], color=PATH, lw=2.5, label="your α"))
        ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), framealpha=0.9,
                  borderaxespad=0)
        ax.set_title(title, fontsize=8)

    # --- updates ----------------------------------------------------------------------------------
    def optimizer(self, lr=None):
        c = self.controls
        lr = c["lr"].value if lr is None else lr
        if c["decay"].value:
            lr = inverse_time(lr, c["decay"].value)
        return make_optimizer(c["optimizer"].value, lr=lr, momentum=c["momentum"].value)

    def _update(self, changed):
        c = self.controls
        if "surface" in changed and c["surface"].value != self.surface.name:
            self._set_surface(self._surfaces[c["surface"].value])
        if changed <= {"lr", "iteration"} and getattr(self, "sweep", None) is not None \
                and list(self.stops) == list(c["lr"].stops):
            self._select()
            return
        self._recompute()
        self._render()

    def _recompute(self):
        c = self.controls
        steps = c["steps"].value
        n = stop_count(3 * (steps + 1))
        if n != len(c["lr"].stops):
            c["lr"].set_stops(log_stops(*LR_RANGE, n), c["lr"].value)
        self.stops = np.array(c["lr"].stops)
        start = np.array([c["x0"].value, c["y0"].value])
        self.sweep = run(self.optimizer(self.stops), self.surface, start, steps, noise=self.noise, seed=self.seed)
        it = c["iteration"]
        it.max = steps
        if not c["play"].playing:
            it.value = steps
        c["play"].seconds = play_seconds(steps)
        self._draw_static(start)

    def _render(self):
        self.canvas.set_picture(self.picture.render(), self.picture.size)
        self._ship()
        self._select()

    def _select(self):
        i = self.controls["lr"].index
        self.trajectory = self.sweep[i]

    def _draw_static(self, start):
        c = self.controls
        name = c["optimizer"].value
        values, label = plotting.loss_gap(self.sweep)
        self.gaps = values
        first = values[0, 0] if np.isfinite(values[0, 0]) and values[0, 0] > 0 else 1.0
        steps = self.sweep.steps
        _set(self.ax_loss, ylim=(first * 1e-12, first * 1e3), xlim=(0, max(steps, 1)))
        if self.ax_loss.get_ylabel() != label:
            self.ax_loss.set_ylabel(label, fontsize=8)
        if self.ax_loss.get_title() != f"loss ({name})":
            self.ax_loss.set_title(f"loss ({name})", fontsize=9)
        bowl = isinstance(self.surface, QuadraticBowl)
        key = (name, self.surface.name, c["momentum"].value if bowl and name in MOMENTUM_METHODS else None,
               None if bowl else tuple(start))
        if key != getattr(self, "_strip_key", None):
            self._strip_key = key
            self._strip(name, c["momentum"].value, start)

    def _ship(self):
        tr, c = self.sweep, self.controls
        name = c["optimizer"].value
        points = np.moveaxis(tr.points, 0, 1)  # (stops, T, 2)
        with np.errstate(all="ignore"):
            gaps = np.where(self.gaps > 0, self.gaps, np.nan).T  # (stops, T)
        args = (c["momentum"].value,) if name in MOMENTUM_METHODS else ()
        bowl = isinstance(self.surface, QuadraticBowl) and name in RATE_THEORY
        rate_at = np.minimum(RATE_THEORY[name](self.surface, self.stops, *args), 1.6) if bowl else np.full(len(self.stops), np.nan)
        arrays = {"stops": self.stops[None], "path": points, "loss": gaps, "diverged": tr.diverged_at[:, None],
                  "rate": rate_at[:, None]}
        ax_path, ax_loss, ax_lr = (axes_box(a) for a in (self.ax_path, self.ax_loss, self.ax_lr))
        ms = 100 / 72
        marks = [
            {"kind": "line", "axes": 0, "data": "path", "upto": "iteration", "color": PATH, "width": 1.8 * ms,
             "dots": 4 * ms},
            {"kind": "marker", "axes": 0, "data": "path", "at": "start", "shape": "o", "size": 8 * ms,
             "fill": PATH, "edge": "black", "edgeWidth": 1},
            {"kind": "marker", "axes": 0, "data": "path", "at": "iteration", "shape": "o", "size": 7 * ms,
             "fill": "white", "edge": PATH, "edgeWidth": 2 * ms, "when": "alive", "diverged": "diverged"},
            {"kind": "marker", "axes": 0, "data": "path", "at": "last", "shape": "X", "size": 12 * ms,
             "fill": PATH, "edge": "black", "edgeWidth": 1, "when": "gone", "diverged": "diverged", "clip": False},
            {"kind": "text", "axes": 0, "at": "status", "texts": "status", "size": 12},
            {"kind": "text", "axes": 0, "at": "title", "texts": "title", "size": 13, "clip": False},
            {"kind": "line", "axes": 1, "data": "loss", "color": PATH, "width": 1.8 * ms},
            {"kind": "vline", "axes": 1, "at": "iteration", "color": "gray", "width": 1, "dash": [1.5, 2.5]},
            {"kind": "vline", "axes": 2, "at": "stop", "color": PATH, "width": 2.5 * ms},
            {"kind": "point", "axes": 2, "x": "stop", "y": "rate", "shape": "o", "size": 6 * ms, "fill": PATH,
             "edge": PATH},
        ]
        lrs = self.stops
        decay = c["decay"].value
        titles = [f"{name}, α = {_fmt(a)}" + (f", decay {decay:g}" if decay else "")
                  + (f", γ = {c['momentum'].value:g}" if name in MOMENTUM_METHODS else "") + f" on {self.surface.name}"
                  for a in lrs]
        status = [[[0, "iteration {k}"]] + ([[int(d), f"iteration {{k}} · diverged at step {int(d)}"]] if d >= 0 else [])
                  for d in tr.diverged_at]
        texts = {"title": titles, "status": status, "readout": self._readouts(), "alt": self._alts(titles)}
        self.canvas.show([ax_path, ax_loss, ax_lr], marks, arrays, texts)

    def _readouts(self):
        tr, c = self.sweep, self.controls
        name = c["optimizer"].value
        has_min = len(self.surface.minima) > 0
        gap_end = self.gaps[-1]
        reached = tr.steps_to(self.tol) if has_min else None
        rates = tr.rate() if has_min and tr.steps >= 10 else None
        bowl = isinstance(self.surface, QuadraticBowl) and name in RATE_THEORY and c["decay"].value == 0
        args = (c["momentum"].value,) if name in MOMENTUM_METHODS else ()
        predicted = RATE_THEORY[name](self.surface, self.stops, *args) if bowl else None
        out = []
        for i in range(len(self.stops)):
            if tr.diverged[i]:
                out.append(f"<b style='color:#b00'>⚠ diverged at step {int(tr.diverged_at[i])}</b>: the path left "
                           "the plot window far behind. Try a smaller step size.")
                continue
            parts = [f"final loss − J* = {_fmt(float(gap_end[i]))}" if has_min else
                     f"final loss = {_fmt(float(tr.losses[-1, i]))}"]
            if has_min:
                k = int(reached[i])
                parts.append(f"reached {self.tol:g} at step {k}" if k >= 0 else f"not within {self.tol:g} after {tr.steps} steps")
            if rates is not None:
                text = f"rate per step: measured {float(rates[i]):.3f}"
                if predicted is not None:
                    text += f", predicted {float(predicted[i]):.3f}"
                parts.append(text)
            out.append(" · ".join(parts))
        return out

    def _alts(self, titles):
        return [f"Contour plot of the {self.surface.name} surface with the path of {t.split(' on ')[0]}, its loss "
                "against the iteration on a log scale, and the chosen step size on a strip of step sizes"
                for t in titles]

    @property
    def readout(self) -> str:
        return self.canvas.texts["readout"][self.controls["lr"].index]

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        data = data[0] if isinstance(data, tuple) else data
        data["image/png"] = base64.b64encode(self.canvas.picture).decode("ascii")
        data["text/plain"] = f"Explorer: {self.controls['optimizer'].value} on {self.surface.name}"
        return data


def explore_canvas(surface="bowl", optimizer="GD", **initial) -> CanvasExplorer:
    return CanvasExplorer(surface, optimizer, **initial)
