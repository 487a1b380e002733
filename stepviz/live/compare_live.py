"""Comparing runs live: the explorer of any surface and optimizer with a 'pin this run' button.

A pin keeps the run shown (its path, its loss curve, its fate) as data of the scene: the browser draws up to
:data:`MAX_PINS` pinned runs under the live one, each in its own colour, dash and marker
(``viz.style.run_style(1 ... 4)``; the live run keeps run 0's vermillion, solid line and disc), all following
the iteration slider, so Play animates them together. Pins are arrays whose first axis is 1 (the same for
every stop of the step-size slider): dragging the step size moves only the live run, and a saved page keeps
the pinned runs drawn and animated without a kernel. A legend beside the loss axes names every run.
``compare(..., live=True)`` (or :func:`compare_explorer`) starts with the given runs pinned.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.lines import Line2D

from ..engine import Trajectory, run
from ..viz.curves import loss_gap
from ..viz.paths import short_label
from ..viz.style import INK, PAPER, PATH_COLOR, PATH_LINESTYLES, PATH_MARKERS, run_style
from .compare import comparison_runs
from .controls import Action
from .panel import FIRST
from .explorer import Explorer
from .marks import PT
from .scene import Line, Marker, fmt
from . import sizing

MAX_PINS = 4
PIN_WIDTH = 1.6  # points
#: The legend's widest label: every layout (`_lay_out`) leaves this much room beside the loss axes.
_ROOM = "Momentum, α = 0.0123, γ = 0.9"


@dataclass(frozen=True)
class Pin:
    """One pinned run: its label, path (n, 2), loss gap (n,) (NaN where it is 0 or after divergence) and run."""

    label: str
    path: np.ndarray
    gaps: np.ndarray
    trajectory: Trajectory

    @property
    def diverged_at(self) -> int:
        return int(np.asarray(self.trajectory.diverged_at).reshape(-1)[0])


def pin_of(trajectory: Trajectory, label: str) -> Pin:
    """A :class:`Pin` of a single run."""
    values, _ = loss_gap(trajectory)
    with np.errstate(invalid="ignore"):
        gaps = np.where(values > 0, values, np.nan).reshape(-1)
    return Pin(label, np.asarray(trajectory.points, dtype=float).reshape(-1, 2), gaps, trajectory)


def dash_px(linestyle, width_pt: float = PIN_WIDTH) -> tuple:
    """Matplotlib's dash pattern of ``linestyle`` at ``width_pt`` as canvas pixels (() for a solid line)."""
    _, dashes = Line2D([], [], ls=linestyle, lw=width_pt)._dash_pattern
    return tuple(float(d) * PT for d in dashes) if dashes else ()


def pin_style(i: int) -> dict:
    """Colour, matplotlib line style, canvas dash (px) and marker of pin ``i`` (run i + 1 of the palette)."""
    style = run_style(i + 1)
    return {**style, "dash": dash_px(style["linestyle"])}


def _fate(pin: Pin, tol: float) -> str:
    tr = pin.trajectory
    if pin.diverged_at >= 0:
        return f"{pin.label}: diverged at step {pin.diverged_at}"
    gap = pin.gaps[-1] if np.isfinite(pin.gaps[-1]) else 0.0
    return f"{pin.label}: final loss gap {fmt(float(gap))} after {tr.steps} steps"


class CompareExplorer(Explorer):
    """:class:`~stepviz.live.explorer.Explorer` plus 'pin this run' and 'clear pinned runs' buttons.

    ``pins``: the pinned runs (:class:`Pin`, oldest first); ``pin()`` keeps the run shown, ``unpin()`` lets
    them all go (so does a new surface: their paths would belong to another window). ``pinned``: runs
    (Trajectory, label) pinned from the start.
    """

    first_controls = FIRST + ("pin", "unpin")  # pinning is what a comparison is for: never hidden

    def __init__(self, surface="bowl", optimizer="GD", *, pinned=(), **initial):
        self.pins: list[Pin] = [pin_of(tr, label) for tr, label in pinned]
        if len(self.pins) > MAX_PINS:
            raise ValueError(f"an explorer compares at most {MAX_PINS} pinned runs besides the live one; got "
                             f"{len(self.pins)}")
        super().__init__(surface, optimizer, **initial)
        self.controls["pin"].on_click(lambda _button: self.pin())
        self.controls["unpin"].on_click(lambda _button: self.unpin())

    def floats_per_stop(self, values):
        # each stop's readout and alt text also name every pinned run's fate (~240 bytes a pin): counted, so the
        # stored state stays within its 2 MB (09's comparison of five methods stored 2.08 MB without this)
        return super().floats_per_stop(values) + 60 * MAX_PINS

    def _extend(self, specs, values, columns):
        specs, values, columns = super()._extend(specs, values, columns)
        specs = {**specs, "pin": Action("pin this run", icon="thumb-tack",
                                        tooltip="keep the run shown (up to 4) and go on dragging"),
                 "unpin": Action("clear pinned runs", icon="times", tooltip="let every pinned run go")}
        columns = [list(c) for c in columns]
        columns[-1].append(["pin", "unpin"])
        return specs, values, columns

    # --- the pins ---------------------------------------------------------------------------------
    def pin(self):
        """Keep the run shown as a pinned run (at most MAX_PINS: the explorer says so beyond)."""
        self._require_open()
        if len(self.pins) >= MAX_PINS:
            self.canvas.set_trait("error", f"{MAX_PINS} runs are pinned already: clear them to pin another")
            return
        i = self.controls["lr"].index
        run_shown = self.sweep[i]
        self.pins.append(pin_of(run_shown, short_label(self.optimizer(float(self.stops[i])))))
        self._pins_changed()

    def unpin(self):
        """Let every pinned run go."""
        self._require_open()
        self.pins = []
        self._pins_changed()

    def _pins_changed(self):
        self.canvas.set_trait("error", "")
        self._render()

    def _render(self):
        # the legend of the pins shown; at build the widest one stood in for it while the layout was made
        self._legend()
        super()._render()

    def _lay_out(self, scene):
        # room for the widest legend it will hold, not for the one shown now: laid out at the browser's width with
        # short labels, a longer label pinned later was cut at the figure's edge
        self._legend([_ROOM] * (MAX_PINS + 1))
        sizing.readable(self.figure)
        super()._lay_out(scene)
        self._legend()
        sizing.readable(self.figure)

    def close(self):
        """As every explorer's close, and the pinned runs go too."""
        super().close()
        self.pins = []

    def _sync_controls(self, changed):
        if "surface" in changed and self.pins and self.controls["surface"].value != self.surface.name:
            self.pins = []
        super()._sync_controls(changed)

    @property
    def labels(self) -> list[str]:
        """The pinned runs' labels and the live run's (last), as :class:`~stepviz.live.compare.Comparison`."""
        self._require_open()
        return [p.label for p in self.pins] + [short_label(self.optimizer())]

    @property
    def trajectories(self) -> list[Trajectory]:
        """The pinned runs and the run shown (last)."""
        self._require_open()
        return [p.trajectory for p in self.pins] + [self.trajectory]

    def summary(self, tol=None) -> str:
        """One line per run: the pinned ones, then the one shown."""
        tol = self.tol if tol is None else tol
        return "\n".join(f"{label}: {tr.summary(tol)}" for tr, label in zip(self.trajectories, self.labels))

    # --- figure and scene -------------------------------------------------------------------------
    def _build_figure(self):
        super()._build_figure()
        self._pin_legend, self._legend_key = None, None  # made by _render; _lay_out reserves room for the widest

    def _legend(self, labels=None):
        """The legend of the live run and the pinned ones, beside the loss axes (outside the data)."""
        key = tuple(labels) if labels else tuple(p.label for p in self.pins)
        if self._pin_legend is not None and key == self._legend_key:
            return  # the same runs pinned (a change of the live run): the legend drawn already holds
        self._legend_key = key
        if self._pin_legend is not None:
            self._pin_legend.remove()
        live = Line2D([], [], color=PATH_COLOR, lw=PIN_WIDTH, marker="o", mfc=PAPER, mec=PATH_COLOR, ms=5,
                      label=labels[0] if labels else "the run shown")
        handles = [live]
        for i in range(len(labels) - 1 if labels else len(self.pins)):
            s = pin_style(i)
            label = labels[i + 1] if labels else self.pins[i].label
            handles.append(Line2D([], [], color=s["color"], ls=s["linestyle"], lw=PIN_WIDTH, marker=s["marker"],
                                  mfc=PAPER, mec=s["color"], ms=5, label=label))
        self._pin_legend = self.ax_loss.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                                               borderaxespad=0, fontsize=7, framealpha=0.9)

    def _scene(self):
        scene = super()._scene()
        under = []
        for i, p in enumerate(self.pins):
            s, name = pin_style(i), f"pin{i}"
            scene.arrays.update({f"{name}_path": p.path[None], f"{name}_loss": p.gaps[None],
                                 f"{name}_diverged": np.array([[p.diverged_at]], dtype=float)})
            div = f"{name}_diverged"
            under += [
                Line(axes=0, data=f"{name}_path", upto="iteration", color=s["color"], width=PIN_WIDTH * PT,
                     dash=s["dash"]),
                Marker(axes=0, data=f"{name}_path", at="start", shape=s["marker"], size=7 * PT, fill=s["color"],
                       edge=INK),
                Marker(axes=0, data=f"{name}_path", at="iteration", shape=s["marker"], size=7 * PT, fill=PAPER,
                       edge=s["color"], edge_width=1.5 * PT, when="alive", diverged=div),
                Marker(axes=0, data=f"{name}_path", at="last", shape="X", size=10 * PT, fill=s["color"],
                       edge=INK, when="gone", diverged=div, clip=False),
                Line(axes=1, data=f"{name}_loss", color=s["color"], width=PIN_WIDTH * PT, dash=s["dash"]),
            ]
        scene.marks = under + scene.marks  # the live run on top
        if self.pins:
            fates = "; ".join(_fate(p, self.tol) for p in self.pins)
            scene.texts["readout"] = [r + [["br", ""], ["", f"Pinned: {fates}."]] for r in scene.texts["readout"]]
            scene.texts["alt"] = [f"{a} Pinned runs, drawn with it: {fates}." for a in scene.texts["alt"]]
        return scene


def compare_explorer(surface="bowl", optimizers=None, *, lrs=None, optimizer="GD", steps=100, start=None,
                     noise=0.0, seed=0, **hyperparameters) -> CompareExplorer:
    """Several step sizes or optimizers on one surface, live: every run but the last pinned, the last one live
    (drag its step size, pin it, change the optimizer). Arguments as :func:`stepviz.live.compare` (at most
    MAX_PINS + 1 runs); the step sizes must lie on the explorer's slider (1e-4 to 2)."""
    surface, optimizers, _, start = comparison_runs(surface, optimizers, lrs, optimizer, start, hyperparameters)
    labels = [short_label(o) for o in optimizers]
    if len(optimizers) > MAX_PINS + 1:
        raise ValueError(f"a live comparison holds at most {MAX_PINS + 1} runs ({MAX_PINS} pinned and the live "
                         f"one); got {len(optimizers)}: use compare(...) for a static figure of more")
    pinned = [(run(o, surface, start, steps, noise=noise, seed=seed), label)
              for o, label in zip(optimizers[:-1], labels[:-1])]
    return CompareExplorer(surface, optimizers[-1], pinned=pinned, steps=steps, start=start, noise=noise, seed=seed)


__all__ = ["CompareExplorer", "compare_explorer", "Pin", "pin_of", "pin_style", "dash_px", "MAX_PINS"]
