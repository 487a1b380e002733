"""The explorers' fast controls, drawn by the package's own front end (controls.js, anywidget).

:class:`StepSizeSlider` picks one of the step-size sweep's stops and :class:`PlayButton` animates the
iteration slider; in the browser both change their models on every move or frame and tell the kernel
only when the learner settles, so the canvas (which watches them) never waits for the kernel, and both
keep working in a page without one. From Python they behave like ipywidgets controls: ``value``,
``observe``, ``disabled``.
"""
from __future__ import annotations

import numbers
from pathlib import Path

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets as t

from .. import _validate

#: Every explorer's controls: one description width, two columns of this width (fits 840 px).
STYLE = {"description_width": "92px"}
CONTROL_WIDTH = "360px"

_ESM = Path(__file__).with_name("controls.js").read_text(encoding="utf-8")


def widget_refs(value, _owner=None):
    """A trait's value with every widget in it replaced by anywidget's reference ('anywidget:<model id>'),
    which a front end resolves with ``host.getModel``."""
    if isinstance(value, widgets.Widget):
        return f"anywidget:{value.model_id}"
    if isinstance(value, dict):
        return {k: widget_refs(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [widget_refs(v) for v in value]
    return value


def log_stops(low: float, high: float, count: int, keep: float | None = None) -> list[float]:
    """``count`` log-spaced step sizes from ``low`` to ``high``; the one nearest ``keep`` (if given)
    is replaced by ``keep`` itself, so a value set from Python is shown exactly."""
    stops = np.geomspace(low, high, count)
    if keep is not None:
        stops[int(np.argmin(np.abs(np.log(stops) - np.log(keep))))] = keep
    return [float(s) for s in stops]


class StepSizeSlider(anywidget.AnyWidget):
    """A slider over a fixed list of step sizes (``stops``), log-spaced; ``value`` is ``stops[index]``.

    Keys: arrows cross the range in about ``presses`` presses, PageUp/PageDown four times faster,
    Shift+arrow one stop, Home/End the ends; Tab and Escape leave it. Setting ``value`` from Python to a
    step size between two stops replaces the nearest stop by it (``stops`` changes); outside the range, or
    not a single number, it raises a ValueError/TypeError that names the range.
    """

    _esm = _ESM
    kind = t.Unicode("stepper").tag(sync=True)
    value = t.Float(0.1).tag(sync=True)
    index = t.Int(0).tag(sync=True)
    stops = t.List(t.Float(), minlen=2).tag(sync=True)
    description = t.Unicode("step size α").tag(sync=True)
    disabled = t.Bool(False).tag(sync=True)
    tooltip = t.Unicode("").tag(sync=True)
    presses = t.Int(20).tag(sync=True)

    def __init__(self, value: float, stops, **kwargs):
        stops = [float(s) for s in stops]
        super().__init__(stops=stops, index=int(np.argmin(np.abs(np.log(stops) - np.log(value)))),
                         value=float(value), **kwargs)
        self.add_class("stepviz-lr")

    @property
    def min(self) -> float:
        return self.stops[0]

    @property
    def max(self) -> float:
        return self.stops[-1]

    @t.validate("value")
    def _check_value(self, proposal):
        return scalar("lr", proposal["value"], self.stops[0], self.stops[-1], what="the step-size slider's range")

    @t.observe("value")
    def _snap(self, change):
        stops = self.stops
        i = int(np.argmin(np.abs(np.log(stops) - np.log(change["new"]))))
        with self.hold_trait_notifications():
            if stops[i] != change["new"]:
                stops = list(stops)
                stops[i] = change["new"]
                self.stops = stops
            self.index = i

    def set_stops(self, stops, value: float):
        """A new list of stops, keeping ``value`` (which must lie in their range) as one of them."""
        stops = [float(s) for s in stops]
        i = int(np.argmin(np.abs(np.log(stops) - np.log(value))))
        stops[i] = float(value)
        with self.hold_trait_notifications():
            self.stops = stops
            self.index = i
            self.value = float(value)


class PlayButton(anywidget.AnyWidget):
    """Play/Pause: animates ``iteration`` (an IntSlider) from where it is to its end in ``seconds``,
    drawing between iterates (``position`` is fractional), at the browser's frame rate."""

    _esm = _ESM
    kind = t.Unicode("player").tag(sync=True)
    iteration = t.Instance(widgets.IntSlider).tag(sync=True, to_json=widget_refs)
    playing = t.Bool(False).tag(sync=True)
    position = t.Float(0.0).tag(sync=True)
    seconds = t.Float(4.0).tag(sync=True)
    disabled = t.Bool(False).tag(sync=True)
    tooltip = t.Unicode("").tag(sync=True)

    def __init__(self, iteration: widgets.IntSlider, seconds: float = 4.0, **kwargs):
        super().__init__(iteration=iteration, seconds=seconds, **kwargs)
        self.add_class("stepviz-play")
        iteration.add_class("stepviz-iteration")


def scalar(name: str, value, low: float, high: float, *, what: str = "the slider's range") -> float:
    """One finite number in [low, high], else a ValueError/TypeError that says the range: how every
    explorer checks its arguments (a slider cannot show anything outside its range, and an explorer
    sweeps arrays of step sizes itself, so an array or a schedule is not a value for a slider)."""
    allowed = f"a single number from {low:.3g} to {high:.3g} ({what})"
    if callable(value) or np.ndim(value) != 0 or isinstance(value, (str, bytes, bool, np.bool_)) or value is None:
        raise TypeError(f"{name} must be {allowed}; got {value!r}")
    return float(_validate.number(name, value, low=low, high=high, allowed=allowed))


def whole(name: str, value, low: int, high: int, *, what: str = "the slider's range") -> int:
    """One whole number in [low, high], else a ValueError/TypeError that says the range."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number from {low} to {high} ({what}); got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high} ({what}); got {value!r}")
    return int(value)


def option(name: str, value, options) -> str:
    """One of ``options`` (a dropdown's), else a ValueError that lists them."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of: {', '.join(map(repr, options))}; got {value!r}")
    return _validate.choice(name, value, list(options))


def float_slider(value, low, high, step, description, fmt=".2f") -> widgets.FloatSlider:
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               readout_format=fmt, style=STYLE, layout=widgets.Layout(width=CONTROL_WIDTH))


def int_slider(value, low, high, description, step=1) -> widgets.IntSlider:
    return widgets.IntSlider(value=value, min=low, max=high, step=step, description=description, style=STYLE,
                             layout=widgets.Layout(width=CONTROL_WIDTH))


def dropdown(options, value, description) -> widgets.Dropdown:
    return widgets.Dropdown(options=list(options), value=value, description=description, style=STYLE,
                            layout=widgets.Layout(width=CONTROL_WIDTH))


def iteration_slider(steps) -> widgets.IntSlider:
    return widgets.IntSlider(value=steps, min=0, max=steps, description="iteration", style={"description_width": "64px"},
                             layout=widgets.Layout(width="262px"))


def play_seconds(steps: int) -> float:
    """How long Play takes over a run of ``steps`` steps: about 5 iterations per second for short runs
    (each step can be followed), at most 6 s for long ones."""
    return float(min(max(steps / 5.0, 2.0), 6.0))


__all__ = ["widget_refs", "StepSizeSlider", "PlayButton", "log_stops", "play_seconds", "scalar", "whole", "option",
           "float_slider", "int_slider", "dropdown", "iteration_slider", "STYLE", "CONTROL_WIDTH"]
