"""LiveCanvas: an explorer's figure, a matplotlib picture of its static layer with the moving layer
drawn over it in the browser (canvas_math.js + canvas.js, an anywidget front end).

The kernel renders the static layer (contours, axes, ticks, legends, theory marks) with matplotlib once
per configuration and sends it as a PNG; the moving layer (paths, markers, loss curves, the iteration
marker, the step-size mark) is described by *marks* that name float32 arrays holding every stop of the
step-size sweep. The browser draws the marks for the stop and iteration its controls show, mapping data
to pixels with each axes' box, limits and scales exactly as matplotlib's ``transData`` does, so nothing
that the step-size slider, Play or the iteration slider change waits for the kernel.

Arrays: a mapping name -> float array whose first axis is the stop (length 1: the same for every stop);
paths are (stops, points, 2), curves (stops, points) against their index. ``stops`` is reserved for the
step sizes. Marks (dicts): ``kind`` 'line' | 'marker' | 'vline' | 'hline' | 'point' | 'text' | 'above' (a marker at
(k, step size) wherever the step size exceeds a curve) | 'links' (a segment from each iterate of ``data`` to
the point of ``to``) | 'affine' (the line y = a x + b of the iterate (a, b) over ``x``), ``axes``
(index into the axes list), and per kind: ``data`` (array name), ``upto`` ('iteration' or all points),
``at`` ('start' | 'iteration' | 'last' for markers; 'iteration' | 'stop' | an array name for lines),
``color``, ``width`` (px), ``dash`` (px list), ``alpha``, ``dots`` (px), ``shape`` (matplotlib marker
letter), ``size`` (px), ``fill``, ``edge``, ``edgeWidth``, ``when`` ('alive' | 'gone', with
``sign`` (-1: a line mirrored in y), ``diverged``: the name of a per-stop array holding the step a run diverged at, -1 if never), ``clip``,
``texts`` (a key of ``texts``: per stop, a string or [[from_iteration, template], ...] with {k} and
{array} placeholders), ``toggle`` (a key of ``controls['toggles']``: drawn while that toggle is on).
"""
from __future__ import annotations

import io
from pathlib import Path

import anywidget
import numpy as np
import traitlets as t

from .controls import widget_refs

_HERE = Path(__file__).parent
# One ES module for the browser: the pure functions (tested alone with node), then the drawing and the widget.
_ESM = (_HERE / "canvas_math.js").read_text(encoding="utf-8") + "\n" + (_HERE / "canvas.js").read_text(encoding="utf-8")
_CSS = """
.stepviz-canvas { max-width: 100%; }
.stepviz-stage { position: relative; max-width: 100%; }
.stepviz-stage canvas { position: absolute; left: 0; top: 0; }
.stepviz-readout { min-height: 2.6em; margin: 2px 4px 4px; font-size: 13px; line-height: 1.3; }
.stepviz-kernel-note { margin: 2px 4px; padding: 2px 6px; font-size: 12px; border-left: 3px solid #0072b2;
                       background: #eef5fb; }
.stepviz-stepper { display: flex; align-items: center; gap: 4px; height: 28px; width: 360px; max-width: 100%;
                   box-sizing: border-box; }
.stepviz-stepper-label { width: 92px; flex: none; text-align: right; padding-right: 4px;
                         font-size: var(--jp-widgets-font-size, 13px); }
.stepviz-stepper input[type=range] { flex: 1 1 auto; min-width: 80px; accent-color: #0072b2; }
.stepviz-stepper-value { width: 64px; flex: none; font-size: var(--jp-widgets-font-size, 13px); }
.stepviz-stepper input[type=range]:focus, .stepviz-play-button:focus { outline: 2px solid #0b57d0;
                                                                     outline-offset: 2px; }
.stepviz-explorer :focus-visible { outline: 2px solid #0b57d0 !important; outline-offset: 2px; }
.stepviz-play-button { min-width: 84px; }
"""


#: int16 code of a NaN in a compact array; the other codes -32767 ... 32767 span each row's finite range.
NAN_CODE = -32768
_LEVELS = 65534


def _quantize(values: np.ndarray):
    """Row-wise int16 codes of ``values`` (rows = the first axis, the stops) with float32 (base, step) per
    row: value = base + step * code. NaN -> NAN_CODE; the error is at most step / 2 = range / 131068."""
    rows = values.reshape(values.shape[0], -1).astype(float)
    finite = np.isfinite(rows)
    lo = np.where(finite, rows, np.inf).min(axis=1)
    hi = np.where(finite, rows, -np.inf).max(axis=1)
    lo = np.where(np.isfinite(lo), lo, 0.0)
    hi = np.where(np.isfinite(hi), hi, lo)
    step = np.where(hi > lo, (hi - lo) / _LEVELS, 1.0)
    base = lo + 32767 * step
    with np.errstate(invalid="ignore"):
        codes = np.where(finite, np.round((rows - base[:, None]) / step[:, None]), NAN_CODE)
    return np.clip(codes, NAN_CODE, 32767).astype(np.int16), base, step


def pack(arrays: dict, compact=()) -> tuple[bytes, dict]:
    """One buffer and its layout {name: {offset, shape}}: float32 arrays first (offset in float32
    elements), then the arrays named in ``compact`` as row-wise int16 codes (entry {offset (in int16
    elements), shape, dtype: 'i2', base, step}, the names of the float32 arrays of each row's base and step).
    Compact arrays take half the room, at a precision of 1/131068 of each stop's range: paths of
    many runs per stop fit more stops into the same budget."""
    floats, codes, layout = {}, {}, {}
    for name, value in arrays.items():
        a = np.asarray(value)
        if name in compact and a.ndim >= 1 and a.size:
            codes[name], floats[f"{name}.base"], floats[f"{name}.step"] = _quantize(a)
            layout[name] = {"shape": list(a.shape), "dtype": "i2", "base": f"{name}.base", "step": f"{name}.step"}
        else:
            floats[name] = a
    parts, offset = [], 0
    for name, value in floats.items():
        a = np.ascontiguousarray(value, dtype=np.float32)
        if a.ndim == 0:
            a = a.reshape(1, 1)
        parts.append(a.reshape(-1).tobytes())
        layout[name] = {"offset": offset, "shape": list(a.shape)}
        offset += a.size
    offset *= 2  # int16 elements from here on
    for name, value in codes.items():
        parts.append(value.reshape(-1).tobytes())
        layout[name]["offset"] = offset
        offset += value.size
    return b"".join(parts), layout


def axes_box(ax) -> dict:
    """The axes' pixel box in the figure's picture (origin top left), limits and scales: what the
    browser needs to map data to pixels as ``ax.transData`` does."""
    fig = ax.figure
    height = fig.bbox.height
    x0, y0, x1, y1 = ax.get_window_extent().extents
    return {"box": [float(x0), float(height - y1), float(x1 - x0), float(y1 - y0)],
            "xlim": [float(v) for v in ax.get_xlim()], "ylim": [float(v) for v in ax.get_ylim()],
            "xscale": ax.get_xscale(), "yscale": ax.get_yscale()}


class LiveCanvas(anywidget.AnyWidget):
    """See the module docstring. ``show(...)`` replaces the scene in one message; ``picture`` is set by
    :meth:`set_picture`. ``controls`` names the widgets the browser follows: 'lr' (a StepSizeSlider),
    'iteration' (an IntSlider), 'play' (a PlayButton), 'kernel' (the controls that need a kernel)."""

    _esm = _ESM
    _css = _CSS
    picture = t.Bytes(b"").tag(sync=True)
    size = t.List(t.Float(), [640.0, 360.0]).tag(sync=True)
    axes = t.List(t.Dict()).tag(sync=True)
    marks = t.List(t.Dict()).tag(sync=True)
    texts = t.Dict().tag(sync=True)
    data = t.Bytes(b"").tag(sync=True)
    shapes = t.Dict().tag(sync=True)
    version = t.Int(0).tag(sync=True)
    alt = t.Unicode("").tag(sync=True)
    kernel_note = t.Unicode(
        "No kernel is running: the step-size slider, Play and the iteration slider replay the stored runs; "
        "the other controls need a running kernel (run the notebook to use them).").tag(sync=True)
    controls = t.Dict().tag(sync=True, to_json=widget_refs)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_class("stepviz-figure")
        self.arrays: dict[str, np.ndarray] = {}

    def show(self, axes, marks, arrays, texts, compact=()):
        """Replace the moving layer: axes boxes, marks, the arrays (packed into one buffer; those named in
        ``compact`` as int16 codes, see :func:`pack`) and the per-stop texts, sent to the browser as one
        change."""
        self.arrays = {k: np.asarray(v) for k, v in arrays.items()}
        data, layout = pack(self.arrays, compact)
        with self.hold_sync():
            self.axes, self.marks, self.texts = list(axes), list(marks), dict(texts)
            self.data, self.shapes = data, layout
            self.version += 1

    def set_picture(self, png: bytes, size):
        with self.hold_sync():
            self.size = [float(size[0]), float(size[1])]
            self.picture = png

    def stored_bytes(self) -> int:
        """Bytes of this widget's state that a saved notebook or static page stores (buffers as base64)."""
        import json

        state = {k: v for k, v in self.get_state().items() if not isinstance(v, (bytes, memoryview))}
        binary = len(self.picture) + len(self.data)
        return len(json.dumps(state, default=str)) + (binary * 4 + 2) // 3


def png_bytes(figure, dpi=None) -> bytes:
    buf = io.BytesIO()
    figure.savefig(buf, format="png", dpi=dpi or figure.dpi)
    return buf.getvalue()


__all__ = ["LiveCanvas", "pack", "axes_box", "png_bytes"]
