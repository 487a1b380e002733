"""The saddle explorer (lesson 03): GD near a saddle point, the escape speed against the step size."""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import _format
from ..analysis.quadratic import escape_steps
from ..engine import run
from ..optim.rules import GD
from ..problems.surfaces import Saddle
from ..viz.contours import plot_surface
from ..viz.style import PATH_COLOR
from .figure import STYLE, WIDE, PlotExplorer


class SaddleExplorer(PlotExplorer):
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
        plot_surface(self.surface, ax_path)
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
        self.over[self.ax_path].set_title(f"GD, α = {_format.num(lr)}, start θ₂ = {self.start[1]:.1e}", fontsize=10)

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
        pred = float(escape_steps(lr, y0, self.threshold))
        if y0 == 0:
            return (f"never escapes: on the stable line the gradient has no θ₂ part, so GD slides into the saddle "
                    f"point (final loss {_format.num(float(tr.final_loss))}, saddle value 0)")
        text = f"escaped at step {k}" if k >= 0 else f"not escaped after {tr.steps} steps"
        return f"{text} · linear prediction log({self.threshold:g}/|θ₂⁰|) / log(1 + α) = {pred:.1f} steps"


def saddle_explorer(**initial) -> SaddleExplorer:
    """A :class:`SaddleExplorer`: GD near a saddle point, with the escape speed against the step size."""
    return SaddleExplorer(**initial)
