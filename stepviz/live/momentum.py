"""The momentum explorer (lessons 06, 07): the Explorer with a one-click heavy-ball optimum and Nesterov's
look-ahead points p_k - gamma v_k on the path.

The preset sets four controls as one batch (one recomputation, one redraw) to values the sliders show
exactly, and its note prints the rate predicted for those values, the number the readout prints; the
look-ahead points are part of the moving layer computed with the sweep, so they always belong to the run
shown, and the toggle only shows or hides them in the browser.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..analysis.momentum import lookahead_points
from ..analysis.quadratic import heavy_ball_preset
from ..viz.style import LOOKAHEAD_COLOR
from .controls import Action, Switch
from ..optim.rules import Momentum
from .explorer import Explorer
from .marks import PT
from .scene import Links, Text, fmt


class MomentumExplorer(Explorer):
    """An :class:`~stepviz.live.Explorer` plus a 'heavy-ball optimum' button (``controls['preset']``) and a
    'show look-ahead points' toggle (``controls['lookahead']``); ``note`` says what the preset set.
    ``lookahead()`` is the array of look-ahead points of the run shown."""

    toggles = ("lookahead",)

    def __init__(self, surface="bowl", optimizer="Momentum", *, show_lookahead=False, **initial):
        self._show_lookahead = show_lookahead
        super().__init__(surface, optimizer, **initial)
        self.controls["preset"].on_click(lambda _button: self.apply_preset())
        self._sync_preset()

    def _extend(self, specs, values, columns):
        specs["preset"] = Action("heavy-ball optimum", icon="star",
                                 tooltip="set α and γ to the heavy-ball optimum from theory")
        specs["lookahead"] = Switch("look-ahead points", button=True, icon="eye",
                                    tooltip="show Nesterov's look-ahead points θ_k − γv_k")
        values["lookahead"] = self._show_lookahead
        self.note = widgets.HTML(layout=widgets.Layout(min_height="1.4em", width="100%", max_width="740px"))  # narrow outputs wrap it
        columns = [columns[0], columns[1] + [["preset", "lookahead"]], [self.note]]
        return specs, values, columns

    def floats_per_stop(self, values):
        return 5 * (values["steps"] + 1) + 3  # path, loss and look-ahead point per iterate

    # --- preset --------------------------------------------------------------------------------------
    def _sync_preset(self):
        self.controls["preset"].disabled = heavy_ball_preset(self.surface, self.start) is None

    def apply_preset(self):
        """Set the optimizer to Momentum and (alpha, gamma) to the heavy-ball optimum: one recomputation.
        gamma goes onto the momentum slider's grid; the note's predicted rate is the one for the values set."""
        self._require_open()
        preset = heavy_ball_preset(self.surface, self.start)
        if preset is None:
            self.note.value = "No minimum with positive curvature here: no heavy-ball optimum to set."
            return
        lr, gamma, mu, L, local = preset
        slider = self.controls["momentum"]
        lr = float(np.clip(lr, *self.lr_range))
        shown = float(np.clip(round(round(gamma / slider.step) * slider.step, 10), slider.min, slider.max))
        self.controller.set(decay=0.0, optimizer="Momentum", momentum=shown, lr=lr)
        kappa = L / mu
        best = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
        head = (f"Set α = 4/(√L+√μ)² = {fmt(lr)} and γ = {fmt(shown)} (the optimum ((√L−√μ)/(√L+√μ))² = "
                f"{fmt(gamma)} on the slider's {fmt(slider.step)} steps); μ = {fmt(mu)}, L = {fmt(L)}. ")
        if local:
            self.note.value = (head + "From the Hessians at the minimum and the start: a local estimate, the curvature "
                               f"changes along the path; (√κ−1)/(√κ+1) = {best:.3f} for the quadratic model.")
        else:
            rate = float(np.ravel(Momentum(lr, momentum=shown).quadratic_rate(self.surface.curvatures))[0])
            self.note.value = (head + f"On this bowl: predicted rate {rate:.3f} for these values "
                               f"((√κ−1)/(√κ+1) = {best:.3f} at the exact optimum).")

    # --- updates ----------------------------------------------------------------------------------
    def _compute(self, changed):
        super()._compute(changed)
        if changed & {"surface", "x0", "y0"}:
            self._sync_preset()
            if "surface" in changed:
                self.note.value = ""

    def _scene(self):
        scene = super()._scene()
        if self._has_momentum():
            scene.arrays["lookahead"] = np.moveaxis(lookahead_points(self.sweep, self.controls["momentum"].value), 0, 1)
            scene.marks.insert(1, Links(axes=0, data="path", to="lookahead", upto="iteration", color=LOOKAHEAD_COLOR,
                                        width=0.8 * PT, alpha=0.9, shape="o", size=5 * PT, edge=LOOKAHEAD_COLOR,
                                        edge_width=1.3 * PT, toggle="lookahead"))
            # named above the plot while the points are shown (a static legend listed them on every run)
            scene.marks.append(Text(axes=0, at="key", texts="lookahead_key", toggle="lookahead", color=LOOKAHEAD_COLOR))
            scene.texts["lookahead_key"] = ["○ look-ahead θₖ − γvₖ"]
        return scene

    def lookahead(self) -> np.ndarray:
        """The look-ahead points of the run shown, up to the iteration shown (what the browser draws when
        the toggle is on); empty for optimizers without momentum."""
        self._require_open()
        if "lookahead" not in self.canvas.arrays:
            return np.empty((0, 2))
        return self.canvas.arrays["lookahead"][self.controls["lr"].index][: self.controls["iteration"].value]


def momentum_explorer(surface="bowl", optimizer="Momentum", **initial) -> MomentumExplorer:
    """An explorer for momentum methods: the usual controls (see :func:`stepviz.live.explore`), a
    'heavy-ball optimum' button that sets alpha and gamma from theory, and a toggle that draws Nesterov's
    look-ahead points theta_k - gamma v_k on the path. ``show_lookahead=True`` starts with them shown."""
    return MomentumExplorer(surface, optimizer, **initial)


__all__ = ["MomentumExplorer", "momentum_explorer"]
