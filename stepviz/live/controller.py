"""Controller: the one owner of an explorer's control values (after mpl-interactions' Controls).

Every explorer hands its controls and one ``update(changed)`` callback to a Controller, which is the only
observer of the controls' values. It

- calls ``update`` once per change made from Python (tests, notebook cells, presets), synchronously, so
  the explorer's data can be read right after;
- throttles changes that arrive from the browser (ipywidgets holds them in ``_property_lock`` while it
  applies them): the first updates at once, those that follow within ``interval`` are coalesced into one
  update with the latest values at the end of it (a drag sends a value per mouse move);
- applies several values as one batch (:meth:`set`, :meth:`batch`): one update, one redraw;
- ignores the changes ``update`` itself makes to controls (clamping a start point, a new slider range):
  they are part of the update that made them;
- takes without an update a value the browser sends back only rounded onto its slider's grid (ipywidgets'
  sliders echo a value the kernel set, snapped to ``step``: 0.49 comes back as 0.4900000000000002): a change
  of less than a millionth of the step (a log slider's: in exponents) and of 1e-12 of the numbers involved is float
  noise, not the learner's.

``from_browser``: while ``update`` runs, whether any of its changes came from the browser.

``changed`` is the set of control names whose values changed since the last update.
"""
from __future__ import annotations

import asyncio
import math
import time
from contextlib import contextmanager
from typing import Callable

DRAG_INTERVAL = 0.03  # s: at most one update per this interval while a control is dragged in the browser


class Controller:
    def __init__(self, controls: dict, update: Callable[[set], None], *, interval: float = DRAG_INTERVAL,
                 observe=None):
        self.controls = controls
        self.interval = interval
        self._update = update
        self._pending: set[str] = set()
        self._depth = 0  # open batches
        self._updating = False
        self._timer = None
        self._last = -1e9  # time.monotonic() of the last update
        self.updates = 0  # how many times update ran (tests count recomputations with it)
        self.from_browser = False  # while update runs: did any of its changes come from the browser?
        self._browser = False
        self._names = {}
        for name, widget in controls.items():
            if observe is not None and name not in observe:
                continue
            if widget.has_trait("value"):
                self._names[id(widget)] = name
                widget.observe(self._on_value, names="value")

    @property
    def values(self) -> dict:
        return {self._names[id(w)]: w.value for w in self.controls.values() if id(w) in self._names}

    def set(self, **values):
        """Set several control values as one batch: one update after all of them."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; the controls are {sorted(self.controls)}")
        with self.batch():
            for name, value in values.items():
                self.controls[name].value = value

    @contextmanager
    def batch(self):
        """Changes inside run one update at the end (nested batches: at the end of the outermost)."""
        self._depth += 1
        try:
            yield self
        finally:
            self._depth -= 1
            if self._depth == 0 and self._pending and not self._updating:
                self.flush()

    def _on_value(self, change):
        if self._updating:
            return  # made by update itself
        browser = bool(change["owner"]._property_lock)
        if browser and _rounding_echo(change):
            return
        self._pending.add(self._names[id(change["owner"])])
        self._browser |= browser
        if self._depth:
            return
        if browser and self._defer():
            return
        self.flush()

    def _defer(self) -> bool:
        """Within ``interval`` of the last update, schedule one for the end of it on the kernel's event loop
        and return True; False (update now) after a quiet interval or without a running loop."""
        loop = running_loop()
        if loop is None:
            return False
        wait = self.interval - (time.monotonic() - self._last)
        if self._timer is None and wait <= 0:
            return False
        if self._timer is None:
            self._timer = loop.call_later(wait, self.flush)
        return True

    def flush(self):
        """Run the update for everything pending now."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        changed, self._pending = self._pending, set()
        if not changed or self._updating:
            self._pending |= changed
            return
        self._updating, self.from_browser, self._browser = True, self._browser, False
        try:
            self.updates += 1
            self._update(changed)
        finally:
            self._updating = self.from_browser = False
            self._last = time.monotonic()

    def close(self):
        """Stop observing (the explorer is being closed)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        for widget in self.controls.values():
            if id(widget) in self._names:
                widget.unobserve(self._on_value, names="value")
        self._names.clear()


def running_loop():
    """The kernel's running asyncio loop, or None (plain Python: tests, nbval, a script)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _rounding_echo(change) -> bool:
    """Is this change a slider's value snapped onto its grid by the browser, no real move?"""
    step = getattr(change["owner"], "step", None)
    old, new = change["old"], change["new"]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (step, old, new)) or not step:
        return False
    base = getattr(change["owner"], "base", None)
    if base:  # a log slider: its step is in exponents (2.2e-8 -> 1.4e-8 is two steps of 0.1, not noise)
        if old <= 0 or new <= 0:
            return False
        return abs(math.log(new / old) / math.log(base)) < 1e-6 * abs(step)
    # float noise is relative to the numbers the front end computed with (value, step, range): 0 -> 1e-9 on a grid
    # of 0.005 is a value typed in, not noise, though it is less than a millionth of the step
    owner = change["owner"]
    scale = max(abs(old), abs(new), abs(step), abs(getattr(owner, "min", 0) or 0), abs(getattr(owner, "max", 0) or 0))
    return abs(new - old) < 1e-6 * abs(step) and abs(new - old) <= 1e-12 * scale


__all__ = ["Controller", "DRAG_INTERVAL", "running_loop"]
