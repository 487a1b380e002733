"""The momentum explorer (lesson 06): the Explorer with a one-click heavy-ball optimum and Nesterov's
look-ahead points p_k - gamma v_k on the path.

The preset sets four controls as one batch (one recomputation, one redraw); the look-ahead points are part
of the moving layer computed with the sweep, so they always belong to the run shown, and the toggle only
shows or hides them in the browser.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D

from ..analysis.momentum import lookahead_points
from ..analysis.quadratic import heavy_ball_preset
from ..viz.style import LOOKAHEAD_COLOR
from .explorer import MOMENTUM_METHODS, Explorer
from .marks import PT


class MomentumExplorer(Explorer):
    """An :class:`~stepviz.live.Explorer` plus a 'heavy-ball optimum' button (``controls['preset']``) and a
    'show look-ahead points' toggle (``controls['lookahead']``); ``note`` says what the preset set.
    ``lookahead()`` is the array of look-ahead points of the run shown."""

    toggles = ("lookahead",)

    def __init__(self, surface="bowl", optimizer="Momentum", *, show_lookahead=False, **initial):
        if not isinstance(show_lookahead, (bool, np.bool_)):
            raise TypeError(f"show_lookahead must be True or False; got {show_lookahead!r}")
        self._show_lookahead = bool(show_lookahead)
        super().__init__(surface, optimizer, **initial)
        self.controls["preset"].on_click(lambda _button: self.apply_preset())
        self._sync_preset()

    def _extend(self, controls, columns):
        controls["preset"] = widgets.Button(description="heavy-ball optimum", icon="star",
                                            tooltip="set α and γ to the heavy-ball optimum from theory",
                                            layout=widgets.Layout(width="170px"))
        controls["lookahead"] = widgets.ToggleButton(value=self._show_lookahead, description="look-ahead points",
                                                     icon="eye", tooltip="show Nesterov's look-ahead points θ_k − γv_k",
                                                     layout=widgets.Layout(width="170px"))
        controls["preset"].add_class("stepviz-preset")
        controls["lookahead"].add_class("stepviz-lookahead")
        self.note = widgets.HTML(layout=widgets.Layout(min_height="1.4em", width="740px"))
        columns = [columns[0], columns[1] + [["preset", "lookahead"]], [self.note]]
        return controls, columns

    @staticmethod
    def _floats(steps):
        return 5 * (steps + 1) + 3  # path, loss and look-ahead point per iterate

    def _build_figure(self):
        super()._build_figure()
        self.ax_path.legend(handles=[Line2D([], [], marker="o", mfc="none", mec=LOOKAHEAD_COLOR, mew=1.3, ms=5,
                                            color=LOOKAHEAD_COLOR, lw=0.8, label=r"look-ahead $\theta_k - \gamma v_k$")],
                            loc="lower right", fontsize=7, framealpha=0.85)

    # --- preset --------------------------------------------------------------------------------------
    def _start(self):
        return np.array([self.controls["x0"].value, self.controls["y0"].value])

    def _sync_preset(self):
        self.controls["preset"].disabled = heavy_ball_preset(self.surface, self._start()) is None

    def apply_preset(self):
        """Set the optimizer to Momentum and (alpha, gamma) to the heavy-ball optimum: one recomputation."""
        preset = heavy_ball_preset(self.surface, self._start())
        if preset is None:
            self.note.value = "No minimum with positive curvature here: no heavy-ball optimum to set."
            return
        lr, gamma, mu, L, local = preset
        lr = float(np.clip(lr, *self.lr_range))
        gamma = float(min(gamma, self.controls["momentum"].max))
        self.controller.set(decay=0.0, optimizer="Momentum", momentum=gamma, lr=lr)
        where = ("from the Hessians at the minimum and the start: a local estimate, the curvature changes "
                 "along the path" if local else "on this bowl (exact)")
        kappa = L / mu
        rate = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
        self.note.value = (f"Set α = 4/(√L+√μ)² = {lr:.3g}, γ = ((√L−√μ)/(√L+√μ))² = {gamma:.3g} {where}; "
                           f"μ = {mu:.3g}, L = {L:.3g}, predicted rate (√κ−1)/(√κ+1) = {rate:.3f}.")

    # --- updates ----------------------------------------------------------------------------------
    def _compute(self, changed):
        super()._compute(changed)
        if changed & {"surface", "x0", "y0"}:
            self._sync_preset()
            if "surface" in changed:
                self.note.value = ""

    def _scene(self):
        axes, marks, arrays, texts = super()._scene()
        if self.controls["optimizer"].value in MOMENTUM_METHODS:
            arrays["lookahead"] = np.moveaxis(lookahead_points(self.sweep, self.controls["momentum"].value), 0, 1)
            marks.insert(1, {"kind": "links", "axes": 0, "data": "path", "to": "lookahead", "upto": "iteration",
                             "color": LOOKAHEAD_COLOR, "width": 0.8 * PT, "alpha": 0.9, "shape": "o", "size": 5 * PT,
                             "fill": "none", "edge": LOOKAHEAD_COLOR, "edgeWidth": 1.3 * PT, "toggle": "lookahead"})
        return axes, marks, arrays, texts

    def lookahead(self) -> np.ndarray:
        """The look-ahead points of the run shown, up to the iteration shown (what the browser draws when
        the toggle is on); empty for optimizers without momentum."""
        if "lookahead" not in self.canvas.arrays:
            return np.empty((0, 2))
        return self.canvas.arrays["lookahead"][self.controls["lr"].index][: self.controls["iteration"].value]


def momentum_explorer(surface="bowl", optimizer="Momentum", **initial) -> MomentumExplorer:
    """An explorer for momentum methods: the usual controls (see :func:`stepviz.live.explore`), a
    'heavy-ball optimum' button that sets alpha and gamma from theory, and a toggle that draws Nesterov's
    look-ahead points theta_k - gamma v_k on the path. ``show_lookahead=True`` starts with them shown."""
    return MomentumExplorer(surface, optimizer, **initial)


__all__ = ["MomentumExplorer", "momentum_explorer"]
