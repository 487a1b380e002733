"""Figure machinery: the axes and figures stepviz draws on (each shows itself in a notebook with alt text),
figures that pyplot does not track, the explorers' static pictures (rendered per axes, each axes drawn
again only when it changed), PNG bytes, and a text description of a figure (alt text)."""
from __future__ import annotations

import base64
import html
import io
import types

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

DPI = 100  # the explorers' pictures: one figure pixel per CSS pixel


def _repr_html_(figure):
    """The figure as the notebook shows it, an image with alt text; an interactive backend's own display
    (WebAgg, ipympl) where it has one."""
    own = type(figure)._repr_html_(figure)
    return own if own is not None else figure_html(figure)


def with_alt_text(figure):
    """Let ``figure`` show itself in IPython as a PNG whose alt text says what it shows (:func:`describe`,
    read when it is shown, so titles set later count): JupyterLab and the static pages prefer that HTML to
    the bare PNG, which stays for other viewers. Every stepviz figure, and every figure stepviz draws on,
    gets it; nothing else in the session changes. Returns the figure (the root one of a subfigure)."""
    root = figure
    while getattr(root, "figure", root) is not root:  # a SubFigure's root Figure
        root = root.figure
    root._repr_html_ = types.MethodType(_repr_html_, root)
    return root


def axes_for(ax=None, figsize=(5.5, 3.8)):
    """``ax``, or the axes of a new pyplot figure of ``figsize`` inches (constrained layout); either way its
    figure shows with alt text (:func:`with_alt_text`). Every viz function gets its axes here."""
    if ax is None:
        ax = plt.subplots(figsize=figsize, layout="constrained")[1]
    with_alt_text(ax.figure)
    return ax


def subplots(*args, **kwargs):
    """``plt.subplots(*args, **kwargs)`` whose figure shows with alt text: (figure, axes)."""
    fig, axes = plt.subplots(*args, **kwargs)
    return with_alt_text(fig), axes


def figure(**kwargs):
    """``plt.figure(**kwargs)`` that shows with alt text."""
    return with_alt_text(plt.figure(**kwargs))


def new_figure(size_px=(760, 330), dpi=DPI) -> Figure:
    """A figure of ``size_px`` (width, height) pixels at ``dpi``, drawn by Agg, not tracked by pyplot
    (no 'too many figures' warning, no display of its own), laid out by constrained layout."""
    fig = Figure(figsize=(size_px[0] / dpi, size_px[1] / dpi), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


class StaticPicture:
    """PNG pictures of a figure's static layer, drawing again only the axes that changed.

    An explorer's figure is laid out once (:meth:`freeze`); afterwards a control usually changes one axes
    (the loss axes' limits when 'steps' changes, the rate curve when 'momentum' does) while the contour plot,
    the most expensive to draw, stays. Each axes' pixels (its tight box: ticks, labels, title, legend) are
    kept after it is drawn and restored while matplotlib does not mark the axes stale.
    """

    def __init__(self, figure: Figure, compress_level: int = 3):
        self.figure = figure
        self.compress_level = compress_level
        self._regions: dict = {}
        self._renderer_id = None
        self._png = None
        self.redrawn: list = []  # the axes the last render drew (the others came from their pixel copies)

    def freeze(self):
        """Run the layout engine once, then keep every axes where it is."""
        engine = self.figure.get_layout_engine()
        if engine is not None:
            engine.execute(self.figure)
            self.figure.set_layout_engine("none")
        self.invalidate()

    @property
    def size(self) -> tuple[int, int]:
        w, h = self.figure.canvas.get_width_height()
        return int(w), int(h)

    def invalidate(self, ax=None):
        """Draw ``ax`` (every axes if None) again on the next render."""
        if ax is None:
            self._regions.clear()
        else:
            self._regions.pop(ax, None)
        self._png = None

    def changed(self) -> bool:
        """Would :meth:`render` draw anything (an axes is stale or was never drawn)?"""
        visible = [ax for ax in self.figure.axes if ax.get_visible()]
        return self._png is None or any(ax.stale or ax not in self._regions for ax in visible)

    def render(self) -> bytes:
        """The picture as PNG bytes (the previous bytes when nothing changed)."""
        if not self.changed():
            self.redrawn = []
            return self._png
        fig = self.figure
        renderer = fig.canvas.get_renderer()
        if self._renderer_id != id(renderer):
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
            self._regions[ax] = renderer.copy_from_bbox(ax.get_tightbbox(renderer).padded(2))
            ax.stale = False  # get_tightbbox re-places the title, which marks the axes stale again
            self.redrawn.append(ax)
        for artist in fig.texts + fig.legends + fig.artists:
            artist.draw(renderer)
        fig.stale = False
        rgb = np.asarray(renderer.buffer_rgba())[..., :3]
        buf = io.BytesIO()
        Image.fromarray(rgb).save(buf, format="png", compress_level=self.compress_level)
        self._png = buf.getvalue()
        return self._png


def png_bytes(figure, dpi=None) -> bytes:
    buf = io.BytesIO()
    figure.savefig(buf, format="png", dpi=dpi or figure.dpi)
    return buf.getvalue()


_TEX = {r"\theta": "θ", r"\alpha": "α", r"\lambda": "λ", r"\mu": "μ", r"\gamma": "γ", r"\max": "max",
        r"\min": "min", r"\,": " ", "^*": "*", "_k": "_k", "{": "", "}": "", "$": ""}


def _plain(text: str) -> str:
    """Matplotlib mathtext as plain text for alt text ($\theta_1$ -> θ_1)."""
    for tex, plain in _TEX.items():
        text = text.replace(tex, plain)
    return text.replace("\\", "").strip()


def describe(figure) -> str:
    """A one-paragraph text description of a figure for alt text: each axes' title, its axes' labels and
    scales, and what its legend names."""
    parts = []
    for text in figure.texts:
        if text.get_text().strip():
            parts.append(text.get_text().strip())
    for ax in figure.axes:
        if not ax.get_visible() or not ax.axison:
            continue
        title = _plain(ax.get_title()) or "a plot"
        labels = []
        for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            label = _plain(axis.get_label_text())
            if label:
                scale = " (log scale)" if axis.get_scale() == "log" else ""
                labels.append(f"{name}: {label}{scale}")
        legend = ax.get_legend()
        entries = [_plain(t.get_text()) for t in legend.get_texts()] if legend else []
        item = title + (f" ({', '.join(labels)})" if labels else "")
        if entries:
            item += "; shows " + ", ".join(entries)
        parts.append(item)
    return ". ".join(parts) if parts else "A figure"


def html_image(png: bytes, alt: str, width=None) -> str:
    """An <img> element carrying ``png`` inline, with alt text."""
    size = f' width="{int(width)}"' if width else ""
    return (f'<img src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}"{size} '
            f'alt="{html.escape(alt, quote=True)}" style="max-width: 100%; height: auto;">')


def figure_html(figure) -> str:
    """A figure as the notebook shows it (a PNG cropped to its content, as the inline backend does), in an
    <img> whose alt text says what it shows (:func:`describe`): how stepviz displays figures in IPython."""
    buf = io.BytesIO()
    figure.savefig(buf, format="png", bbox_inches="tight")
    return html_image(buf.getvalue(), describe(figure))


__all__ = ["DPI", "axes_for", "subplots", "figure", "with_alt_text", "new_figure", "StaticPicture", "png_bytes",
           "describe", "html_image", "figure_html"]
