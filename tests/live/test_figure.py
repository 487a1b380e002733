"""LiveFigure's shared machinery: the sweep budget, closing, and memory when a cell is re-run (issue 12,
item 1: on main before this, 50 re-runs of an explorer cell left 2,100 live widgets and 323 MB of traced
memory in the kernel, and close() freed one widget of 42). The kernel's RSS over 50 re-runs of a cell is
measured by `make bench` (benchmarks/memory.py), never asserted here."""
import gc
import sys
import types

import numpy as np
import pytest
from ipywidgets.widgets.widget import _instances
from matplotlib.figure import Figure

import stepviz.live.figure as figure_module
from stepviz import live
from stepviz.live.figure import MAX_STOPS, SWEEP_BUDGET, _widget_tree, stop_count


def test_stop_count_fills_the_budget_with_an_odd_number_of_stops():
    assert stop_count(10) == MAX_STOPS
    n = stop_count(3 * 5001)
    assert n % 2 == 1 and n * 4 * 3 * 5001 <= SWEEP_BUDGET < (n + 2) * 4 * 3 * 5001
    assert stop_count(10 ** 9) == 11


def test_close_releases_every_widget_and_the_buffers():
    e = live.explore("bowl", "GD", steps=30)
    tree = _widget_tree(e)
    ids = {w.model_id for w in tree}
    canvas = e.canvas
    assert len(ids) > 20 and ids <= set(_instances)  # boxes, controls, their layouts and styles, the canvas
    e.close()
    assert not ids & set(_instances) and all(w.comm is None for w in tree)
    assert e.sweep is None and e.figure is None and canvas.arrays == {} and canvas.data == b""
    e.close()  # twice is harmless
    assert e._repr_mimebundle_ is None  # ipywidgets: a closed widget is not displayed again


@pytest.fixture
def cell(monkeypatch):
    """Pretend to run inside a notebook cell whose id stays while its execution count grows, as when a learner
    re-runs it."""
    state = {"id": "cell-1", "count": 0}
    monkeypatch.setattr(figure_module, "_current_cell", lambda: (state["id"], state["count"]))
    monkeypatch.setattr(figure_module, "_BY_CELL", {})
    return state


def test_rerunning_a_cell_closes_what_it_made_before_and_nothing_else(cell):
    cell["count"] = 1
    a, b = live.explore(steps=10), live.explore(steps=10)  # one cell, two explorers
    cell["count"] = 2
    c = live.explore(steps=10)
    assert a._closed and b._closed and not c._closed
    cell.update(id="cell-2", count=3)
    d = live.explore(steps=10)
    assert not c._closed and not d._closed


def retained_bytes(obj) -> int:
    """Bytes reachable from ``obj`` (arrays by their data), not counting classes, modules and functions."""
    seen, todo, total = set(), [obj], 0
    while todo:
        o = todo.pop()
        if id(o) in seen or isinstance(o, (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType)):
            continue
        seen.add(id(o))
        total += o.nbytes if isinstance(o, np.ndarray) else sys.getsizeof(o)
        todo.extend(gc.get_referents(o))
    return total


def test_a_closed_explorer_keeps_almost_nothing():
    """IPython's output history (Out) keeps every displayed explorer: once closed it must be a light shell."""
    e = live.explore("bowl", "GD", lr=0.05, steps=40)
    e._repr_mimebundle_()
    open_bytes = retained_bytes(e)
    e.close()
    assert retained_bytes(e) < 64_000 < open_bytes / 20


def test_rerunning_an_explorer_cell_keeps_widgets_and_figures_flat(cell):
    kept, widgets_alive, figures_alive = [], [], []
    for run in range(1, 13):
        cell["count"] = run
        e = live.explore("bowl", "GD", lr=0.05, steps=20)
        kept.append(e)  # as IPython's Out does
        gc.collect()
        widgets_alive.append(len(_instances))
        figures_alive.append(sum(isinstance(o, Figure) for o in gc.get_objects()))
    assert len(set(widgets_alive[2:])) == 1, widgets_alive
    assert len(set(figures_alive[2:])) == 1, figures_alive
