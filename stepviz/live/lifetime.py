"""Explorers and comparisons made again replace the ones made before in the same place, so a session that
re-runs cells or moves an ``interact`` slider keeps its memory flat.

The place is where the kernel is working when the object is made: a notebook cell (its cell id; a new run
has a new execution count), or a widget callback (``interact``, ``observe``: the comm of the control that
was moved; each message is a new run). When an object is made in a new run of a place, everything the
previous run of that place made is closed (:meth:`close` lets go of widgets, figures and arrays). Several
objects made in one run stay together. Outside a kernel nothing is tracked.
"""
from __future__ import annotations

import weakref

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist

from ..engine import Trajectory
from ..problems.base import Problem

_BY_PLACE: dict = {}


def current_place():
    """(place, run) of what the kernel is doing now: (('cell', id), execution count) for a cell,
    (('comm', id), message id) for a widget callback, (None, None) outside a kernel."""
    try:
        from IPython import get_ipython

        ip = get_ipython()
        parent = ip.kernel.get_parent("shell")
    except Exception:
        return None, None
    if not isinstance(parent, dict):
        return None, None
    if parent.get("header", {}).get("msg_type") == "comm_msg":
        comm = (parent.get("content") or {}).get("comm_id")
        return (("comm", comm), parent["header"].get("msg_id")) if comm else (None, None)
    cell = (parent.get("metadata") or {}).get("cellId")
    return (("cell", cell), ip.execution_count) if cell else (None, None)


def remember(obj) -> None:
    """Track ``obj`` (anything with ``close()``) under the current place, closing what an earlier run of the
    same place made."""
    place, run = current_place()
    if place is None:
        return
    previous = _BY_PLACE.get(place)
    if previous is not None and previous[0] != run:
        for ref in previous[1]:
            old = ref()
            if old is not None and old is not obj:
                old.close()
        previous = None
    entry = previous or (run, [])
    entry[1].append(weakref.ref(obj))
    _BY_PLACE[place] = entry


def heavy(value) -> bool:
    """Does ``value`` hold a figure, axes, artists, arrays or runs (what a closed explorer must let go)?"""
    # Problems too: viz caches a contour grid (~0.6 MB) per live surface.
    if isinstance(value, (np.ndarray, Artist, Trajectory, Problem)):
        return True
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return any(heavy(v) for v in value[:8])
    return False


def widget_tree(root) -> list:
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


__all__ = ["remember", "current_place", "heavy", "widget_tree"]
