"""The local-limit explorer (lesson 03): GD along a curved valley, with the local limit 2/lambda_max of
the Hessian along the path against the step size."""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from .. import _validate
from ..analysis.quadratic import local_lr_limit
from ..engine import run
from ..optim.rules import GD
from ..problems.surfaces import get_surface
from ..viz.contours import plot_surface
from ..viz.style import LIMIT_COLOR, PATH_COLOR
from .controls import Whole, scalar
from .sweep_controls import StepSize
from .figure import LiveFigure
from .limits import set_limits
from .marks import PT, diverged_readout, path_legend, path_marks, status_texts, title_mark
from .scene import Above, HLine, Line, Scene, VLine, fmt

MAX_STEPS = 5000
LIMIT_POINTS = 300  # the limit curve is shipped at most this fine (the axes are ~400 px wide)


def limit_step(steps: int) -> int:
    """Every how many iterations the browser gets the local limit (1 for runs up to LIMIT_POINTS steps)."""
    return max(1, -(-(steps + 1) // LIMIT_POINTS))


def sweep_limits(points, surface) -> np.ndarray:
    """2 / lambda_max(H) at every finite point of ``points`` (..., 2); NaN where a run has diverged."""
    finite = np.isfinite(points).all(axis=-1)
    out = np.full(points.shape[:-1], np.nan)
    if finite.any():
        out[finite] = local_lr_limit(surface, points[finite])
    return out


class LocalLimitExplorer(LiveFigure):
    """GD on a curved surface (default: Rosenbrock): the path, and beside it the local limit
    2 / lambda_max(H(theta_k)) along the path with the step size alpha.

    ``controls``: 'lr' (StepSizeSlider over ``lr_range``), 'steps', 'iteration', 'play'. ``trajectory`` is
    the run shown; ``limits`` the local limits along it.
    """

    def __init__(self, surface="rosenbrock", *, lr=1e-3, steps=1000, start=None, lr_range=(1e-4, 10 ** -1.5)):
        self.surface = get_surface(surface)
        low, high = (scalar("lr_range[0]", lr_range[0], 1e-8, 10.0, what="a positive step size"),
                     scalar("lr_range[1]", lr_range[1], 1e-8, 10.0, what="a positive step size"))
        if not low < high:
            raise ValueError(f"lr_range must be (low, high) with 0 < low < high; got {lr_range!r}")
        self.lr_range = (low, high)
        self.start = self.surface.start if start is None else _validate.points("start", start)
        specs = {"lr": StepSize(low, high), "steps": Whole(1, MAX_STEPS, "steps")}
        super().__init__(specs, {"lr": lr, "steps": steps}, [["lr"], ["steps", ["play", "iteration"]]])

    def floats_per_stop(self, values):
        steps = values["steps"]  # path (x, y), the limit curve (thinned), diverged
        return 2 * (steps + 1) + -(-(steps + 1) // limit_step(steps)) + 1

    def step_marks(self):
        """The local limit at the start and at the first minimum."""
        marks = {"limit at start": float(local_lr_limit(self.surface, self.start))}
        if len(self.surface.minima):
            marks["limit at minimum"] = float(local_lr_limit(self.surface, self.surface.minima[0]))
        return marks

    def _build_figure(self):
        ax_path, ax_lim = self.figure.subplots(1, 2, width_ratios=(1.0, 1.15))
        self.ax_path, self.ax_lim = ax_path, ax_lim
        plot_surface(self.surface, ax_path)
        ax_path.set_title(" ", fontsize=10)  # room for the title the browser draws
        path_legend(ax_path, PATH_COLOR, loc="upper right")
        ax_lim.set_yscale("log")
        ax_lim.set_ylim(*self.lr_range)
        ax_lim.set_xlim(0, max(self.controls["steps"].value, 1))
        ax_lim.set_xlabel("iteration k", fontsize=9)
        ax_lim.set_ylabel("step size", fontsize=9)
        ax_lim.set_title("local limit along the path", fontsize=9)
        ax_lim.grid(True, which="major", alpha=0.3)
        ax_lim.legend(handles=[Line2D([], [], color=LIMIT_COLOR, lw=1.6, label=r"local limit $2/\lambda_{max}(H(\theta_k))$"),
                               Line2D([], [], color="black", ls="--", lw=1.4, label=r"your step size $\alpha$"),
                               Line2D([], [], color=PATH_COLOR, marker="v", ms=4, ls="none",
                                      label=r"$\alpha$ above the local limit")],
                      fontsize=7, loc="upper right", framealpha=0.85)
        for ax in (ax_path, ax_lim):
            ax.tick_params(labelsize=8)

    def _compute(self, changed):
        steps = self.controls["steps"].value
        self.sweep = run(GD(lr=self.stops), self.surface, self.start, steps)
        self.sweep_limits = sweep_limits(self.sweep.points, self.surface)  # (steps + 1, stops)
        self._show_whole_run(steps)
        set_limits(self.ax_lim, xlim=(0, max(steps, 1)))

    def _select(self):
        super()._select()
        self.limits = self.sweep_limits[:, self.controls["lr"].index]

    def _scene(self):
        tr = self.sweep
        limits = np.where(np.isfinite(self.sweep_limits), self.sweep_limits, np.nan).T
        every = limit_step(tr.steps)
        arrays = {"stops": self.stops[None], "path": np.moveaxis(tr.points, 0, 1), "limits": limits[:, ::every],
                  "diverged": tr.diverged_at[:, None]}
        marks = path_marks(0, PATH_COLOR, dots=tr.steps <= 300) + [
            title_mark(0),
            Line(axes=1, data="limits", color=LIMIT_COLOR, width=1.6 * PT, xstep=every),
            HLine(axes=1, at="stop", color="black", width=1.4 * PT, dash=(5, 3)),
            Above(axes=1, data="limits", shape="v", size=4 * PT, fill=PATH_COLOR, edge=PATH_COLOR, xstep=every),
            VLine(axes=1, at="iteration", color="#555555", width=1, dash=(2, 3)),
        ]
        titles = [f"GD, α = {fmt(a)} on {self.surface.name}" for a in self.stops]
        texts = {"title": titles, "status": status_texts(tr.diverged_at), "readout": self._readouts(limits),
                 "alt": [f"Contour plot of {self.surface.name} with the path of {t.split(' on ')[0]}; beside it the "
                         "local limit 2/λmax along the path against the iteration, on a log scale, with the step "
                         "size as a dashed line and a marker wherever the step exceeds the limit." for t in titles]}
        return Scene([self.ax_path, self.ax_lim], marks, arrays, texts)

    def _readouts(self, limits):
        tr = self.sweep
        gap = tr.gap()[-1]
        out = []
        for i, lr in enumerate(self.stops):
            if tr.diverged[i]:
                out.append(diverged_readout(int(tr.diverged_at[i]), "the path left the window"))
                continue
            lim = limits[i][np.isfinite(limits[i])]
            over = int(np.sum(lr > lim))
            out.append([["", f"final loss − J* = {fmt(float(gap[i]))} · local limit at the end: "
                             f"{fmt(float(lim[-1])) if lim.size else '∞'} · α above the local limit at {over} of "
                             f"{tr.steps + 1} iterates"]])
        return out


def local_limit_explorer(surface="rosenbrock", **initial) -> LocalLimitExplorer:
    """A :class:`LocalLimitExplorer`: GD on a curved valley, with the local limit 2/lambda_max along the path.
    ``initial``: lr, steps, start, lr_range."""
    return LocalLimitExplorer(surface, **initial)


__all__ = ["LocalLimitExplorer", "local_limit_explorer", "sweep_limits"]
