"""The explorers' shared machinery: a box around one live figure, the Play/iteration wiring, and the base
of the explorers built from a step-size slider, extra controls, Play and an iteration slider.

Under ipympl (``%matplotlib widget``) the figure's canvas is the live view; elsewhere an Image widget shows
a PNG of it. Displayed, a box also carries a PNG for viewers without a kernel (static pages, GitHub).
"""
from __future__ import annotations

import base64

import ipywidgets as widgets
from matplotlib.lines import Line2D

from ..engine import Trajectory
from ..viz.figure import StaticLayer, new_figure, overlay_axes, png_bytes
from ..viz.paths import last_finite_point
from ..viz.style import PATH_COLOR

STYLE = {"description_width": "110px"}
WIDE = dict(width="360px")


class LiveFigure(widgets.VBox):
    """A box around one matplotlib figure that its controls update in place.

    Under ipympl the figure's canvas is the live view; under any other backend an Image widget shows a
    PNG of the figure, refreshed on every change once the box has been displayed. Displayed, the box also
    carries a PNG of the figure for viewers without a kernel (static pages, GitHub).
    Subclasses call :meth:`_figure_view` for the view to put in their children and :meth:`redraw` after
    updating artists.
    """

    def _figure_view(self, figure):
        self.figure = figure
        self._displayed = False
        if isinstance(figure.canvas, widgets.DOMWidget):
            self._png = None
            return figure.canvas
        self._png = widgets.Image(format="png")
        return self._png

    def redraw(self):
        """Show the updated artists: ask the live canvas for a frame, or refresh the PNG view."""
        if self._png is None:
            self.figure.canvas.draw_idle()
            self._store_picture()
        elif self._displayed:
            self._png.value = png_bytes(self.figure, dpi=80)

    def _store_picture(self, png: bytes | None = None):
        """Keep the ipympl canvas's stored picture current while no browser is attached.

        A notebook executed without a front end (nbconvert, nbval) saves each canvas's widget state with
        the picture ipympl last stored; ipympl only stores one when the canvas itself is displayed, which
        a canvas inside this box never is, so viewers without a kernel would see an empty figure.
        """
        canvas = self.figure.canvas
        if self._displayed and getattr(canvas, "syncing_data_url", False):
            png = png if png is not None else png_bytes(self.figure, dpi=72)
            canvas._data_url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")

    def _show_whole_run(self, steps):
        """A new run of ``steps`` steps: the iteration slider spans it and, unless Play is running, shows
        all of it. Its observers are not called (the caller redraws once)."""
        c = self.controls
        self._suspended = True
        try:
            with c["iteration"].hold_trait_notifications():
                c["iteration"].max = steps
                c["play"].max = steps
                if not c["play"].playing:
                    c["iteration"].value = steps
        finally:
            self._suspended = False

    def _on_iteration(self, change):
        """The iteration slider (or Play) moved: show the current run up to that step."""
        if self.trajectory is None or self._suspended:
            return
        self._show_iteration(int(min(change["new"], self.trajectory.steps)))
        self.redraw()

    def _show_iteration(self, k):
        """Update the artists that depend on the iteration shown (subclasses)."""
        raise NotImplementedError

    def _describe(self) -> str:
        """The text/plain form of the display."""
        return type(self).__name__

    def _repr_mimebundle_(self, **kwargs):
        self._displayed = True
        if self._png is not None:
            self.redraw()
        data = super()._repr_mimebundle_(**kwargs)
        data = data[0] if isinstance(data, tuple) else data
        png = png_bytes(self.figure, dpi=72)
        self._store_picture(png)
        data["image/png"] = base64.b64encode(png).decode("ascii")
        data["text/plain"] = self._describe()
        return data


def link_play(play, iteration):
    """Link a Play button to an iteration slider in the browser (jslink: no kernel round trip per frame)
    and give both the CSS classes the browser tests look for."""
    play.add_class("stepviz-play")
    iteration.add_class("stepviz-iteration")
    widgets.jslink((play, "value"), (iteration, "value"))
    widgets.jslink((iteration, "max"), (play, "max"))


class PlotExplorer(LiveFigure):
    """Shared plumbing: figure, step-size slider, Play + iteration slider, PNG fallback without ipympl."""

    def __init__(self, lr, lr_range, steps, max_steps, figsize, extra_controls):
        self._suspended = False
        self.trajectory: Trajectory | None = None
        c = {"lr": widgets.FloatLogSlider(value=lr, base=10, min=lr_range[0], max=lr_range[1], step=0.01,
                                          description="step size α", readout_format=".3g", style=STYLE,
                                          layout=widgets.Layout(**WIDE))}
        c.update(extra_controls)
        c["steps"] = widgets.IntSlider(value=steps, min=1, max=max_steps, description="steps", style=STYLE,
                                       layout=widgets.Layout(**WIDE))
        c["iteration"] = widgets.IntSlider(value=steps, min=0, max=steps, description="iteration", style=STYLE,
                                           layout=widgets.Layout(width="420px"))
        c["play"] = widgets.Play(value=steps, min=0, max=steps, interval=60, description="play", show_repeat=False)
        c["lr"].add_class("stepviz-lr")
        link_play(c["play"], c["iteration"])
        self.controls = c
        view = self._figure_view(new_figure(figsize))
        self._build_figure()
        self.readout = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        names = [n for n in c if n not in ("play", "iteration")]
        half = (len(names) + 1) // 2
        left = widgets.VBox([c[n] for n in names[:half]])
        right = widgets.VBox([c[n] for n in names[half:]] + [widgets.HBox([c["play"], c["iteration"]])])
        super().__init__([view, widgets.HBox([left, right]), self.readout])
        self.add_class("stepviz-explorer")
        for n in names:
            c[n].observe(self._on_change, names="value")
        c["iteration"].observe(self._on_iteration, names="value")
        self._sync_enabled()
        self.update()

    # The figure follows explorer.Explorer: static axes (frames, ticks, labels, contours, legends) are laid out
    # once and rendered from a pixel cache (StaticLayer); what moves lives on transparent overlay
    # axes on top of them. A full matplotlib draw of these figures costs 250-900 ms, the cached one a tenth.
    def _build_figure(self):
        self._build_static()
        steps = self.controls["steps"].value
        for ax in self._static_axes[1:]:  # iteration axes: lay out with realistic tick labels
            ax.set_xlim(0, max(steps, 1))
        engine = self.figure.get_layout_engine()
        engine.set(rect=(0, 0, 0.985, 1))  # room for the last x tick label, which may grow with 'steps'
        engine.execute(self.figure)
        self.figure.set_layout_engine("none")
        self.static = StaticLayer(self._static_axes)
        self.figure.add_artist(self.static)
        self.over = {ax: overlay_axes(ax) for ax in self._static_axes}
        self._build_moving()
        self.static.invalidate()

    def _legend(self, ax, moving=(), **kw):
        """A legend on static axes ``ax``: its own labelled artists plus proxies of moving ``artists``."""
        handles = ax.get_legend_handles_labels()[0]
        for a in moving:
            handles.append(Line2D([], [], color=a.get_color(), ls=a.get_linestyle(), lw=a.get_linewidth(),
                                  marker=a.get_marker(), ms=a.get_markersize(), mec=a.get_markeredgecolor(),
                                  mfc=a.get_markerfacecolor(), mew=a.get_markeredgewidth(), label=a.get_label()))
        kw = {"fontsize": 8, "framealpha": 0.85, **kw}
        return ax.legend(handles=handles, **kw)

    # subclasses fill these in
    def _build_static(self):
        """Static axes and their content; set ``self._static_axes``."""
        raise NotImplementedError

    def _build_moving(self):
        """Artists that change, on the overlay axes ``self.over[static_ax]``; then the legends."""
        raise NotImplementedError

    def _compute(self) -> Trajectory:
        raise NotImplementedError

    def _update_static(self):
        """Artists that depend on the run, not on the iteration shown."""

    def _show_iteration(self, k):
        """Artists that follow the iteration slider."""

    def _readout(self) -> str:
        return ""

    def _sync_enabled(self):
        pass

    # plumbing
    def _on_change(self, change):
        if self._suspended:
            return
        self._sync_enabled()
        self.update()

    def update(self):
        """Recompute the run from the controls and update every artist in place."""
        c = self.controls
        self.trajectory = self._compute()
        steps = c["steps"].value
        self._show_whole_run(steps)
        self._update_static()
        self._show_iteration(min(c["iteration"].value, steps))
        self.readout.value = self._readout()
        self.redraw()

    def _describe(self):
        return f"{type(self).__name__} ({self.readout.value})"

    # helpers for subclasses
    def _path_artists(self, ax):
        (self.path_line,) = ax.plot([], [], "-", color=PATH_COLOR, lw=1.6, marker=".", ms=3, zorder=6, label="path")
        (self.start_marker,) = ax.plot([], [], "o", color=PATH_COLOR, mec="black", ms=8, zorder=7, label="start")
        (self.current_marker,) = ax.plot([], [], "o", color="white", mec=PATH_COLOR, mew=2, ms=7, zorder=8,
                                         label="iteration k")
        self._path_legend = [self.path_line, self.start_marker, self.current_marker]
        (self.diverged_marker,) = ax.plot([], [], "X", color=PATH_COLOR, mec="black", ms=12, zorder=8, clip_on=False)
        self.status_text = ax.text(0.02, 0.02, "", transform=ax.transAxes, fontsize=9, zorder=9,
                                   bbox=dict(boxstyle="round", fc="white", alpha=0.85))

    def _move_path(self, pts, k):
        tr = self.trajectory
        pts = pts[: k + 1]
        self.path_line.set_data(pts[:, 0], pts[:, 1])
        self.start_marker.set_data([pts[0, 0]], [pts[0, 1]])
        end = last_finite_point(pts, tr.surface)
        gone = bool(tr.diverged) and 0 <= int(tr.diverged_at) <= k
        self.current_marker.set_data(*(([], []) if gone else ([end[0]], [end[1]])))
        self.diverged_marker.set_data(*(([end[0]], [end[1]]) if gone else ([], [])))
        self.status_text.set_text(f"iteration {k}" + (f" · diverged at step {int(tr.diverged_at)}" if gone else ""))

    def _diverged_readout(self):
        return (f"<b style='color:#b00'>⚠ diverged at step {int(self.trajectory.diverged_at)}</b>: "
                "the path left the window. Try a smaller step size.")
