"""The local-limit explorer (lesson 03): GD along Rosenbrock's curved valley, the step size against
the local limit 2 / lambda_max along the path."""
from __future__ import annotations

import numpy as np

from .. import _format
from ..analysis.curvature import local_limits
from ..engine import run
from ..optim.rules import GD
from ..problems.surfaces import get_surface
from ..viz.contours import plot_surface
from ..viz.style import LIMIT_COLOR, PATH_COLOR
from .figure import PlotExplorer


class LocalLimitExplorer(PlotExplorer):
    """GD on a curved surface (default: Rosenbrock): the path, and next to it the local limit
    2 / lambda_max(H(theta_k)) along the path against the step size alpha.

    ``controls``: 'lr', 'steps', 'iteration', 'play'. ``trajectory`` is the current run, ``limits`` the
    local limits along it.
    """

    def __init__(self, surface="rosenbrock", *, lr=1e-3, steps=1000, start=None, lr_range=(-4.0, -1.5),
                 max_steps=5000, figsize=(9.6, 4.2)):
        self.surface = get_surface(surface)
        self.start = self.surface.start if start is None else np.asarray(start, dtype=float)
        self.lr_range = lr_range
        super().__init__(lr, lr_range, steps, max_steps, figsize, {})

    def _build_static(self):
        ax_path, ax_lim = self.figure.subplots(1, 2, width_ratios=(1.0, 1.15))
        self.ax_path, self.ax_lim = ax_path, ax_lim
        self._static_axes = [ax_path, ax_lim]
        plot_surface(self.surface, ax_path)
        ax_path.set_title(" ", fontsize=10)  # room for the overlay's title, which changes
        ax_lim.set_yscale("log")
        ax_lim.set_ylim(10 ** self.lr_range[0], 10 ** self.lr_range[1])
        ax_lim.set_xlabel("iteration k")
        ax_lim.set_ylabel("step size")
        ax_lim.set_title("local limit along the path", fontsize=10)
        ax_lim.grid(True, which="major", alpha=0.3)

    def _build_moving(self):
        self._path_artists(self.over[self.ax_path])
        ov = self.over[self.ax_lim]
        (self.limit_line,) = ov.plot([], [], color=LIMIT_COLOR, lw=1.6,
                                     label=r"local limit $2/\lambda_{max}(H(\theta_k))$")
        (self.alpha_line,) = ov.plot([], [], color="black", ls="--", lw=1.4, label=r"your step size $\alpha$")
        (self.over_markers,) = ov.plot([], [], "v", color=PATH_COLOR, ms=4, ls="none",
                                       label=r"$\alpha$ above the local limit")
        self.iteration_line = ov.axvline(0, color="gray", lw=1, ls=":")
        self._legend(self.ax_path, self._path_legend, loc="upper right")
        self._legend(self.ax_lim, [self.limit_line, self.alpha_line, self.over_markers], loc="upper right")

    def _compute(self):
        c = self.controls
        tr = run(GD(lr=c["lr"].value), self.surface, self.start, c["steps"].value)
        self.limits = local_limits(tr)
        return tr

    def _update_static(self):
        tr, lr = self.trajectory, self.controls["lr"].value
        k = np.arange(tr.steps + 1)
        self.limit_line.set_data(k, np.where(np.isfinite(self.limits), self.limits, np.nan))
        self.alpha_line.set_data([0, tr.steps], [lr, lr])
        with np.errstate(invalid="ignore"):
            over = lr > self.limits
        self.over_markers.set_data(k[over], np.full(int(over.sum()), lr))
        self.ax_lim.set_xlim(0, max(tr.steps, 1))
        self.over[self.ax_path].set_title(f"GD, α = {_format.num(lr)} on {self.surface.name}", fontsize=10)

    def _show_iteration(self, k):
        self._move_path(self.trajectory.points, k)
        self.iteration_line.set_xdata([k, k])

    def _readout(self):
        tr, lr = self.trajectory, self.controls["lr"].value
        if tr.diverged:
            return self._diverged_readout()
        k = self.controls["iteration"].value
        lim = self.limits[min(k, tr.steps)]
        over = int(np.sum(lr > self.limits[np.isfinite(self.limits)]))
        return (f"final loss − J* = {_format.num(float(tr.gap()[-1]))} · local limit at the end: {_format.num(lim)} · "
                f"α above the local limit at {over} of {tr.steps + 1} iterates")


def local_limit_explorer(surface="rosenbrock", **initial) -> LocalLimitExplorer:
    """A :class:`LocalLimitExplorer`: GD on a curved valley, with the local limit 2/lambda_max along the path."""
    return LocalLimitExplorer(surface, **initial)
