"""Widgets for the notebooks on momentum and Nesterov (06) and adaptive methods (07).

:func:`momentum_explorer` wraps :func:`stepviz.live.explore` with a one-click heavy-ball optimum and a
toggle that draws Nesterov's look-ahead points p_k - gamma v_k on the path.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..analysis.dynamics import lookahead_points
from ..analysis.quadratic import heavy_ball_preset
from ..viz.style import LOOKAHEAD_COLOR
from .explorer import MOMENTUM_METHODS, Explorer


class MomentumExplorer(widgets.VBox):
    """An :class:`~stepviz.live.explorer.Explorer` plus a 'heavy-ball optimum' button and a look-ahead toggle.

    ``explorer`` is the wrapped Explorer (its ``controls``, ``trajectory`` and ``figure``); ``preset`` the
    Button; ``lookahead`` the ToggleButton; ``lookahead_line`` the artist with the look-ahead points (and a
    thin segment from each iterate to its look-ahead point); ``note`` an HTML line that says what the
    preset set.
    """

    def __init__(self, surface="bowl", optimizer="Momentum", *, show_lookahead=False, **initial):
        self.explorer = Explorer(surface, optimizer, **initial)
        self.controls = self.explorer.controls
        self.preset = widgets.Button(description="heavy-ball optimum", icon="star",
                                     tooltip="set α and γ to the heavy-ball optimum from theory",
                                     layout=widgets.Layout(width="190px"))
        self.lookahead = widgets.ToggleButton(value=bool(show_lookahead), description="show look-ahead points",
                                              icon="eye", layout=widgets.Layout(width="210px"))
        self.note = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        self.preset.add_class("stepviz-preset")
        self.lookahead.add_class("stepviz-lookahead")
        ax = self.explorer.over_path
        (self.segments,) = ax.plot([], [], "-", color=LOOKAHEAD_COLOR, lw=0.8, alpha=0.8, zorder=6)
        (self.lookahead_line,) = ax.plot([], [], "o", mfc="none", mec=LOOKAHEAD_COLOR, mew=1.3, ms=5, zorder=7,
                                         label=r"look-ahead $\theta_k - \gamma v_k$")
        self._legend = ax.legend(handles=[self.lookahead_line], loc="lower right", fontsize=8, framealpha=0.85)
        super().__init__([self.explorer, widgets.HBox([self.preset, self.lookahead, self.note])])
        self.add_class("stepviz-explorer")
        self.preset.on_click(self._on_preset)
        self.lookahead.observe(self._on_change, names="value")
        for name in ("surface", "optimizer", "lr", "momentum", "decay", "steps", "x0", "y0", "iteration"):
            self.controls[name].observe(self._on_change, names="value")
        self.explorer.figure.canvas.mpl_connect("button_press_event", lambda event: self._on_change(None))
        self._sync_preset()
        self.update()

    @property
    def trajectory(self):
        return self.explorer.trajectory

    @property
    def figure(self):
        return self.explorer.figure

    # --- preset --------------------------------------------------------------------------------------
    def _start(self):
        return np.array([self.controls["x0"].value, self.controls["y0"].value])

    def _sync_preset(self):
        self.preset.disabled = heavy_ball_preset(self.explorer.surface, self._start()) is None

    def apply_preset(self):
        """Set the optimizer to Momentum and (alpha, gamma) to the heavy-ball optimum of the surface."""
        preset = heavy_ball_preset(self.explorer.surface, self._start())
        if preset is None:
            self.note.value = "No minimum with positive curvature here: no heavy-ball optimum to set."
            return
        lr, gamma, mu, L, local = preset
        c = self.controls
        with self.explorer.hold_sync():
            c["decay"].value = 0.0
            c["optimizer"].value = "Momentum"
            c["momentum"].value = gamma
            c["lr"].value = lr
        where = ("from the Hessians at the minimum and the start: a local estimate, the curvature changes "
                 "along the path" if local else "on this bowl (exact)")
        kappa = L / mu
        rate = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
        self.note.value = (f"Set α = 4/(√L+√μ)² = {lr:.3g}, γ = ((√L−√μ)/(√L+√μ))² = {gamma:.3g} {where}; "
                           f"μ = {mu:.3g}, L = {L:.3g}, predicted rate (√κ−1)/(√κ+1) = {rate:.3f}.")

    def _on_preset(self, _button):
        self.apply_preset()

    # --- look-ahead points ---------------------------------------------------------------------------
    def _on_change(self, change):
        if change is not None and change.get("owner") is self.controls["surface"]:
            self._sync_preset()
            self.note.value = ""
        self.update()

    def update(self):
        """Redraw the look-ahead points for the current run, up to the iteration slider's step."""
        tr = self.explorer.trajectory
        show = self.lookahead.value and self.controls["optimizer"].value in MOMENTUM_METHODS
        if show:
            k = int(min(self.controls["iteration"].value, tr.steps))
            pts = tr.points[:k]
            la = lookahead_points(tr, self.controls["momentum"].value)[:k]
            seg = np.full((k, 3, 2), np.nan)
            seg[:, 0], seg[:, 1] = pts, la
            self.lookahead_line.set_data(la[:, 0], la[:, 1])
            self.segments.set_data(seg[..., 0].ravel(), seg[..., 1].ravel())
        else:
            self.lookahead_line.set_data([], [])
            self.segments.set_data([], [])
        self._legend.set_visible(bool(show))
        self.explorer.redraw()

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        data = data[0] if isinstance(data, tuple) else data
        bundle = self.explorer._repr_mimebundle_(**kwargs)
        bundle = bundle[0] if isinstance(bundle, tuple) else bundle
        if "image/png" in bundle:
            data["image/png"] = bundle["image/png"]
        data["text/plain"] = "Momentum explorer: " + bundle.get("text/plain", "")
        return data


def momentum_explorer(surface="bowl", optimizer="Momentum", **initial) -> MomentumExplorer:
    """An explorer for momentum methods: the usual controls (see :func:`stepviz.live.explore`), a
    'heavy-ball optimum' button that sets alpha and gamma from theory, and a toggle that draws Nesterov's
    look-ahead points theta_k - gamma v_k on the path. ``show_lookahead=True`` starts with them shown."""
    return MomentumExplorer(surface, optimizer, **initial)


__all__ = ["MomentumExplorer", "momentum_explorer"]
