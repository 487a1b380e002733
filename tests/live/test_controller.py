"""The one Controller: synchronous updates from Python, coalesced drags from the browser, batches."""
from __future__ import annotations

import asyncio

import ipywidgets as widgets
import pytest

from stepviz.live.controller import Controller


def make(interval=0.02):
    controls = {"a": widgets.FloatSlider(value=0.0, max=10), "b": widgets.IntSlider(value=1, max=10),
                "c": widgets.Dropdown(options=["x", "y"], value="x")}
    calls = []

    def update(changed):
        calls.append((set(changed), {n: w.value for n, w in controls.items()}))

    return Controller(controls, update, interval=interval), controls, calls


def test_a_value_set_from_python_updates_once_and_synchronously():
    ctl, c, calls = make()
    c["a"].value = 3.0
    assert calls == [({"a"}, {"a": 3.0, "b": 1, "c": "x"})]
    c["a"].value = 3.0  # no change, no update
    assert len(calls) == 1 and ctl.updates == 1


def test_set_applies_a_batch_as_one_update():
    ctl, c, calls = make()
    ctl.set(a=2.0, b=5, c="y")
    assert calls == [({"a", "b", "c"}, {"a": 2.0, "b": 5, "c": "y"})]
    with ctl.batch():
        c["a"].value = 4.0
        with ctl.batch():
            c["b"].value = 6
        assert len(calls) == 1  # the inner batch does not flush
    assert calls[-1] == ({"a", "b"}, {"a": 4.0, "b": 6, "c": "y"})
    with pytest.raises(ValueError, match="unknown control"):
        ctl.set(z=1)


def test_changes_the_update_makes_itself_are_part_of_it():
    controls = {"a": widgets.FloatSlider(value=0.0, max=10), "b": widgets.IntSlider(value=1, max=10)}
    calls = []

    def update(changed):
        calls.append(set(changed))
        controls["b"].value = int(controls["a"].value)  # e.g. a new range for another control

    Controller(controls, update)
    controls["a"].value = 7.0
    assert calls == [{"a"}] and controls["b"].value == 7


def test_browser_drags_update_at_once_then_coalesce_into_one_update_with_the_latest_values():
    async def scenario():
        ctl, c, calls = make(interval=0.05)
        for v in (1.0, 2.0, 3.0, 4.0):
            c["a"].set_state({"value": v})  # as a comm message from the front end: _property_lock is set
        c["b"].set_state({"value": 9})
        assert calls == [({"a"}, {"a": 1.0, "b": 1, "c": "x"})]  # the first at once, the rest wait
        await asyncio.sleep(0.15)
        c["a"].set_state({"value": 5.0})  # after a quiet interval: at once again
        return calls

    calls = asyncio.run(scenario())
    assert calls == [({"a"}, {"a": 1.0, "b": 1, "c": "x"}), ({"a", "b"}, {"a": 4.0, "b": 9, "c": "x"}),
                     ({"a"}, {"a": 5.0, "b": 9, "c": "x"})]


def test_browser_changes_without_an_event_loop_update_at_once():
    ctl, c, calls = make()
    c["a"].set_state({"value": 5.0})
    assert calls == [({"a"}, {"a": 5.0, "b": 1, "c": "x"})]


def test_close_stops_observing():
    ctl, c, calls = make()
    ctl.close()
    c["a"].value = 1.0
    assert calls == []


def test_a_value_the_browser_only_rounds_onto_its_slider_grid_is_taken_without_an_update():
    """ipywidgets' slider sends back a value the kernel set, snapped onto its step grid (0.49 -> 0.4900000000000002):
    no recomputation for float noise; a real move of the browser still updates."""
    ctl, c, calls = make()
    c["a"].step = 0.01
    c["a"].value = 0.49
    assert len(calls) == 1
    c["a"].set_state({"value": 0.4900000000000002})  # the echo
    assert len(calls) == 1 and c["a"].value == 0.4900000000000002 and not ctl.from_browser
    c["a"].set_state({"value": 0.5})
    assert len(calls) == 2 and calls[-1][1]["a"] == 0.5


def test_a_log_slider_move_between_tiny_values_is_a_real_move():
    """A log slider's step is in exponent units (0.1 = a factor 1.26): 2.2e-8 -> 1.4e-8 differs by less than a
    millionth of 0.1 in value, but is two of the slider's steps. The saddle explorer reran with the old start
    (found by the model-based test)."""
    from stepviz import live

    from .browser import update

    e = live.saddle_explorer(steps=40)
    offset = e.controls["offset"]
    update(offset, value=2.18e-8)
    assert e.start[1] == 2.18e-8 and e.trajectory.points[0, 1] == 2.18e-8
    update(offset, value=1.40e-8)
    assert e.start[1] == 1.40e-8 and e.trajectory.points[0, 1] == 1.40e-8
    before = e.controller.updates
    update(offset, value=1.40e-8 * (1 + 1e-15))  # the browser's echo of the kernel's value: float noise
    assert e.controller.updates == before
    e.close()


def test_a_value_typed_next_to_zero_is_a_real_move():
    """decay 0 -> 1e-9 on a grid of 0.005 is less than a millionth of the step, but not float noise: the run must use it
    (the model-based test's SGD case: the title and the run said decay 0 while the slider held 1e-9)."""
    ctl, c, calls = make()
    c["a"].step, c["a"].min, c["a"].max = 0.005, 0.0, 0.2
    c["a"].value = 0.0
    n = len(calls)
    c["a"].set_state({"value": 1e-9})
    assert len(calls) == n + 1 and calls[-1][1]["a"] == 1e-9
    c["a"].set_state({"value": 1e-9 + 1e-25})  # noise on that value: no update
    assert len(calls) == n + 1
