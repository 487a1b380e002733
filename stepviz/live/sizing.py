"""How an explorer's picture is sized and laid out: at the width the browser shows it (re-rendered there, at the
screen's pixel ratio, never an upscaled bitmap), with text a learner can read and nothing static drawn over the
data.

- :func:`shown_size`: the figure's size in CSS px for an output area of a given width (600 ... 1200 px; taller
  with the width, but less than in proportion, so an explorer still fits a laptop's screen);
- :func:`readable`: every text of the picture at least :data:`MIN_TEXT_PT` (11 CSS px), legends moved out of
  the data area (to the right of their axes), so the paths the browser draws never run under them;
- :func:`reserve_bands`: room above the axes for the lines the browser writes there (the title of a run, the
  status line 'iteration k'), so they sit outside the data area too;
- :func:`lay_out`: the figure at a size and pixel ratio, laid out once by constrained layout, then frozen;
- :class:`BrowserSized`: the explorer's side of it (the browser's ``resize`` message -> a new picture, same scene).
"""
from __future__ import annotations

import numpy as np
from matplotlib.text import Text as TextArtist

from ..viz.figure import DPI

MIN_WIDTH, MAX_WIDTH = 600, 1200  # CSS px: narrower outputs show the picture scaled down, wider ones centred
WIDTH_GRID = 10  # widths are rounded to this: a window dragged by a few px does not re-render
MAX_RATIO = 3.0
MIN_TEXT_PT = 8.0  # 8 pt at 100 dpi = 11.1 CSS px
#: CSS px the browser's lines above an axes take (scene.js: TITLE_PX / STATUS_PX and their gaps).
TITLE_BAND_PX, STATUS_BAND_PX = 20, 17
LEGEND_GAP = 0.02  # axes fraction between an axes and a legend moved to its right


def shown_size(base, width) -> tuple[int, int]:
    """(width, height) CSS px of a picture whose default size is ``base`` when the output is ``width`` px wide:
    the width on a 10 px grid (rounded down: never wider than shown, so never scaled down) within 600 ... 1200, the height growing with the square root of the width (never
    below the default's)."""
    bw, bh = (int(v) for v in base)
    w = int(np.clip(np.floor(float(width) / WIDTH_GRID) * WIDTH_GRID, MIN_WIDTH, MAX_WIDTH))
    return w, int(round(bh * max(1.0, w / bw) ** 0.5))


def pixel_ratio(dpr) -> float:
    """The device pixel ratio a picture is rendered at: 1 ... 3, on a grid of quarters."""
    return float(np.clip(round(float(dpr) * 4) / 4, 1.0, MAX_RATIO))


def _legend_inside(legend) -> bool:
    return legend._bbox_to_anchor is None  # anchored to its axes' box: drawn over the data


def readable(figure) -> bool:
    """Raise every text of ``figure`` (tick labels, labels, titles, legends) to :data:`MIN_TEXT_PT` and move
    every legend drawn inside its axes to their right. True when anything changed."""
    changed = False
    for ax in figure.axes:
        legend = ax.get_legend()
        if legend is not None and _legend_inside(legend):
            legend.set_bbox_to_anchor((1 + LEGEND_GAP, 1.0), transform=ax.transAxes)
            legend.set_loc("upper left")
            legend.borderaxespad = 0.0
            changed = True
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            ticks = axis.get_major_ticks()
            if ticks and ticks[0].label1.get_fontsize() < MIN_TEXT_PT:
                ax.tick_params(axis=name, which="both", labelsize=MIN_TEXT_PT)
                changed = True
    for text in figure.findobj(TextArtist):
        if text.get_text().strip() and text.get_fontsize() < MIN_TEXT_PT:
            text.set_fontsize(MIN_TEXT_PT)
            changed = True
    return changed


def smallest_text(figure) -> float:
    """The smallest text of ``figure``'s picture, in CSS px (the e2e tests read it from the page)."""
    sizes = [t.get_fontsize() for t in figure.findobj(TextArtist) if t.get_visible() and t.get_text().strip()]
    return round(min(sizes, default=MIN_TEXT_PT) * DPI / 72, 2)


def bands(scene) -> dict:
    """axes index -> (title lines, status lines) the browser writes above that axes for ``scene``."""
    out = {}
    for m in scene.marks:
        if getattr(m, "kind", "") == "text":
            title, status = out.get(m.axes, (0, 0))
            out[m.axes] = (title + (m.at == "title"), status + (m.at == "status"))
    return out


def reserve_bands(scene) -> None:
    """Pad the titles of ``scene``'s axes so the band above each holds the lines the browser writes there (a
    static title stays above them; an empty one keeps the band's height)."""
    for i, (title, status) in bands(scene).items():
        ax = scene.axes[i]
        band = TITLE_BAND_PX * bool(title) + STATUS_BAND_PX * bool(status)
        label = ax.get_title() or " "
        # the title's pad (points) lifts a static title over the band; a blank one is the band's height
        size = ax.title.get_fontsize()
        ax.set_title(label, fontsize=size, pad=(band - (size * DPI / 72 if not label.strip() else 0) + 2) * 72 / DPI)


def lay_out(figure, size, ratio, scene=None) -> None:
    """``figure`` at ``size`` (CSS px) and pixel ratio ``ratio``: texts readable, legends outside, the bands of
    ``scene`` reserved, laid out once by constrained layout and then frozen (a picture re-renders at the same
    place)."""
    w, h = size
    figure.set_dpi(DPI * ratio)
    figure.set_size_inches(w / DPI, h / DPI, forward=False)
    readable(figure)
    if scene is not None:
        reserve_bands(scene)
    figure.set_layout_engine("constrained")
    figure.get_layout_engine().execute(figure)
    figure.set_layout_engine("none")


class BrowserSized:
    """What :class:`~stepviz.live.figure.LiveFigure` does with the width the browser reports: its picture laid
    out and rendered again at that size and pixel ratio. Uses the explorer's ``figure``, ``picture``, ``canvas``,
    ``size_px`` (the default size: a static export keeps it) and ``_shown`` ((CSS size, ratio) now)."""

    def _lay_out(self, scene):
        size, ratio = self._shown
        lay_out(self.figure, size, ratio, scene)
        self.picture.invalidate()
        self._laid_out = (self._shown, bands(scene))
        self.canvas.smallest_text = smallest_text(self.figure)

    def _on_resize(self, width: float, ratio: float):
        """The browser shows the explorer ``width`` CSS px wide on a screen of pixel ratio ``ratio``: the picture
        is laid out and rendered again at that size (the sweep and the scene stay; only the axes boxes move)."""
        if self._closed or self.canvas.scene is None:
            return
        shown = (shown_size(self.size_px, width), pixel_ratio(ratio))
        if shown == self._shown:
            return
        previous, self._shown = self._shown, shown
        scene = self.canvas.scene
        try:
            self._lay_out(scene)
            png = self.picture.render()
        except Exception as e:  # the message came from the browser: say it in the explorer, keep the old picture
            self._shown = previous
            self.canvas.set_trait("error", f"drawing at the new width failed ({type(e).__name__}: {str(e)[:200]})")
            return
        with self.canvas.hold_sync():
            self.canvas.set_picture(png, shown[0])
            self.canvas.relayout(scene)


__all__ = ["BrowserSized", "shown_size", "pixel_ratio", "readable", "bands", "reserve_bands", "lay_out", "smallest_text",
           "MIN_WIDTH", "MAX_WIDTH", "MIN_TEXT_PT", "TITLE_BAND_PX", "STATUS_BAND_PX"]
