"""Figures that pyplot does not track, and the machinery of the explorers' fast redraws: a static layer
rendered once from a pixel copy, overlay axes for what moves, PNG bytes for viewers without a kernel."""
from __future__ import annotations

import io

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

IPYMPL_BACKENDS = ("widget", "ipympl", "module://ipympl.backend_nbagg")


def using_ipympl() -> bool:
    return matplotlib.get_backend().lower() in IPYMPL_BACKENDS


def new_figure(figsize=(9.0, 4.2)) -> Figure:
    """A figure that pyplot does not track (no 'too many figures' warnings, no auto-display).

    Under ipympl (``%matplotlib widget``) its canvas is a live widget; elsewhere it renders with Agg.
    """
    fig = Figure(figsize=figsize, layout="constrained")
    if using_ipympl():
        from ipympl.backend_nbagg import Canvas, FigureManager

        canvas = Canvas(fig)
        FigureManager(canvas, 0)
        canvas.header_visible = False
        canvas.footer_visible = False
        canvas.toolbar_position = "left"
        canvas.resizable = False
    else:
        FigureCanvasAgg(fig)
    return fig


class StaticLayer(matplotlib.artist.Artist):
    """Draws a figure's static axes (frames, ticks, labels, contours, legends) from a cached pixel copy.

    Text and ticks dominate the cost of a matplotlib frame, yet a slider change only moves a few lines.
    The static axes are kept invisible to the figure's own draw; this artist, drawn first, renders them
    once into the Agg buffer, keeps a copy, and on later draws restores that copy instead. Dynamic artists
    live on transparent overlay axes that share the static axes' limits and are drawn on top as usual, so
    ``figure.canvas.draw()`` stays a complete, correct render. The copy is re-rendered whenever the
    renderer, the axes limits or :meth:`invalidate` say it is stale; renderers without pixel copies (PDF,
    SVG) get the static axes drawn directly.
    """

    def __init__(self, static_axes):
        super().__init__()
        self.static_axes = list(static_axes)
        self.set_zorder(-100)
        self._version = 0
        self._key = None
        self._pixels = None
        for ax in self.static_axes:
            ax._visible = False  # the figure must not draw them; set directly to avoid a stale/redraw signal

    def invalidate(self):
        """The static content changed (new contours, labels, legend): render it again on the next draw."""
        self._version += 1
        self.stale = True

    def _state(self, renderer):
        limits = tuple(tuple(ax.get_xlim()) + tuple(ax.get_ylim()) + tuple(ax.get_position().bounds)
                       for ax in self.static_axes)
        return (id(renderer), renderer.get_canvas_width_height(), self._version, limits)

    def draw(self, renderer):
        # A renderer whose draw_* methods are patched on the instance is matplotlib's dry run (savefig with
        # tight bbox/layout): its pixels are blank and must not be kept.
        cacheable = (hasattr(renderer, "copy_from_bbox") and hasattr(renderer, "get_canvas_width_height")
                     and "draw_path" not in vars(renderer))
        key = self._state(renderer) if cacheable else None
        if cacheable and self._pixels is not None and key == self._key:
            renderer.restore_region(self._pixels)
            return
        for ax in self.static_axes:
            ax._visible = True
            try:
                ax.draw(renderer)
            finally:
                ax._visible = False
        if cacheable:
            self._pixels = renderer.copy_from_bbox(self.figure.bbox)
            self._key = key


def overlay_axes(ax):
    """Transparent axes on top of ``ax``, sharing its limits and scales, for artists that change often."""
    over = ax.figure.add_axes(ax.get_position(), sharex=ax, sharey=ax, label=f"overlay-{id(ax)}")
    over.set_xscale(ax.get_xscale())
    over.set_yscale(ax.get_yscale())
    over.set_axis_off()
    over.patch.set_visible(False)
    return over


def png_bytes(figure, dpi) -> bytes:
    buf = io.BytesIO()
    figure.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
