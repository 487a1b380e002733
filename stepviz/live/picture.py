"""StaticPicture: a figure's static layer rendered to PNG, each axes drawn again only when it changed.

An explorer's figure is laid out once; afterwards a control usually changes one axes (the loss axes'
limits when 'steps' changes, the rate curve when 'momentum' does) while the contour plot, the most
expensive to draw, stays. Each axes' pixels (its tight box: ticks, labels, title, legend) are kept after
it is drawn and restored while matplotlib does not mark it stale, so a new picture costs the changed
axes plus the PNG encoding.
"""
from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image


def new_figure(size_px, dpi=100) -> Figure:
    """A figure of ``size_px`` (width, height) CSS pixels at ``dpi``, drawn by Agg, not tracked by pyplot."""
    fig = Figure(figsize=(size_px[0] / dpi, size_px[1] / dpi), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


class StaticPicture:
    """PNG pictures of ``figure`` (whose layout must be frozen: ``freeze()``) with per-axes caching."""

    def __init__(self, figure: Figure, compress_level: int = 3):
        self.figure = figure
        self.compress_level = compress_level
        self._regions: dict = {}
        self.redrawn: list = []  # the axes drawn by the last render (for tests and benchmarks)

    def freeze(self):
        """Run the layout engine once and keep the axes where they are from then on."""
        fig = self.figure
        engine = fig.get_layout_engine()
        if engine is not None:
            engine.execute(fig)
            fig.set_layout_engine("none")
        self._regions.clear()

    @property
    def size(self) -> tuple[int, int]:
        w, h = self.figure.canvas.get_width_height()
        return int(w), int(h)

    def invalidate(self, ax=None):
        """Draw ``ax`` (every axes if None) again on the next render even if matplotlib thinks it is current."""
        if ax is None:
            self._regions.clear()
        else:
            self._regions.pop(ax, None)

    def render(self) -> bytes:
        fig = self.figure
        canvas = fig.canvas
        renderer = canvas.get_renderer()
        if getattr(self, "_renderer_id", None) != id(renderer):
            self._regions.clear()
            self._renderer_id = id(renderer)
        renderer.clear()
        fig.patch.draw(renderer)
        self.redrawn = []
        for ax in sorted(fig.axes, key=lambda a: a.get_zorder()):
            if not ax.get_visible():
                continue
            region = self._regions.get(ax)
            if region is not None and not ax.stale:
                renderer.restore_region(region)
                continue
            ax.draw(renderer)
            box = ax.get_tightbbox(renderer).padded(2)
            self._regions[ax] = renderer.copy_from_bbox(box)
            ax.stale = False  # get_tightbbox re-places the title, which marks the axes stale
            self.redrawn.append(ax)
        for artist in fig.texts + fig.legends + fig.artists:
            artist.draw(renderer)
        fig.stale = False
        rgba = np.asarray(renderer.buffer_rgba())
        image = Image.fromarray(rgba[..., :3])
        buf = io.BytesIO()
        image.save(buf, format="png", compress_level=self.compress_level)
        return buf.getvalue()


__all__ = ["new_figure", "StaticPicture"]
