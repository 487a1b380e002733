"""LiveFigure: the machinery every explorer shares.

An explorer is a box holding a :class:`~stepviz.live.canvas.LiveCanvas` (the matplotlib picture of its
static layer, with the moving layer drawn over it in the browser) and its controls, all owned by one
:class:`~stepviz.live.controller.Controller`. A subclass builds its controls (a StepSizeSlider 'lr', an
'iteration' slider and a 'play' button among them) and fills in four hooks:

- ``_build_figure()``: the axes and every static label and legend (the layout is computed once, after it);
- ``_compute(changed)``: run the whole step-size sweep for the current controls (``self.sweep``, one
  batched run: the step sizes index the batch) and update the static artists that depend on it;
- ``_scene()``: (axes, marks, arrays, texts) for the canvas (see :mod:`stepviz.live.canvas`);
- ``_sync_enabled()``: disable the controls that do not apply.

A change of the step size or the iteration needs no kernel work beyond picking the run
(``trajectory``); every other control recomputes the sweep, re-renders the axes that changed and sends
one new buffer. ``close()`` releases widgets, figure and buffers, and re-running the notebook cell that
made an explorer closes the one that cell made before, so a class re-running cells keeps its memory.
"""
from __future__ import annotations

import base64
import weakref

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist

from ..engine import Trajectory
from ..problems.base import Problem
from ..viz.figure import StaticPicture, new_figure, png_bytes
from .canvas import LiveCanvas, axes_box
from .controller import Controller
from .controls import StepSizeSlider, log_stops
from .marks import draw_marks

#: Bytes of float32 sweep data per explorer; a saved page stores them as base64 (x 4/3), with the picture
#: and the texts: at most ~2 MB of widget state per explorer.
SWEEP_BUDGET = 1_200_000
MAX_STOPS = 201  # step sizes 10^(4.3/200) = 5 % apart over 1e-4 ... 2: a drag shows a new path per pixel
MIN_STOPS = 11


def stop_count(floats_per_stop: int) -> int:
    """How many step sizes a sweep can hold within SWEEP_BUDGET: odd, MIN_STOPS ... MAX_STOPS."""
    n = int(SWEEP_BUDGET // (4 * max(int(floats_per_stop), 1)))
    n = max(MIN_STOPS, min(MAX_STOPS, n))
    return n if n % 2 else n - 1


class Readout:
    """The text under the figure for the step size shown (``value``: HTML), as the browser shows it."""

    def __init__(self, figure):
        self._figure = weakref.ref(figure)

    @property
    def value(self) -> str:
        f = self._figure()
        texts = f.canvas.texts.get("readout") if f is not None and f.canvas is not None else None
        if not texts:
            return ""
        return texts[min(f.controls["lr"].index, len(texts) - 1)]

    def __repr__(self):
        return f"Readout({self.value!r})"


class LiveFigure(widgets.VBox):
    """See the module docstring. ``controls``, ``figure``, ``canvas``, ``controller``, ``sweep`` (every
    stop's run), ``trajectory`` (the run at the step size shown), ``readout``."""

    size_px = (760, 330)
    #: Controls (ToggleButtons) that only show or hide marks: the browser follows them, no kernel needed.
    toggles: tuple = ()

    def __init__(self, controls: dict, columns, *, alt: str = ""):
        self.controls = controls
        self.sweep = self.trajectory = None
        self._closed = False
        self._shipped_stops = None
        self._scene_axes = []
        self.figure = new_figure(self.size_px)
        self.picture = StaticPicture(self.figure)
        self._build_figure()
        browser = ("lr", "iteration", "play") + tuple(self.toggles)
        kernel = [controls[n] for n in controls if n not in browser]
        self.canvas = LiveCanvas(controls={"lr": controls["lr"], "iteration": controls["iteration"],
                                           "play": controls["play"], "kernel": kernel,
                                           "toggles": {n: controls[n] for n in self.toggles}}, alt=alt)
        self.canvas.on_msg(self._on_canvas_message)
        self.readout = Readout(self)
        boxes = [widgets.VBox([self._row(item) for item in column]) for column in columns]
        panel = widgets.HBox(boxes, layout=widgets.Layout(flex_flow="row wrap", grid_gap="0 8px"))
        super().__init__([self.canvas, panel])
        self.add_class("stepviz-explorer")
        self.controller = Controller(controls, self._on_update, observe=[n for n in controls if n != "play"])
        self._sync_enabled()
        self._compute(set(controls))
        self.picture.freeze()
        self._render()
        _remember_cell(self)

    def _row(self, item):
        if isinstance(item, widgets.Widget):
            return item
        if isinstance(item, (list, tuple)):
            return widgets.HBox([self._row(n) for n in item], layout=widgets.Layout(align_items="center"))
        return self.controls[item]

    # --- hooks ------------------------------------------------------------------------------------
    def _build_figure(self):
        raise NotImplementedError

    def _compute(self, changed: set):
        raise NotImplementedError

    def _scene(self):
        """(matplotlib axes, marks, arrays, texts): marks index the axes by position."""
        raise NotImplementedError

    def _compact(self, arrays: dict) -> set:
        """Names of the arrays shipped as int16 codes (:func:`~stepviz.live.canvas.pack`); none by default."""
        return set()

    def _sync_enabled(self):
        pass

    def _select(self):
        """The run at the step size shown."""
        self.trajectory = self.sweep[self.controls["lr"].index]

    def _on_click(self, axes: int, x: float, y: float):
        """A click on axes ``axes`` at data point (x, y) in the browser (subclasses)."""

    # --- the sweep ----------------------------------------------------------------------------------
    @property
    def stops(self) -> np.ndarray:
        return np.asarray(self.controls["lr"].stops)

    def _fit_stops(self, floats_per_stop: int, low: float, high: float):
        """As many stops as the budget allows for this many floats per stop, keeping the current step size."""
        lr: StepSizeSlider = self.controls["lr"]
        n = stop_count(floats_per_stop)
        if n != len(lr.stops):
            lr.set_stops(log_stops(low, high, n), lr.value)

    def _show_whole_run(self, steps: int):
        """A new run of ``steps`` steps: the iteration slider spans it and, unless Play runs, shows all."""
        c = self.controls
        c["iteration"].max = steps
        if not c["play"].playing:
            c["iteration"].value = steps

    # --- updates ------------------------------------------------------------------------------------
    def _on_update(self, changed: set):
        if self._closed or changed <= {"iteration", *self.toggles}:
            return  # the browser draws the iteration and the toggled marks from the buffer it has
        if changed <= {"lr", "iteration"} and self._shipped_stops == list(self.controls["lr"].stops):
            self._select()
            return
        self._sync_enabled()
        self._compute(changed)
        self._render()

    def _render(self):
        png = self.picture.render()
        if png != self.canvas.picture:
            self.canvas.set_picture(png, self.picture.size)
        axes, marks, arrays, texts = self._scene()
        self._scene_axes = list(axes)
        self.canvas.show([axes_box(ax) for ax in axes], marks, arrays, texts, self._compact(arrays))
        self._shipped_stops = list(self.controls["lr"].stops)
        self._select()

    def _on_canvas_message(self, _widget, content, _buffers):
        if isinstance(content, dict) and content.get("event") == "click":
            self._on_click(int(content["axes"]), float(content["x"]), float(content["y"]))

    # --- what the learner sees -----------------------------------------------------------------------
    def shown(self, name: str) -> np.ndarray:
        """Array ``name`` of the moving layer for the step size shown, cut at the iteration shown when its
        marks follow the iteration: what the browser draws."""
        a = self.canvas.arrays[name]
        row = a[0] if a.shape[0] == 1 else a[self.controls["lr"].index]
        follows = any(m.get("data") == name and m.get("upto") == "iteration" for m in self.canvas.marks)
        return row[: self.controls["iteration"].value + 1] if follows else row

    def text(self, name: str) -> str:
        """Text ``name`` (title, status, readout, ...) for the step size and iteration shown."""
        from .marks import _text_at

        entries = self.canvas.texts[name]
        s, k = self.controls["lr"].index, self.controls["iteration"].value

        def value(array):
            a = self.canvas.arrays.get(array)
            if a is None:
                return None
            r = (a[0] if a.shape[0] == 1 else a[s]).reshape(-1)
            return r[min(k, r.size - 1)]

        return _text_at(entries[min(s, len(entries) - 1)], k, value)

    @property
    def alt(self) -> str:
        """What the figure shows, in words, for the step size shown (its alt text / aria-label)."""
        return self.text("alt") if "alt" in self.canvas.texts else self.canvas.alt

    def fallback_png(self) -> bytes:
        """The whole figure with its moving layer drawn by matplotlib (for viewers without widgets)."""
        c = self.canvas
        artists = draw_marks(self._scene_axes, c.marks, c.arrays, c.texts, self.controls["lr"].index,
                             self.controls["iteration"].value, {n: self.controls[n].value for n in self.toggles})
        try:
            return png_bytes(self.figure)
        finally:
            for a in artists:
                a.remove()
            self.picture.invalidate()

    def _describe(self) -> str:
        return f"{type(self).__name__}: {self.text('title') if 'title' in self.canvas.texts else ''}"

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        data = data[0] if isinstance(data, tuple) else data
        if not self._closed:  # for viewers without widgets (GitHub, nbconvert without widget state)
            data["image/png"] = base64.b64encode(self.fallback_png()).decode("ascii")
        data["text/plain"] = f"{self._describe()}\n{self.alt}"
        return data

    # --- closing ------------------------------------------------------------------------------------
    def close(self):
        """Close every widget of the explorer (controls, boxes, canvas, their layouts and styles) and drop
        its figure and buffers: nothing of it stays in the kernel but this small Python object."""
        if getattr(self, "_closed", True):
            return  # closed already, or never finished building
        self._closed = True
        self.controller.close()
        for w in _widget_tree(self):
            if w is not self:
                w.close()
        self.canvas.arrays = {}
        self.canvas.set_trait("data", b"")  # the widget is closed: nothing is sent
        self.canvas.set_trait("picture", b"")
        self.canvas.set_trait("texts", {})
        self._scene_axes = []
        self.figure = self.picture = None  # the figure and its pixel copies go with the last reference
        self.sweep = self.trajectory = None
        for name, value in list(vars(self).items()):  # axes, artists, arrays, runs kept by subclasses
            if _heavy(value):
                setattr(self, name, None)
        super().close()
        # IPython's output history keeps displayed objects: keep nothing but this shell.
        self.set_trait("children", ())
        self.controls, self.controller, self.canvas, self._surfaces = {}, None, None, {}


def set_limits(ax, xlim=None, ylim=None):
    """Set limits only when they differ: any set_*lim marks the axes stale (a new picture)."""
    if xlim is not None and tuple(ax.get_xlim()) != tuple(map(float, xlim)):
        ax.set_xlim(*xlim)
    if ylim is not None and tuple(ax.get_ylim()) != tuple(map(float, ylim)):
        ax.set_ylim(*ylim)


def set_labels(ax, ylabel=None, title=None, fontsize=9):
    """Set a y label or title only when it differs (for the same reason)."""
    if ylabel is not None and ax.get_ylabel() != ylabel:
        ax.set_ylabel(ylabel, fontsize=fontsize - 1)
    if title is not None and ax.get_title() != title:
        ax.set_title(title, fontsize=fontsize)


def _heavy(value) -> bool:
    """Does ``value`` hold a figure, axes, artists, arrays or runs (what a closed explorer must let go)?"""
    # Problems too: viz caches a contour grid (~0.6 MB) per live surface.
    if isinstance(value, (np.ndarray, Artist, Trajectory, Problem)):
        return True
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return any(_heavy(v) for v in value[:8])
    return False


def _widget_tree(root) -> list:
    """Every widget reachable from ``root`` through widget-valued traits (children, layout, style, ...)."""
    seen, order, todo = set(), [], [root]
    while todo:
        w = todo.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        order.append(w)
        for name in w.keys:
            value = getattr(w, name, None)
            items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else [value]
            for item in items:
                for x in (item if isinstance(item, (list, tuple)) else [item]):
                    if isinstance(x, widgets.Widget):
                        todo.append(x)
    return order


# --- re-running a cell closes the explorers it made before ----------------------------------------------
_BY_CELL: dict = {}


def _current_cell():
    """(cell id, execution count) of the notebook cell running now, or (None, None) outside a kernel."""
    try:
        from IPython import get_ipython

        ip = get_ipython()
        parent = ip.kernel.get_parent("shell")
        return parent.get("metadata", {}).get("cellId"), ip.execution_count
    except Exception:
        return None, None


def _remember_cell(figure: LiveFigure):
    cell, count = _current_cell()
    if not cell:
        return
    previous = _BY_CELL.get(cell)
    if previous is not None and previous[0] != count:
        for ref in previous[1]:
            old = ref()
            if old is not None:
                old.close()
        previous = None
    entry = previous or (count, [])
    entry[1].append(weakref.ref(figure))
    _BY_CELL[cell] = entry


__all__ = ["LiveFigure", "Readout", "stop_count", "set_limits", "set_labels", "SWEEP_BUDGET", "MAX_STOPS"]
