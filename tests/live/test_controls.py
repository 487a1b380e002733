"""The declared controls and the widgets they build: a range written once checks the explorer's argument and
bounds the widget; a value outside it (NaN included) is refused with a TraitError naming the control, and from
the browser it is also rolled back (the browser is sent the value the kernel kept). The step-size slider holds
the named step sizes and typed values exactly."""
from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np
import pytest
import traitlets as t

from stepviz.live.controls import Choice, Number, Switch, Whole, set_range, widget_refs
from stepviz.live.sweep_controls import PlayButton, StepSize, StepSizeSlider, log_stops, place

from .browser import Sent, update


def built(spec, value, name="x"):
    w = spec.build(spec.check(name, value))
    w.control = name
    return w


@pytest.mark.parametrize("spec, good, bad", [
    (Number(0.0, 0.99, 0.01, "momentum γ"), 0.5, [1.5, -0.1, float("nan"), float("inf")]),
    (Number(1e-8, 10 ** -0.5, 0.1, "start θ₂", log=True), 1e-3, [0.9, 1e-9, float("nan")]),
    (Whole(1, 1000, "steps"), 100, [0, 1001, 2.5, True]),
])
def test_a_declared_range_checks_the_argument_and_bounds_the_widget(spec, good, bad):
    w = built(spec, good, "ctl")
    assert w.value == pytest.approx(good)
    for value in bad:
        with pytest.raises((ValueError, TypeError)):
            spec.check("ctl", value)
        with pytest.raises(t.TraitError, match=r"the 'ctl' control .* takes"):
            w.value = value
        assert w.value == pytest.approx(good)


def test_nan_from_python_is_refused_naming_the_control():
    """Issue 18 item 13: NaN went into the sliders (and later failed naming 'start', not the slider)."""
    w = built(Number(-2.0, 2.0, 0.01, "start θ₁"), -1.5, "x0")
    with pytest.raises(t.TraitError, match=r"'x0' control \(start θ₁\) takes a number from -2 to 2; got nan"):
        w.value = float("nan")
    lr = StepSizeSlider(0.05, log_stops(1e-4, 2.0, 21))
    with pytest.raises(t.TraitError, match=r"'lr' control \(step size α\).*from 1e-4 to 2"):
        lr.value = float("nan")


@pytest.mark.parametrize("spec, good, bad, key", [
    (Number(0.0, 0.99, 0.01, "momentum γ"), 0.5, 5.0, "value"),
    (Number(0.0, 0.99, 0.01, "momentum γ"), 0.5, None, "value"),   # JSON null: what NaN becomes on the wire
    (Whole(1, 1000, "steps"), 100, 5000, "value"),
    (Choice(("GD", "Adam"), "optimizer"), "GD", 7, "index"),
    (Choice((1, 2, 5), "batch size", slider=True), 2, 9, "index"),
])
def test_a_value_from_the_browser_outside_the_range_is_rolled_back_in_both(spec, good, bad, key):
    """Issue 15: a step size of 50 from the browser was kept (the check raised ValueError, not TraitError)."""
    w = built(spec, good, "ctl")
    refused = []
    w.on_refused = lambda widget, message: refused.append(message)
    sent = Sent(w)
    update(w, **{key: bad})
    assert w.value == good  # the kernel kept its value
    assert refused and "'ctl' control" in refused[0] or key == "index" and refused
    assert sent.states(w) and sent.states(w)[-1][key] == getattr(w, key)  # the browser is told what it is


def test_the_step_size_slider_from_the_browser_refuses_50_and_a_bad_index():
    s = StepSizeSlider(0.05, log_stops(1e-4, 2.0, 21))
    refused = []
    s.on_refused = lambda widget, message: refused.append(message)
    sent = Sent(s)
    update(s, value=50.0, index=3)
    assert s.value == 0.05 and s.stops[s.index] == 0.05
    assert sent.states(s)[-1]["value"] == 0.05 and "from 1e-4 to 2" in refused[0]
    update(s, index=1_000_000)
    assert s.stops[s.index] == 0.05 and "stop index from 0 to 20" in refused[1]
    with pytest.raises(t.TraitError):
        s.index = 1_000_000  # issue 18 item 13: accepted silently before


def test_step_size_slider_snaps_keeps_python_values_exact_and_rejects_out_of_range():
    stops = log_stops(1e-4, 2.0, 21, keep=0.05)
    assert 0.05 in stops and len(stops) == 21 and stops == sorted(stops)
    s = StepSizeSlider(0.05, stops)
    assert s.value == 0.05 and s.stops[s.index] == 0.05
    s.value = s.stops[3]  # a stop: the stops stay
    assert s.index == 3 and s.stops == stops
    s.value = 0.123  # between stops: the nearest becomes 0.123, order kept
    assert s.stops[s.index] == 0.123 and s.stops == sorted(s.stops) and len(s.stops) == 21
    for bad in (5.0, 1e-6, float("nan"), -0.1):
        with pytest.raises(t.TraitError, match=r"from 1e-4 to 2"):
            s.value = bad
    assert s.value == 0.123


def test_named_step_sizes_are_exact_stops_and_a_typed_value_does_not_displace_them():
    s = StepSizeSlider(0.05, log_stops(1e-4, 2.0, 201))
    s.set_stops(log_stops(1e-4, 2.0, 201), 0.05, {"1/L": 0.1, "2/(μ+L)": 2 / 11, "2/L": 0.2, "outside": 7.0})
    assert [m["label"] for m in s.marks] == ["1/L", "2/(μ+L)", "2/L"]  # only marks within the range
    for v in (0.1, 2 / 11, 0.2, 0.05):
        assert v in s.stops
    assert s.stops == sorted(s.stops) and len(s.stops) == 201 and len(set(s.stops)) == 201
    update(s, index=s.stops.index(0.2) - 1, value=0.199)  # typed next to a mark: the mark stays a stop
    assert s.value == 0.199 and 0.2 in s.stops and 2 / 11 in s.stops and s.stops[s.index] == 0.199
    update(s, index=s.stops.index(2 / 11), value=2 / 11)  # dragged onto a mark
    assert s.value == 2 / 11


def test_place_puts_each_value_in_the_nearest_free_stop_and_keeps_the_order():
    stops = list(np.geomspace(1, 100, 11))
    out = place(stops, [2.0, 2.1, 50.0], keep=[])
    assert {2.0, 2.1, 50.0} <= set(out) and out == sorted(out) and len(out) == 11
    assert place(out, [2.05], keep=[2.0, 2.1]) == sorted(place(out, [2.05], keep=[2.0, 2.1]))
    assert {2.0, 2.1, 2.05} <= set(place(out, [2.05], keep=[2.0, 2.1]))


def browser_view(sent, w, start):
    """The slider's state in the browser after each message the kernel sent (each applied in turn)."""
    state, seen = dict(start), []
    for update in sent.states(w):
        state.update(update)
        seen.append(dict(state))
    return seen


def test_set_range_moves_a_slider_so_that_the_browser_never_holds_a_value_outside_its_range():
    """A slider sent {max, value} in one message clamped the value to the old max in the browser and sent it back:
    after 'steps' went from 200 to 201, Play ran from iteration 200 (one step) instead of from the start."""
    w = built(Number(-2.0, 2.0, 0.01, "start θ₂"), 1.0, "y0")
    for low, high, value in ((2.5, 3.0, 2.8), (-1.0, 3.0, -1.0), (-5.0, -4.0, -4.5), (-4.2, -4.1, -4.15)):
        start = {"min": w.min, "max": w.max, "value": w.value}
        sent = Sent(w)
        set_range(w, low, high, value)
        assert (w.min, w.max, w.value) == (low, high, value)
        for state in browser_view(sent, w, start):
            assert state["min"] <= state["value"] <= state["max"], state
    it = built(Whole(0, 200, "iteration"), 200, "iteration")
    sent = Sent(it)
    set_range(it, 0, 201, 201)
    assert [s["value"] for s in browser_view(sent, it, {"min": 0, "max": 200, "value": 200})][-1] == 201
    assert all(s["value"] <= s["max"] for s in browser_view(sent, it, {"min": 0, "max": 200, "value": 200}))


def test_choice_and_switch_check_their_arguments():
    with pytest.raises(ValueError, match="choose one of"):
        Choice(("GD", "Adam"), "optimizer").check("optimizer", "adamw")
    with pytest.raises(TypeError, match="one of"):
        Choice(("GD", "Adam"), "optimizer").check("optimizer", 3)
    with pytest.raises(TypeError, match="True or False"):
        Switch("look-ahead").check("show_lookahead", "yes")
    assert StepSize(1e-4, 2.0).check("lr", 0.5) == 0.5
    with pytest.raises(TypeError, match="single number"):
        StepSize(1e-4, 2.0).check("lr", [0.1, 0.2])


def test_references_are_anywidget_refs_to_the_model_ids():
    s = StepSizeSlider(0.05, log_stops(1e-4, 2.0, 11, keep=0.05))
    it = widgets.IntSlider(max=10)
    play = PlayButton(it)
    assert widget_refs({"lr": s, "kernel": [it]}) == {"lr": f"anywidget:{s.model_id}",
                                                       "kernel": [f"anywidget:{it.model_id}"]}
    assert play.get_state()["iteration"] == f"anywidget:{it.model_id}"
    assert widget_refs([1, "a"]) == [1, "a"]
    assert "stepviz-play" in play._dom_classes and "stepviz-iteration" in it._dom_classes
    assert math.isclose(s.min, 1e-4) and math.isclose(s.max, 2.0)
