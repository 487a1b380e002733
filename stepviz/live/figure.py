"""LiveFigure: the machinery every explorer shares, and the hooks an explorer fills in.

An explorer is a box holding a :class:`~stepviz.live.canvas.LiveCanvas` (the matplotlib picture of its
static layer, the moving layer drawn over it in the browser) and its controls, all owned by one
:class:`~stepviz.live.controller.Controller`. A subclass declares its controls (specs from
:mod:`stepviz.live.controls`: each range written once; a :class:`StepSize` 'lr' and a :class:`Whole`
'steps' among them; the base adds the 'iteration' slider and 'play') and fills in the hooks:

- ``_build_figure()``: the axes and every static label and legend (laid out once, after it);
- ``floats_per_stop(values)``: float32 numbers one stop of the sweep sends, for control values ``values``
  (this sets how many stops fit the storage budget, and how many steps the budget allows);
- ``_compute(changed)``: run the whole step-size sweep for the current controls (``self.sweep``: one batched
  run, the step sizes index the batch) and update the static artists that depend on it;
- ``_scene()``: the :class:`~stepviz.live.scene.Scene` the canvas draws;
- optional: ``_sync_controls(changed)`` (controls that follow others: disabled where they do not apply, a
  new range), ``step_marks()`` (named step sizes shown as ticks on the slider), ``_on_click(axes, x, y)`` (a
  click on axes the scene marks clickable).

A change of the step size or the iteration needs no kernel work beyond picking the run (``trajectory``);
any other control recomputes the sweep, re-renders the axes that changed and sends one new scene. A failed
recomputation is shown in the explorer (one line; the last good picture stays, marked stale). ``close()``
lets go of widgets, figure and arrays; an explorer made again in the same cell or widget callback closes the
one made there before (:mod:`stepviz.live.lifetime`).
"""
from __future__ import annotations

import base64
import collections
import weakref
from abc import ABCMeta, abstractmethod

import ipywidgets as widgets
import numpy as np
from ipywidgets.widgets.widget import _instances

from ..viz.figure import DPI, StaticPicture, html_image, new_figure, png_bytes
from ..viz.style import OKABE_ITO
from . import lifetime, render, sizing
from .lifetime import heavy, widget_tree
from .canvas import LiveCanvas
from .controller import Controller, running_loop
from .controls import RefusedValue, iteration_slider, set_range
from .panel import FIRST, ControlPanel
from .sweep_controls import PlayButton, StepSize, StepSizeSlider, log_stops
from .scene import Scene, plain, text_at

#: Bytes of float32 sweep data per explorer; a saved page stores them as base64 (x 4/3), with the picture
#: and the texts: at most ~2 MB of widget state per explorer.
SWEEP_BUDGET = 1_200_000
#: Seconds a picture waits for the browser to say it has drawn the new runs (a hidden tab draws nothing).
PICTURE_WAIT = 0.5
MAX_STOPS = 201  # step sizes 10^(4.3/200) = 5 % apart over 1e-4 ... 2: a drag shows a new path per pixel
MIN_STOPS = 11


def stop_count(floats_per_stop: int) -> int:
    """How many step sizes a sweep can hold within SWEEP_BUDGET: odd, MIN_STOPS ... MAX_STOPS."""
    n = int(SWEEP_BUDGET // (4 * max(int(floats_per_stop), 1)))
    n = max(MIN_STOPS, min(MAX_STOPS, n))
    return n if n % 2 else n - 1


def play_seconds(steps: int, pace: tuple = (5.0, 2.0, 6.0)) -> float:
    """How long Play takes over ``steps`` steps at ``pace`` = (iterations per second, shortest, longest
    seconds): each step can be followed in short runs, long runs take at most the longest time."""
    rate, shortest, longest = pace
    return float(min(max(steps / rate, shortest), longest))


class ClosedExplorerError(RuntimeError):
    """What an explorer says once it is closed."""


CLOSED = ("this explorer is closed (its cell was run again, or close() was called); run its cell to make a "
          "new one")


FALLBACK_NOTE = ("A picture of this explorer as it was saved: its controls need the kernel that made it. Run the "
                 "cell to use them.")


class _ClosedController:
    def __getattr__(self, name):
        raise ClosedExplorerError(CLOSED)


class Readout:
    """The text under the figure for the step size shown (``value``: plain text), as the browser shows it."""

    def __init__(self, figure):
        self._figure = weakref.ref(figure)

    @property
    def value(self) -> str:
        f = self._figure()
        if f is None or f._closed:
            return ""
        texts = f.canvas.texts.get("readout")
        return plain(texts[min(f.controls["lr"].index, len(texts) - 1)]) if texts else ""

    def __repr__(self):
        return f"Readout({self.value!r})"


class _Meta(ABCMeta, type(widgets.VBox)):
    """ipywidgets' metaclass with abstract methods: an explorer that misses a hook cannot be made."""


class LiveFigure(sizing.BrowserSized, widgets.VBox, metaclass=_Meta):
    """See the module docstring. ``controls``, ``figure``, ``canvas``, ``controller``, ``sweep`` (every
    stop's run), ``trajectory`` (the run at the step size shown), ``readout``."""

    size_px = (760, 330)
    first_controls: tuple = FIRST  # shown before 'more controls' unless a lesson says otherwise (show_first)
    #: Controls (toggles) that only show or hide marks: the browser follows them, no kernel needed.
    toggles: tuple = ()
    #: Play's pace: (iterations per second, shortest, longest seconds); see :func:`play_seconds`.
    play_pace: tuple = (5.0, 2.0, 6.0)

    def __init__(self, specs: dict, values: dict, columns, *, alt: str = ""):
        self._closed, self._built = False, False  # close() (and ipywidgets' __del__) leave a half-made one alone
        before = set(_instances)
        try:
            self._build(specs, values, columns, alt)
        except BaseException:
            for model_id in set(_instances) - before:  # nothing of a failed explorer stays in the kernel
                w = _instances.get(model_id)  # None: closed with a box that made it (the control panel's)
                if w is not None:
                    widgets.VBox.close(w) if w is self else w.close()
            raise
        self._built = True
        lifetime.remember(self)

    def _build(self, specs, values, columns, alt):
        self._lr_spec: StepSize = specs["lr"]
        self.controls = {}
        for name, spec in specs.items():
            w = spec.build(spec.check(name, values.get(name)))
            w.control, w.on_refused = name, self._on_refused
            w.add_class(f"stepviz-{name.replace('_', '-')}")  # e2e tests and styles find controls by name
            self.controls[name] = w
        steps = self.controls["steps"].value
        self.controls["steps"].check_more = self._check_budget
        self.controls["iteration"] = iteration_slider(steps)
        self.controls["iteration"].control, self.controls["iteration"].on_refused = "iteration", self._on_refused
        self.controls["play"] = PlayButton(self.controls["iteration"], seconds=play_seconds(steps, self.play_pace))
        self.sweep = self.trajectory = None
        self._shipped_stops = None
        self.figure = new_figure(self.size_px)
        self.picture = StaticPicture(self.figure)
        self._shown = (tuple(self.size_px), 1.0)  # the picture's CSS size and pixel ratio (the browser's width)
        self._laid_out = None
        self._build_figure()
        c = self.controls
        self._columns = columns
        self._picture_due, self._picture_timer = None, None
        #: How the changed pictures left: 'at once', 'after drawn' (the browser had drawn the runs) or 'after wait'.
        self.pictures_sent = collections.Counter()
        self.canvas = LiveCanvas(on_click=self._on_click_event, on_resize=self._on_resize, on_drawn=self._on_drawn,
                                 alt=alt)
        self.readout = Readout(self)
        super().__init__([self.canvas, self._panel(self.first_controls)])
        self.add_class("stepviz-explorer")
        self.controller = Controller(c, self._on_update, observe=[n for n in c if n != "play"])
        self._sync_controls(set(c))
        self._refit()
        self._compute(set(c))
        self._render()

    def _panel(self, first) -> ControlPanel:
        """The controls under the figure, ``first`` first (the others behind 'more controls'), and the canvas told
        which of them the browser follows and which need a kernel."""
        c = self.controls
        self.panel = ControlPanel(c, self._columns, first)
        browser = ("lr", "iteration", "play") + tuple(self.toggles)
        self.canvas.controls = {"lr": c["lr"], "iteration": c["iteration"], "play": c["play"],
                                "kernel": [c[n] for n in c if n not in browser] + [self.panel.toggle] * bool(self.panel.toggle),
                                "toggles": {n: c[n] for n in self.toggles}}
        return self.panel

    def show_first(self, *names: str) -> "LiveFigure":
        """Show the controls ``names`` (with the step size, Play and the iteration) first, the others behind a
        'more controls' button; returns the explorer. A lesson keeps the names in its lesson module."""
        self._require_open()
        unknown = [n for n in names if n not in self.controls]
        if unknown:
            raise ValueError(f"show_first takes names of this explorer's controls, {sorted(self.controls)}; got {unknown}")
        old = self.panel
        self.children = (self.canvas, self._panel(self.first_controls + tuple(set(names) - set(self.first_controls))))
        old.close()
        return self

    # --- hooks ------------------------------------------------------------------------------------
    @abstractmethod
    def _build_figure(self) -> None:
        """The axes and every static label and legend."""

    @abstractmethod
    def floats_per_stop(self, values: dict) -> int:
        """Float32 numbers one stop of the sweep sends when the controls hold ``values`` (name -> value)."""

    @abstractmethod
    def _compute(self, changed: set) -> None:
        """Run the sweep (``self.sweep``) for the controls now; ``changed``: the controls that changed."""

    @abstractmethod
    def _scene(self) -> Scene:
        """What the canvas draws for the sweep just computed."""

    def _sync_controls(self, changed: set) -> None:
        """Bring controls that follow others into line (``changed`` just changed): disable those that do not
        apply, give a new range. Runs before the stops are fitted and the sweep computed."""

    def step_marks(self) -> dict:
        """Named step sizes ({label: value}) the step-size slider holds exactly and shows as ticks."""
        return {}

    def _on_click(self, axes: int, x: float, y: float) -> None:
        """A click in the browser on clickable axes ``axes`` at data point (x, y)."""

    def _select(self) -> None:
        """The run at the step size shown."""
        self.trajectory = self.sweep[self.controls["lr"].index]

    # --- the sweep ----------------------------------------------------------------------------------
    @property
    def stops(self) -> np.ndarray:
        return np.asarray(self.controls["lr"].stops)

    def _values(self, **override) -> dict:
        return {**{n: w.value for n, w in self.controls.items() if w.has_trait("value")}, **override}

    def _refit(self):
        """As many stops as the budget allows, the step size shown and the named step sizes among them."""
        lr: StepSizeSlider = self.controls["lr"]
        n = stop_count(self.floats_per_stop(self._values()))
        marks = {k: float(v) for k, v in self.step_marks().items() if np.isfinite(v)}
        wanted = [{"value": v, "label": k} for k, v in marks.items() if self._lr_spec.low <= v <= self._lr_spec.high]
        if n != len(lr.stops) or wanted != list(lr.marks):
            lr.set_stops(log_stops(self._lr_spec.low, self._lr_spec.high, n), lr.value, marks)

    def _check_budget(self, steps: int):
        """Refuse a number of steps whose sweep, even at the fewest stops, exceeds the storage budget."""
        floats = self.floats_per_stop(self._values(steps=steps))
        if MIN_STOPS * 4 * floats > SWEEP_BUDGET:
            most = steps
            while most > 1 and MIN_STOPS * 4 * self.floats_per_stop(self._values(steps=most)) > SWEEP_BUDGET:
                most = most * 9 // 10
            raise RefusedValue(f"the 'steps' control takes at most about {most} steps here: {steps} steps would "
                               "store more than the 2 MB a saved notebook keeps per explorer")

    def _show_whole_run(self, steps: int):
        """A new run of ``steps`` steps: the iteration slider spans it and shows all of it; Play takes its time."""
        c = self.controls
        set_range(c["iteration"], 0, steps, steps)
        c["play"].seconds = play_seconds(steps, self.play_pace)

    # --- updates ------------------------------------------------------------------------------------
    def _on_update(self, changed: set):
        if self._closed or changed <= {"iteration", *self.toggles}:
            return  # the browser draws the iteration and the toggled marks from the buffer it has
        if changed <= {"lr", "iteration"} and self._shipped_stops == list(self.controls["lr"].stops):
            self._select()
            return
        try:
            self._sync_controls(changed)
            self._refit()
            self._compute(changed)
            self._render()
        except Exception as e:
            self.canvas.set_trait("error", f"recomputing failed ({type(e).__name__}: {str(e)[:200]})")
            self.canvas.set_trait("stale", True)
            if not self.controller.from_browser:
                raise
            return
        if self.canvas.error:
            self.canvas.error, self.canvas.stale = "", False

    def _on_refused(self, widget, message: str):
        self.canvas.set_trait("error", message)

    def _render(self):
        """Send the new scene, then the picture. The scene (the runs, texts, axes boxes) is ready in a few ms and
        leaves first, so the browser draws the new runs at once; matplotlib's picture of the static layer follows
        (the main axes' old picture is dimmed meanwhile if it changes, e.g. a new surface). For a change made in
        the browser the picture waits until the browser says it has drawn the new runs (at most PICTURE_WAIT s):
        rendered at once, it took a core from the browser's decoding and drawing of them on this 2-core machine
        (a surface switch: new pixels after ~260 ms instead of ~130 ms)."""
        scene = self._scene()
        sizing.readable(self.figure)  # a legend made by _compute: its text readable too
        if (self._shown, sizing.bands(scene)) != self._laid_out:
            self._lay_out(scene)
        first = self._shipped_stops is None
        redraw = self.picture.changed()
        if first:
            self.canvas.set_picture(self.picture.render(), self._shown[0])
            self.canvas.show(scene)
        elif not redraw:
            self.canvas.show(scene, first_stop=self.controls["lr"].index, hold=self.controller.from_browser)
        else:
            self.canvas.show(scene, first_stop=self.controls["lr"].index, hold=self.controller.from_browser,
                             pending=bool(scene.axes[0].stale))
            if not self._hold_picture():
                self._send_picture()
        self._shipped_stops = list(self.controls["lr"].stops)
        self._select()

    def _hold_picture(self) -> bool:
        """For a change from the browser: wait for its 'drawn' (or PICTURE_WAIT s) before rendering the picture.
        False (render now) for a change made in Python, without a browser or without a running event loop."""
        if not (self.controller.from_browser and self.canvas.browser_seen):
            return False
        loop = running_loop()
        if loop is None:
            return False
        if self._picture_timer is not None:
            self._picture_timer.cancel()
        self._picture_due = self.canvas.whole_version  # after the whole sweep (which may wait for its first stop)
        self._picture_timer = loop.call_later(PICTURE_WAIT, self._send_held_picture)
        return True

    def _on_drawn(self, version: int):
        if self._picture_due is not None and version >= self._picture_due:
            self._send_held_picture("after drawn")

    def _send_held_picture(self, how="after wait"):
        """The picture held back by _hold_picture (the browser drew the runs, or the wait ended); a failure is
        said in the explorer, the old picture kept."""
        if self._picture_due is None or self._closed:
            return
        try:
            self._send_picture(how)
        except Exception as e:
            with self.canvas.hold_sync():
                self.canvas.error = f"drawing the picture failed ({type(e).__name__}: {str(e)[:200]})"
                self.canvas.stale, self.canvas.pending = True, False

    def _send_picture(self, how="at once"):
        """Render the picture if it changed and send it, with the old one no longer dimmed."""
        if self._picture_timer is not None:
            self._picture_timer.cancel()
        self._picture_due = self._picture_timer = None
        png = self.picture.render()
        with self.canvas.hold_sync():
            if png != self.canvas.picture:
                self.canvas.set_picture(png, self._shown[0])
                self.pictures_sent[how] += 1
            self.canvas.pending = False

    def _on_click_event(self, axes, x, y):
        if not self._closed and axes in self.canvas.scene.clickable:
            try:
                self._on_click(axes, x, y)
            except Exception as e:  # a click comes from the browser: say it in the explorer
                self.canvas.set_trait("error", f"the click failed ({type(e).__name__}: {str(e)[:200]})")

    # --- what the learner sees -----------------------------------------------------------------------
    def _require_open(self):
        if self._closed:
            raise ClosedExplorerError(CLOSED)

    def _value_at(self, name):
        return render.value_at(self.canvas.arrays, name, self.controls["lr"].index, self.controls["iteration"].value)

    def shown(self, name: str) -> np.ndarray:
        """Array ``name`` of the moving layer for the step size shown, cut at the iteration shown when its
        marks follow the iteration: what the browser draws."""
        self._require_open()
        row = render.row(self.canvas.arrays[name], self.controls["lr"].index)
        follows = any(getattr(m, "data", None) == name and getattr(m, "upto", None) == "iteration"
                      for m in self.canvas.scene.marks)
        return row[: self.controls["iteration"].value + 1] if follows else row

    def text(self, name: str) -> str:
        """Text ``name`` (title, status, alt, ...) for the step size and iteration shown."""
        self._require_open()
        entries = self.canvas.texts[name]
        entry = entries[min(self.controls["lr"].index, len(entries) - 1)]
        if name == "readout":
            return plain(entry)
        return text_at(entry, self.controls["iteration"].value, self._value_at)

    @property
    def alt(self) -> str:
        """What the figure shows, in words, for the step size shown (its alt text / aria-label)."""
        self._require_open()
        return self.text("alt") if "alt" in self.canvas.texts else self.canvas.alt

    def fallback_png(self) -> bytes:
        """The whole figure with its moving layer drawn by matplotlib (for viewers without widgets)."""
        self._require_open()
        c = self.canvas
        artists = render.draw(c.scene.axes, c.scene.marks, c.arrays, c.texts, self.controls["lr"].index,
                              self.controls["iteration"].value, {n: self.controls[n].value for n in self.toggles})
        try:
            return png_bytes(self.figure, dpi=DPI)
        finally:
            for a in artists:
                a.remove()
            self.picture.invalidate()

    def _describe(self) -> str:
        return f"{type(self).__name__}: {self.text('title') if 'title' in self.canvas.texts else ''}"

    def _repr_mimebundle_(self, **kwargs):
        """The widget; for a page that cannot show it (its kernel is gone: a saved notebook reopened, GitHub,
        nbconvert without widget state) the picture with its moving layer and one line that says so."""
        if self._closed:
            return {"text/plain": f"({type(self).__name__}: {CLOSED})"}
        data = super()._repr_mimebundle_(**kwargs)
        data = data[0] if isinstance(data, tuple) else data
        png = self.fallback_png()
        data["image/png"] = base64.b64encode(png).decode("ascii")
        data["text/html"] = (f'<div class="stepviz-fallback">{html_image(png, self.alt, self._shown[0][0])}'
                             f'<div class="stepviz-kernel-note" style="font-size: 12px; border-left: 3px solid '
                             f'{OKABE_ITO["blue"]}; padding: 2px 6px;">{FALLBACK_NOTE}</div></div>')
        data["text/plain"] = f"{self._describe()}\n{self.alt}"
        return data

    # --- closing ------------------------------------------------------------------------------------
    def close(self):
        """Close every widget of the explorer (controls, boxes, canvas, their layouts and styles) and drop
        its figure and buffers: nothing of it stays in the kernel but this small Python object."""
        if getattr(self, "_closed", True) or not getattr(self, "_built", False):
            return  # closed already, or never finished building
        self._closed = True
        self.controller.close()
        if self._picture_timer is not None:
            self._picture_timer.cancel()
            self._picture_timer = None
        for w in widget_tree(self):
            if w is not self:
                w.close()
        self.canvas.arrays, self.canvas.scene = {}, None
        self.canvas.set_trait("data", b"")  # the widget is closed: nothing is sent
        self.canvas.set_trait("picture", b"")
        self.canvas.set_trait("texts", {})
        self.figure = self.picture = None  # the figure and its pixel copies go with the last reference
        self.sweep = self.trajectory = None
        for name, value in list(vars(self).items()):  # axes, artists, arrays, runs kept by subclasses
            if heavy(value):
                setattr(self, name, None)
        super().close()
        # IPython's output history keeps displayed objects: keep nothing but this shell.
        self.set_trait("children", ())
        self.controls, self.canvas, self.panel, self._columns = {}, None, None, ()
        self.controller = _ClosedController()
        self._repr_mimebundle_ = type(self)._repr_mimebundle_.__get__(self)  # ipywidgets unset it on close


__all__ = ["LiveFigure", "Readout", "ClosedExplorerError", "stop_count", "play_seconds",
           "SWEEP_BUDGET", "MAX_STOPS", "MIN_STOPS"]
