"""The saddle explorer (lesson 03): GD near a saddle point, with the escape from it against the step size."""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from ..analysis.quadratic import escape_steps
from ..engine import run
from ..optim.rules import GD
from ..problems.surfaces import Saddle
from ..viz.contours import plot_surface
from ..viz.style import PATH_COLOR
from .controls import Number, Switch, Whole, scalar
from .sweep_controls import StepSize
from .figure import LiveFigure
from .limits import set_limits
from .marks import PT, diverged_readout, path_legend, path_marks, status_texts, title_mark
from .scene import Line, Marker, Scene, fmt

LR_RANGE = (1e-3, 2.0)
OFFSET_RANGE = (1e-8, 10 ** -0.5)
MAX_STEPS = 1000
FLOOR = 1e-12  # |theta_2| = 0 (on the stable line) is drawn along the log axis' floor


class SaddleExplorer(LiveFigure):
    """GD on the saddle f = x^2/2 - y^2/2 + quartic y^4 from (x0, offset): the path, and |theta_2| against the
    iteration with the linear prediction offset (1 + alpha)^k and the escape threshold.

    ``controls``: 'lr' (StepSizeSlider), 'offset' (start theta_2, log scale), 'on_line' (start exactly at
    theta_2 = 0), 'steps', 'iteration', 'play'.
    """

    def __init__(self, *, lr=0.1, offset=1e-3, on_line=False, steps=100, quartic=0.25, x0=1.8, threshold=0.5):
        self.surface = Saddle(scalar("quartic", quartic, 0.0, 10.0, what="the saddle's quartic coefficient"))
        (xa, xb), (ya, yb) = self.surface.bounds
        self.x0 = scalar("x0", x0, xa, xb, what="the saddle's window")
        self.threshold = scalar("threshold", threshold, 1e-6, yb, what="a distance from the stable line")
        specs = {"lr": StepSize(*LR_RANGE),
                 "offset": Number(*OFFSET_RANGE, 0.1, "start θ₂", ".1e", log=True),
                 "on_line": Switch("start exactly on the stable line (θ₂ = 0)"),
                 "steps": Whole(1, MAX_STEPS, "steps")}
        values = {"lr": lr, "offset": offset, "on_line": on_line, "steps": steps}
        super().__init__(specs, values, [["lr", "offset"], ["on_line", "steps", ["play", "iteration"]]])

    def floats_per_stop(self, values):
        return 4 * (values["steps"] + 1) + 1  # path (x, y), |theta_2| and its prediction per iterate; diverged

    def _sync_controls(self, changed):
        self.controls["offset"].disabled = self.controls["on_line"].value

    @property
    def start(self):
        c = self.controls
        return np.array([self.x0, 0.0 if c["on_line"].value else c["offset"].value])

    def _build_figure(self):
        ax_path, ax_y = self.figure.subplots(1, 2, width_ratios=(1.0, 1.15))
        self.ax_path, self.ax_y = ax_path, ax_y
        plot_surface(self.surface, ax_path)
        ax_path.set_title(" ", fontsize=10)
        path_legend(ax_path, PATH_COLOR, loc="upper right")
        ax_y.axhline(self.threshold, color="gray", ls=":", lw=1.2)
        ax_y.set_yscale("log")
        ax_y.set_ylim(1e-9, 5)
        ax_y.set_xlim(0, max(self.controls["steps"].value, 1))
        ax_y.set_xlabel("iteration k", fontsize=9)
        ax_y.set_ylabel(r"$|\theta_2|$ (from the stable line)", fontsize=9)
        ax_y.set_title("escape from the saddle", fontsize=9)
        ax_y.grid(True, which="major", alpha=0.3)
        ax_y.legend(handles=[Line2D([], [], color=PATH_COLOR, lw=1.8, label=r"$|\theta_2|$ (GD)"),
                             Line2D([], [], color="black", ls="--", lw=1.2,
                                    label=r"linear prediction $|\theta_2^0|(1+\alpha)^k$"),
                             Line2D([], [], color="gray", ls=":", lw=1.2,
                                    label=rf"escaped: $|\theta_2| = {self.threshold:g}$")],
                    fontsize=7, loc="lower right", framealpha=0.85)
        for ax in (ax_path, ax_y):
            ax.tick_params(labelsize=8)

    def _compute(self, changed):
        steps = self.controls["steps"].value
        self.sweep = run(GD(lr=self.stops), self.surface, self.start, steps)
        self._show_whole_run(steps)
        set_limits(self.ax_y, xlim=(0, max(steps, 1)))

    def _scene(self):
        tr = self.sweep
        y = np.abs(tr.points[..., 1]).T  # (stops, steps + 1)
        y = np.where(y > FLOOR, y, FLOOR)
        k = np.arange(tr.steps + 1)
        with np.errstate(all="ignore"):
            pred = abs(self.start[1]) * (1 + self.stops[:, None]) ** k
        arrays = {"stops": self.stops[None], "path": np.moveaxis(tr.points, 0, 1), "y": y,
                  "prediction": np.where((pred > 0) & (pred < 10), pred, np.nan), "diverged": tr.diverged_at[:, None]}
        marks = path_marks(0, PATH_COLOR) + [
            title_mark(0),
            Line(axes=1, data="y", color=PATH_COLOR, width=1.8 * PT),
            Line(axes=1, data="prediction", color="black", width=1.2 * PT, dash=(4, 2.5)),
            Marker(axes=1, data="y", at="iteration", size=7 * PT, fill="white", edge=PATH_COLOR, edge_width=2 * PT),
        ]
        titles = [f"GD, α = {fmt(a)}, start θ₂ = {fmt(self.start[1])}" for a in self.stops]
        texts = {"title": titles, "status": status_texts(tr.diverged_at), "readout": self._readouts(),
                 "alt": [f"Contour plot of the saddle with the path of {t}; beside it the distance |θ₂| from the "
                         "stable line against the iteration on a log scale, with the linear prediction and the "
                         "escape threshold." for t in titles]}
        return Scene([self.ax_path, self.ax_y], marks, arrays, texts)

    def escape_step(self) -> int:
        """First iteration with |theta_2| >= threshold in the run shown (-1 if never)."""
        self._require_open()
        with np.errstate(invalid="ignore"):
            hit = np.abs(self.trajectory.points[:, 1]) >= self.threshold
        return int(np.argmax(hit)) if hit.any() else -1

    def _readouts(self):
        tr = self.sweep
        y0 = abs(self.start[1])
        with np.errstate(invalid="ignore"):
            hit = np.abs(tr.points[..., 1]) >= self.threshold  # (steps + 1, stops)
        out = []
        for i, lr in enumerate(self.stops):
            if tr.diverged[i]:
                out.append(diverged_readout(int(tr.diverged_at[i]), "the path left the window"))
            elif y0 == 0:
                out.append([["", "never escapes: on the stable line the gradient has no θ₂ part, so GD slides into "
                                 f"the saddle point (final loss {fmt(float(tr.losses[-1, i]))}, saddle value 0)"]])
            else:
                k = int(np.argmax(hit[:, i])) if hit[:, i].any() else -1
                pred = float(escape_steps(lr, y0, self.threshold))
                text = (f"escaped at step {k} (|θ₂| ≥ {self.threshold:g})" if k >= 0 else
                        f"not escaped after {tr.steps} steps")
                out.append([["", f"{text} · linear prediction log({self.threshold:g}/|θ₂⁰|) / log(1 + α) = "
                                 f"{pred:.1f} steps"]])
        return out


def saddle_explorer(**initial) -> SaddleExplorer:
    """A :class:`SaddleExplorer`: GD near a saddle point, with the escape speed against the step size.
    ``initial``: lr, offset, on_line, steps, quartic, x0, threshold."""
    return SaddleExplorer(**initial)


__all__ = ["SaddleExplorer", "saddle_explorer"]
