"""LiveCanvas: an explorer's figure, a matplotlib picture of its static layer with the moving layer drawn over
it in the browser (``static/canvas.js``, bundled from ``js/``: an anywidget front end).

The kernel renders the static layer (contours, axes, ticks, legends, theory marks) with matplotlib once per
configuration and sends it as a PNG; the moving layer (paths, markers, loss curves, the iteration marker, the
step-size mark) is a :class:`~stepviz.live.scene.Scene` whose arrays hold every stop of the step-size sweep
in one buffer. The browser draws the scene for the stop and iteration its controls show, mapping data to
pixels with each axes' box, limits and scales exactly as matplotlib's ``transData`` does, so nothing that
the step-size slider, Play or the iteration slider change waits for the kernel.

Messages from the browser: ``{"event": "hello"}`` (is a kernel there? it answers ``{"event": "alive"}``),
``{"event": "click", "axes": i, "x": x, "y": y}`` (passed to ``on_click``) and ``{"event": "resize", "width": w,
"ratio": r}`` (the CSS width the figure has on the page and the screen's pixel ratio, passed to ``on_resize``:
the picture is rendered again at that size) and ``{"event": "drawn", "version": v}`` (the browser has drawn
scene ``v``, passed to ``on_drawn``: a picture held back until the new runs were on screen can be rendered).
"""
from __future__ import annotations

import json
from pathlib import Path

import anywidget
import numpy as np
import traitlets as t

from .controller import running_loop
from .controls import widget_refs
from .scene import SCENE_BYTES, Scene, axes_box

_STATIC = Path(__file__).with_name("static")
#: Most seconds the whole sweep waits for the page to draw the first stop (a hidden tab draws nothing).
WHOLE_WAIT = 0.25
_CSS = """
.stepviz-canvas { max-width: 100%; }
.stepviz-stage { position: relative; max-width: 100%; }
.stepviz-stage canvas { position: absolute; left: 0; top: 0; }
.stepviz-stage.stepviz-stale { filter: grayscale(0.7) opacity(0.55); }
.stepviz-stage.stepviz-pending canvas.stepviz-static { opacity: 0.35; }
.stepviz-readout { min-height: 2.6em; margin: 2px 4px 4px; font-size: 13px; line-height: 1.3; contain: content; }
.stepviz-warn { color: #a40; font-weight: bold; }
.stepviz-problem { margin: 2px 4px; padding: 2px 6px; font-size: 12px; border-left: 3px solid #a40;
                   background: #fbeee6; }
.stepviz-kernel-note { margin: 2px 4px; padding: 2px 6px; font-size: 12px; border-left: 3px solid #0072b2;
                       background: #eef5fb; }
.stepviz-stepper { display: flex; align-items: flex-start; gap: 4px; height: 40px; width: 360px; max-width: 100%;
                   box-sizing: border-box; padding-top: 4px; }
.stepviz-stepper-label { width: 92px; flex: none; text-align: right; padding-right: 4px; line-height: 22px;
                         font-size: var(--jp-widgets-font-size, 13px); }
.stepviz-stepper-track { position: relative; flex: 1 1 auto; min-width: 80px; height: 36px; }
.stepviz-stepper input[type=range] { width: 100%; margin: 3px 0 0; accent-color: #0072b2; }
.stepviz-ticks { position: absolute; left: 0; right: 0; top: 22px; height: 14px; pointer-events: none; }
.stepviz-tick { position: absolute; top: 0; width: 1px; height: 4px; background: #555; }
.stepviz-tick-label { position: absolute; top: 3px; transform: translateX(-50%); font-size: 11px; line-height: 11px;
                      color: #333; white-space: nowrap; }
.stepviz-stepper-value { width: 64px; flex: none; height: 22px; box-sizing: border-box; padding: 0 4px;
                         font-size: var(--jp-widgets-font-size, 13px); border: 1px solid #999; border-radius: 2px; }
.stepviz-stepper-value[aria-invalid=true] { border-color: #a40; }
.stepviz-stepper input[type=range]:focus, .stepviz-play-button:focus,
.stepviz-stepper-value:focus { outline: 2px solid #0b57d0; outline-offset: 2px; }
.stepviz-explorer :focus-visible { outline: 2px solid #0b57d0 !important; outline-offset: 2px; }
.stepviz-play-button { min-width: 84px; }
"""

#: int16 code of a NaN in a compact array; the other codes -32767 ... 32767 span each row's finite range.
NAN_CODE = -32768
_LEVELS = 65534
_F32_MAX = float(np.finfo(np.float32).max)


def _quantize(values: np.ndarray):
    """Row-wise int16 codes of ``values`` (rows = the first axis, the stops) with float32 (base, step) per
    row: value = base + step * code. NaN -> NAN_CODE; the error is at most step / 2 = range / 131068."""
    rows = values.reshape(values.shape[0], -1).astype(float)
    finite = np.isfinite(rows)
    lo = np.where(finite, rows, np.inf).min(axis=1)
    hi = np.where(finite, rows, -np.inf).max(axis=1)
    lo = np.where(np.isfinite(lo), lo, 0.0)
    hi = np.where(np.isfinite(hi), hi, lo)
    with np.errstate(over="ignore", invalid="ignore"):
        step = np.where(hi > lo, (hi - lo) / _LEVELS, 1.0)
        step = np.where(np.isfinite(step), step, 1.0)
        base = lo + 32767 * step
        codes = np.where(finite, np.round((rows - base[:, None]) / step[:, None]), NAN_CODE)
    return np.clip(np.nan_to_num(codes, nan=NAN_CODE), NAN_CODE, 32767).astype(np.int16), base, step


def float32(values) -> np.ndarray:
    """``values`` as float32 without numpy's overflow warning: beyond the float32 range is +-inf (the
    browser draws it at the axes' edge), NaN stays NaN."""
    a = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        big = np.abs(a) > _F32_MAX
    if big.any():
        a = np.where(big, np.copysign(np.inf, a), a)
    return np.ascontiguousarray(a, dtype=np.float32)


def _packed(name, a, compact) -> bool:
    return name in compact and a.ndim >= 1 and a.size


def packed_bytes(arrays: dict, compact=()) -> int:
    """The length of :func:`pack`'s buffer, from the arrays' shapes alone."""
    total = 0
    for name, value in arrays.items():
        a = np.asarray(value)
        total += 2 * a.size + 8 * a.shape[0] if _packed(name, a, compact) else 4 * a.size
    return total


def pack(arrays: dict, compact=()) -> tuple[bytes, dict]:
    """One buffer and its layout {name: {offset, shape}}: float32 arrays first (offset in float32
    elements), then the arrays named in ``compact`` as row-wise int16 codes (entry {offset (in int16
    elements), shape, dtype: 'i2', base, step}, the names of the float32 arrays of each row's base and step).
    Compact arrays take half the room, at a precision of 1/131068 of each stop's range: paths of
    many runs per stop fit more stops into the same budget."""
    floats, codes, layout = {}, {}, {}
    for name, value in arrays.items():
        a = np.asarray(value)
        if _packed(name, a, compact):
            codes[name], floats[f"{name}.base"], floats[f"{name}.step"] = _quantize(a)
            layout[name] = {"shape": list(a.shape), "dtype": "i2", "base": f"{name}.base", "step": f"{name}.step"}
        else:
            floats[name] = a
    parts, offset = [], 0
    for name, value in floats.items():
        a = float32(value)
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


class LiveCanvas(anywidget.AnyWidget):
    """See the module docstring. :meth:`show` replaces the scene in one message; :meth:`set_picture` the
    picture. ``controls`` names the widgets the browser follows: 'lr' (a StepSizeSlider), 'iteration' (an
    IntSlider), 'play' (a PlayButton), 'kernel' (the controls that need a kernel), 'toggles'. ``error``: one
    line shown under the figure (what failed or was refused), empty when all is well; ``stale``: the picture
    is the last one that worked, not the controls' (drawn greyed); ``pending``: a new picture is on its way (the
    scene was sent first; the old picture is dimmed until it comes)."""

    _esm = _STATIC / "canvas.js"
    _css = _CSS
    picture = t.Bytes(b"").tag(sync=True)
    size = t.List(t.Float(), [640.0, 360.0]).tag(sync=True)
    axes = t.List(t.Dict()).tag(sync=True)
    marks = t.List(t.Dict()).tag(sync=True)
    texts = t.Dict().tag(sync=True)
    data = t.Bytes(b"").tag(sync=True)
    shapes = t.Dict().tag(sync=True)
    version = t.Int(0).tag(sync=True)
    only = t.Int(-1).tag(sync=True)  # >= 0: the scene holds that stop alone (the whole sweep follows)
    alt = t.Unicode("").tag(sync=True)
    error = t.Unicode("").tag(sync=True)
    stale = t.Bool(False).tag(sync=True)
    pending = t.Bool(False).tag(sync=True)
    kernel_note = t.Unicode(
        "No kernel answers: the step-size slider, Play and the iteration slider replay the stored runs; the other "
        "controls need a running kernel (run the cell).").tag(sync=True)
    controls = t.Dict().tag(sync=True, to_json=widget_refs)
    smallest_text = t.Float(11.0).tag(sync=True)  # CSS px of the picture's smallest text (the page shows it)

    def __init__(self, on_click=None, on_resize=None, on_drawn=None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("stepviz-figure")
        self.arrays: dict[str, np.ndarray] = {}
        self.scene: Scene | None = None
        self._on_click, self._on_resize, self._on_drawn = on_click, on_resize, on_drawn
        self.browser_seen = False  # has a front end said hello (and so will say when it has drawn a scene)?
        self._held = self._held_timer = None  # show's whole sweep waiting for the first stop to be drawn
        self.on_msg(self._on_browser_message)

    def show(self, scene: Scene, first_stop: int | None = None, *, hold: bool = False, **traits):
        """Replace the moving layer with ``scene`` (checked first: a ValueError names what the browser could not
        draw), sent to the browser as one change with ``traits`` (e.g. pending). With ``first_stop`` (the stop
        the step-size slider shows) the scene at that stop alone leaves first, as its own small message. With
        ``hold`` too (a change made in the page, with an event loop running), the whole sweep (up to ~1.3 MB)
        waits until the page says it has drawn that stop, at most WHOLE_WAIT s: sent at once, it reached the page
        before the page's next frame and took that frame's time to decode, so the stop was drawn only with it.
        :attr:`arrays` and :attr:`scene` are the whole sweep's at once; a newer show drops a held sweep."""
        boxes = [axes_box(ax, i in scene.clickable) for i, ax in enumerate(scene.axes)]
        scene.check(boxes)
        arrays = {k: np.asarray(v) for k, v in scene.arrays.items()}
        size = packed_bytes(arrays, scene.compact)
        if size > SCENE_BYTES:
            raise ValueError(f"an explorer's scene holds {size:,} bytes of data, more than the "
                             f"{SCENE_BYTES:,} a figure takes: fewer steps or fewer stops")
        axes, marks = [b.wire() for b in boxes], [m.wire() for m in scene.marks]

        def send(texts, data, layout, only):
            with self.hold_sync():
                self.axes, self.marks, self.texts = axes, marks, dict(texts)
                self.data, self.shapes, self.only = data, layout, only
                self.version += 1
                for name, value in traits.items():
                    setattr(self, name, value)

        self._drop_held()
        self.arrays, self.scene = arrays, scene
        if first_stop is not None and scene.stops > 1:
            part = scene.at_stop(first_stop)
            send(part.texts, *pack(part.arrays, part.compact), first_stop)
            loop = running_loop() if hold and self.browser_seen else None
            if loop is not None:  # packed when it is sent: the stop shown leaves without waiting for that
                self._held = (lambda: send(scene.texts, *pack(arrays, scene.compact), -1), self.version)
                self._held_timer = loop.call_later(WHOLE_WAIT, self.send_held)
                return
        send(scene.texts, *pack(arrays, scene.compact), -1)

    @property
    def whole_version(self) -> int:
        """The version the whole sweep has (or will have, once a held one is sent)."""
        return self.version + (self._held is not None)

    def send_held(self):
        """Send the whole sweep held back by :meth:`show`, if any."""
        held = self._held
        self._drop_held()
        if held is not None:
            held[0]()

    def _drop_held(self):
        if self._held_timer is not None:
            self._held_timer.cancel()
        self._held = self._held_timer = None

    def relayout(self, scene: Scene):
        """The same scene on axes that moved (a new size): only their boxes are sent again."""
        boxes = [axes_box(ax, i in scene.clickable) for i, ax in enumerate(scene.axes)]
        for i, box in enumerate(boxes):
            box.check(i)
        self.send_held()  # a held sweep carries the old boxes: it goes first
        with self.hold_sync():
            self.axes = [b.wire() for b in boxes]
            self.version += 1

    def set_picture(self, png: bytes, size):
        with self.hold_sync():
            self.size = [float(size[0]), float(size[1])]
            self.picture = png

    def _on_browser_message(self, _widget, content, _buffers):
        if not isinstance(content, dict):
            return
        if content.get("event") == "hello":
            self.browser_seen = True
            self.send({"event": "alive"})
        elif content.get("event") == "drawn":
            version = content.get("version")
            if not isinstance(version, int) or isinstance(version, bool):
                return
            if self._held is not None and version >= self._held[1]:
                self.send_held()
            if self._on_drawn is not None:
                self._on_drawn(version)
        elif content.get("event") == "click" and self._on_click is not None:
            try:
                axes, x, y = int(content["axes"]), float(content["x"]), float(content["y"])
            except (KeyError, TypeError, ValueError):
                return  # not a click this front end sends
            if np.isfinite(x) and np.isfinite(y):
                self._on_click(axes, x, y)
        elif content.get("event") == "resize" and self._on_resize is not None:
            try:
                width, ratio = float(content["width"]), float(content.get("ratio", 1.0))
            except (KeyError, TypeError, ValueError):
                return
            if np.isfinite(width) and np.isfinite(ratio) and width > 0 and ratio > 0:
                self._on_resize(width, ratio)

    def close(self):
        self._drop_held()
        super().close()

    def stored_bytes(self) -> int:
        """Bytes of this widget's state that a saved notebook or static page stores (buffers as base64)."""
        state = {k: v for k, v in self.get_state().items() if not isinstance(v, (bytes, memoryview))}
        binary = len(self.picture) + len(self.data)
        return len(json.dumps(state, default=str)) + (binary * 4 + 2) // 3


__all__ = ["LiveCanvas", "pack", "float32", "NAN_CODE"]
