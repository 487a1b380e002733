"""The two controls the browser runs without the kernel (``static/controls.js``, an anywidget front end):
:class:`StepSizeSlider` picks one of the step-size sweep's stops (the marked values 1/L, 2/L, ... are stops of
their own, shown as ticks; a typed value becomes a stop) and :class:`PlayButton` animates the iteration slider.
In the browser both change their models on every move or frame and tell the kernel only when the learner
settles, so the canvas (which watches them) never waits for the kernel, and both keep working in a page without
one. From Python they behave like ipywidgets controls: ``value``, ``observe``, ``disabled``.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from pathlib import Path

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets as t

from .controls import Refusing, real_number, scalar
from .scene import fmt

_ESM = Path(__file__).with_name("static") / "controls.js"


def log_stops(low: float, high: float, count: int, keep: float | None = None) -> list[float]:
    """``count`` log-spaced step sizes from ``low`` to ``high``; the one nearest ``keep`` (if given)
    is replaced by ``keep`` itself, so a value set from Python is shown exactly."""
    stops = [float(s) for s in np.geomspace(low, high, count)]
    return place(stops, [keep]) if keep is not None else stops


def place(stops, exact, keep=()) -> list[float]:
    """``stops`` with each value of ``exact`` in it: a value replaces the nearest stop that is neither a value
    of ``keep`` nor one placed before it; sorted, so the stops stay in order."""
    out = [float(s) for s in stops]
    fixed = {float(v) for v in keep}
    for v in exact:
        v = float(v)
        if v in out:
            fixed.add(v)
            continue
        free = [i for i, s in enumerate(out) if s not in fixed]
        if not free:
            break
        i = min(free, key=lambda j: abs(math.log(out[j] / v)))
        out[i] = v
        fixed.add(v)
    return sorted(out)


class StepSizeSlider(Refusing, anywidget.AnyWidget):
    """A slider over a list of step sizes (``stops``, log-spaced); ``value`` is ``stops[index]``.

    ``marks``: named step sizes ([{'value', 'label'}], e.g. 2/L) that are stops themselves, drawn as ticks;
    arrows stop at them. Keys: arrows cross the range in about ``presses`` presses, Shift+arrow one stop,
    PageUp/PageDown a quarter, Home/End the ends. The number box takes a typed value (Enter): the kernel makes it
    a stop. Setting ``value`` from Python or the browser to a step size between two stops replaces the
    nearest unmarked stop by it; outside the range, NaN or not a number is refused (a TraitError naming the
    range; from the browser the value is rolled back).
    """

    _esm = _ESM
    kind = t.Unicode("stepper").tag(sync=True)
    value = t.Float(0.1).tag(sync=True)
    index = t.Int(0).tag(sync=True)
    stops = t.List(t.Float(), minlen=2).tag(sync=True)
    marks = t.List(t.Dict()).tag(sync=True)
    description = t.Unicode("step size α").tag(sync=True)
    disabled = t.Bool(False).tag(sync=True)
    tooltip = t.Unicode("").tag(sync=True)
    presses = t.Int(20).tag(sync=True)

    def __init__(self, value: float, stops, **kwargs):
        stops = place(stops, [value])
        super().__init__(stops=stops, index=stops.index(float(value)), value=float(value), **kwargs)
        self.control = "lr"
        self.add_class("stepviz-lr")

    @property
    def min(self) -> float:
        return self.stops[0]

    @property
    def max(self) -> float:
        return self.stops[-1]

    def _marked(self) -> list[float]:
        return [float(m["value"]) for m in self.marks]

    @t.validate("value")
    def _check_value(self, proposal):
        v = real_number(proposal["value"])
        if v is None or not self.stops[0] <= v <= self.stops[-1]:
            self.refuse(proposal["value"], f"a single number from {fmt(self.stops[0])} to {fmt(self.stops[-1])} "
                                           "(the step-size slider's range)")
        return v

    @t.validate("index")
    def _check_index(self, proposal):
        i = proposal["value"]
        if isinstance(i, bool) or not isinstance(i, numbers.Integral) or not 0 <= i < len(self.stops):
            self.refuse(i, f"a stop index from 0 to {len(self.stops) - 1}")
        return int(i)

    @t.observe("value")
    def _snap(self, change):
        v = change["new"]
        with self.hold_trait_notifications():
            if v not in self.stops:
                self.stops = place(self.stops, [v], keep=self._marked())
            self.index = self.stops.index(v)

    def set_stops(self, stops, value: float, marks=()):
        """New stops holding ``value`` and the ``marks`` ({label: step size} within the range) exactly."""
        lo, hi = min(stops), max(stops)
        named = [(float(v), str(label)) for label, v in dict(marks).items() if lo <= v <= hi]
        placed = place(stops, [v for v, _ in named] + [value])
        with self.hold_trait_notifications():
            self.marks = [{"value": v, "label": label} for v, label in named]
            self.stops = placed
            self.index = placed.index(float(value))
            self.value = float(value)


class PlayButton(anywidget.AnyWidget):
    """Play/Pause: animates ``iteration`` (an IntSlider) from where it is to its end in ``seconds``,
    drawing between iterates (``position`` is fractional), at the browser's frame rate."""

    _esm = _ESM
    kind = t.Unicode("player").tag(sync=True)
    iteration = anywidget.WidgetTrait().tag(sync=True)
    playing = t.Bool(False).tag(sync=True)
    position = t.Float(0.0).tag(sync=True)
    seconds = t.Float(4.0).tag(sync=True)
    disabled = t.Bool(False).tag(sync=True)
    tooltip = t.Unicode("").tag(sync=True)

    def __init__(self, iteration: widgets.IntSlider, seconds: float = 4.0, **kwargs):
        super().__init__(iteration=iteration, seconds=seconds, **kwargs)
        self.add_class("stepviz-play")
        iteration.add_class("stepviz-iteration")



@dataclass(frozen=True)
class StepSize:
    """The step size alpha, log-spaced stops from ``low`` to ``high`` (see :class:`StepSizeSlider`)."""

    low: float
    high: float
    label: str = "step size α"

    def check(self, name, value) -> float:
        return scalar(name, value, self.low, self.high, what="the step-size slider's range")

    def build(self, value):
        return StepSizeSlider(value, log_stops(self.low, self.high, 11, keep=value), description=self.label)


__all__ = ["StepSizeSlider", "PlayButton", "StepSize", "log_stops", "place"]
