"""The explorers' controls, declared once (after mpl-interactions): a spec says a control's range and how
it is labelled, checks the explorer's argument against that range, and builds the widget from it.

- :class:`Number`, :class:`Whole`, :class:`Choice`, :class:`Switch`, :class:`StepSize`: the specs.
- The widgets they build refuse a value outside the range with a TraitError that names the control (from
  Python and from the browser alike: ipywidgets then rolls the value back, and the browser is sent the value
  the kernel kept); NaN is outside every range. Their readouts can be typed into.
- :mod:`stepviz.live.sweep_controls` holds the two controls the browser runs without the kernel: the
  step-size slider over the sweep's stops and Play.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
import traitlets as t

from .. import _validate

#: Every explorer's controls: one description width, two columns of this width (fits 840 px).
STYLE = {"description_width": "92px"}
CONTROL_WIDTH = "360px"


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


def real_number(value) -> float | None:
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
        v = real_number(proposal["value"])
        if v is None or not self.min <= v <= self.max:
            self.refuse(proposal["value"], f"a number from {self.min:g} to {self.max:g}")
        if self.check_more is not None:
            self.check_more(v)
        return v


class LogNumberSlider(Refusing, widgets.FloatLogSlider):
    value = t.Any(1.0).tag(sync=True)

    @t.validate("value")
    def _validate_value(self, proposal):
        v = real_number(proposal["value"])
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
    """Give slider ``w`` a new range and value in an order the browser can follow message by message: widen to
    cover both ranges, move the value, narrow. (A slider that is sent a value outside its range, or a range that
    leaves its value outside, clamps the value in the browser and sends the clamped one back: a run from
    iteration 200 of 201, a start the learner did not choose.)"""
    if w.min > low:
        w.min = low
    if w.max < high:
        w.max = high
    w.value = value
    w.min, w.max = low, high


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


def iteration_slider(steps) -> widgets.IntSlider:
    return WholeSlider(value=steps, min=0, max=steps, description="iteration", style={"description_width": "64px"},
                       layout=widgets.Layout(width="262px"))


__all__ = ["widget_refs", "scalar", "whole", "option", "flag", "Number", "Whole", "Choice", "Switch", "Action",
           "set_range", "real_number", "iteration_slider", "Refusing", "RefusedValue", "STYLE", "CONTROL_WIDTH"]
