"""The explorers' controls, declared once (after mpl-interactions): a spec says a control's range and how
it is labelled, checks the explorer's argument against that range, and builds the widget from it.

- :class:`Number`, :class:`Whole`, :class:`Choice`, :class:`Switch`, :class:`StepSize`: the specs.
- The widgets they build refuse a value outside the range with a TraitError that names the control (from
  Python and from the browser alike: ipywidgets then rolls the value back, and the browser is sent the value
  the kernel kept); NaN is outside every range. Their readouts can be typed into.
- :class:`StepSizeSlider` picks one of the step-size sweep's stops (``static/controls.js``): the marked
  values (1/L, 2/L, ...) are stops of their own, shown as ticks, and a typed value becomes a stop.
- :class:`PlayButton` animates the iteration slider in the browser.
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

from .. import _validate
from .scene import fmt

#: Every explorer's controls: one description width, two columns of this width (fits 840 px).
STYLE = {"description_width": "92px"}
CONTROL_WIDTH = "360px"
_ESM = Path(__file__).with_name("static") / "controls.js"


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


# --- checking an explorer's arguments ------------------------------------------------------------------

def scalar(name: str, value, low: float, high: float, *, what: str = "the slider's range") -> float:
    """One finite number in [low, high], else a ValueError/TypeError that says the range (a slider cannot show
    anything outside its range, and an explorer sweeps step sizes itself: an array or a schedule is not a
    value for a slider)."""
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


def flag(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


# --- widgets that refuse what is outside their range -----------------------------------------------------

class RefusedValue(t.TraitError, ValueError):
    """A control's value outside its range: a TraitError (ipywidgets then rolls a browser's value back) and a
    ValueError (what bad input raises everywhere in stepviz)."""


class Refusing:
    """A widget whose validation errors are TraitErrors: a value from the browser that fails is rolled back
    in the kernel (ipywidgets), the browser is sent the value kept, and ``on_refused(widget, message)`` (set
    by the explorer) is told why. ``control``: the name in the explorer's ``controls``."""

    control = ""
    on_refused = None
    check_more = None  # an extra check of a proposed value (e.g. the storage budget of 'steps'): raises TraitError

    def refuse(self, value, allowed: str):
        raise RefusedValue(f"the '{self.control}' control ({self.description}) takes {allowed}; got {value!r}")

    def set_state(self, sync_data):
        try:
            super().set_state(sync_data)
        except t.TraitError as e:
            self.send_state([k for k in sync_data if k in self.keys])  # the browser shows what the kernel kept
            if self.on_refused is not None:
                self.on_refused(self, str(e))


def _real(value) -> float | None:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating)):
        return None
    v = float(value)
    return v if math.isfinite(v) else None


# ``value`` is Any on these sliders: ipywidgets' CFloat/CInt would cast True to 1 and 2.5 to 2 before the
# check below could refuse them.
class NumberSlider(Refusing, widgets.FloatSlider):
    value = t.Any(0.0).tag(sync=True)

    @t.validate("value")
    def _validate_value(self, proposal):
        v = _real(proposal["value"])
        if v is None or not self.min <= v <= self.max:
            self.refuse(proposal["value"], f"a number from {self.min:g} to {self.max:g}")
        if self.check_more is not None:
            self.check_more(v)
        return v


class LogNumberSlider(Refusing, widgets.FloatLogSlider):
    value = t.Any(1.0).tag(sync=True)

    @t.validate("value")
    def _validate_value(self, proposal):
        v = _real(proposal["value"])
        low, high = self.base ** self.min, self.base ** self.max
        if v is None or not low * (1 - 1e-12) <= v <= high * (1 + 1e-12):
            self.refuse(proposal["value"], f"a number from {low:.3g} to {high:.3g}")
        return v


class WholeSlider(Refusing, widgets.IntSlider):
    value = t.Any(0).tag(sync=True)

    @t.validate("value")
    def _validate_value(self, proposal):
        v = proposal["value"]
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral) or not self.min <= v <= self.max:
            self.refuse(v, f"a whole number from {self.min} to {self.max}")
        if self.check_more is not None:
            self.check_more(int(v))
        return int(v)


class ChoiceDropdown(Refusing, widgets.Dropdown):
    pass


class ChoiceSlider(Refusing, widgets.SelectionSlider):
    pass


class SwitchBox(Refusing, widgets.Checkbox):
    pass


class SwitchButton(Refusing, widgets.ToggleButton):
    pass


def set_range(w, low, high, value):
    """Give slider ``w`` a new range and value in one message to the browser, each step a valid range."""
    with w.hold_sync():
        if low > w.max:
            w.max, w.min = high, low
        else:
            w.min, w.max = low, high
        w.value = value


# --- the specs ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Number:
    """A number from ``low`` to ``high`` on a slider with this ``step`` (``log``: a slider over 10^x, its
    ends and step in decades), its readout written with ``fmt``."""

    low: float
    high: float
    step: float
    label: str
    fmt: str = ".2f"
    log: bool = False
    what: str = "the slider's range"

    def check(self, name, value) -> float:
        return scalar(name, value, self.low, self.high, what=self.what)

    def build(self, value):
        common = dict(description=self.label, readout_format=self.fmt, style=STYLE,
                      layout=widgets.Layout(width=CONTROL_WIDTH))
        if self.log:
            return LogNumberSlider(value=value, base=10, min=math.log10(self.low), max=math.log10(self.high),
                                   step=self.step, **common)
        return NumberSlider(value=value, min=self.low, max=self.high, step=self.step, **common)


@dataclass(frozen=True)
class Whole:
    low: int
    high: int
    label: str
    step: int = 1

    def check(self, name, value) -> int:
        return whole(name, value, self.low, self.high)

    def build(self, value):
        return WholeSlider(value=value, min=self.low, max=self.high, step=self.step, description=self.label,
                           style=STYLE, layout=widgets.Layout(width=CONTROL_WIDTH))


@dataclass(frozen=True)
class Choice:
    """One of ``options`` (a tuple, or a dict whose keys are shown), in a dropdown or (``slider``) a slider."""

    options: tuple
    label: str
    slider: bool = False

    def check(self, name, value):
        if self.slider:
            if value not in self.options or isinstance(value, bool):
                raise ValueError(f"{name} must be one of {self.options} (the slider's stops); got {value!r}")
            return value
        return option(name, value, self.options)

    def build(self, value):
        cls = ChoiceSlider if self.slider else ChoiceDropdown
        return cls(options=list(self.options), value=value, description=self.label, style=STYLE,
                   layout=widgets.Layout(width=CONTROL_WIDTH))


@dataclass(frozen=True)
class Switch:
    """On or off: a checkbox, or (``button``) a toggle button."""

    label: str
    button: bool = False
    icon: str = ""
    tooltip: str = ""

    def check(self, name, value) -> bool:
        return flag(name, value)

    def build(self, value):
        if self.button:
            return SwitchButton(value=value, description=self.label, icon=self.icon, tooltip=self.tooltip,
                                layout=widgets.Layout(width="170px"))
        return SwitchBox(value=value, description=self.label, indent=False, layout=widgets.Layout(width=CONTROL_WIDTH))


@dataclass(frozen=True)
class Action:
    """A button (no value): what it does is the explorer's (``on_click``)."""

    label: str
    icon: str = ""
    tooltip: str = ""

    def check(self, name, value):
        return None

    def build(self, value):
        return widgets.Button(description=self.label, icon=self.icon, tooltip=self.tooltip,
                              layout=widgets.Layout(width="170px"))


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


# --- the step-size slider and Play ----------------------------------------------------------------------------

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
        v = _real(proposal["value"])
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


def iteration_slider(steps) -> widgets.IntSlider:
    return WholeSlider(value=steps, min=0, max=steps, description="iteration", style={"description_width": "64px"},
                       layout=widgets.Layout(width="262px"))


__all__ = ["widget_refs", "scalar", "whole", "option", "flag", "Number", "Whole", "Choice", "Switch", "Action", "StepSize",
           "StepSizeSlider", "PlayButton", "log_stops", "place", "set_range", "iteration_slider", "Refusing", "RefusedValue",
           "STYLE", "CONTROL_WIDTH"]
