"""LiveFigure's shared machinery: the hooks an explorer must fill in, the sweep budget, errors shown in the
explorer, closing, and explorers made again in the same cell or widget callback replacing the old ones.
(Kernel memory over many re-runs is measured by benchmarks/memory.py --reruns and benchmarks/explorer_memory.py, not asserted here.)"""
import gc
import sys
import types

import numpy as np
import pytest
from ipywidgets.widgets.widget import _instances
from matplotlib.figure import Figure

import stepviz as sv
import stepviz.live.explorer as explorer_module
from stepviz import live
from stepviz.live import lifetime
from stepviz.live.controls import RefusedValue
from stepviz.live.figure import MAX_STOPS, MIN_STOPS, SWEEP_BUDGET, ClosedExplorerError, LiveFigure, stop_count
from stepviz.live.lifetime import widget_tree

from .browser import update


def test_stop_count_fills_the_budget_with_an_odd_number_of_stops():
    assert stop_count(10) == MAX_STOPS
    n = stop_count(3 * 5001)
    assert n % 2 == 1 and n * 4 * 3 * 5001 <= SWEEP_BUDGET < (n + 2) * 4 * 3 * 5001
    assert stop_count(10 ** 9) == MIN_STOPS


def test_an_explorer_that_misses_a_hook_cannot_be_made():
    class Half(LiveFigure):
        def _build_figure(self):
            pass

    with pytest.raises(TypeError, match="abstract"):
        Half({}, {}, [])


def test_raising_the_steps_maximum_keeps_the_2_MB_promise():
    """Issue 18 item 13: controls['steps'].max = 100000 gave 17.7 MB of state (stops never go below 11)."""
    e = live.explore("bowl", "GD", steps=100)
    steps = e.controls["steps"]
    steps.max = 100_000
    with pytest.raises(RefusedValue, match=r"'steps' control takes at most about \d+ steps"):
        steps.value = 100_000
    update(steps, value=100_000)  # from the browser: refused, rolled back, said in the explorer
    assert steps.value == 100 and "at most about" in e.canvas.error
    most = int(SWEEP_BUDGET / (4 * MIN_STOPS * 3)) - 2
    steps.value = most - most % 10
    assert len(e.stops) == MIN_STOPS and e.canvas.stored_bytes() < 2_000_000
    assert e.canvas.error == ""  # a good change clears the line


def test_a_failed_recomputation_from_the_browser_is_shown_and_the_last_picture_kept(monkeypatch):
    """Issue 15 item 6: after an exception during a browser-originated change the figure went stale silently
    and the error reached only the server log."""
    e = live.explore("bowl", "GD", lr=0.05, steps=50)
    data, version = e.canvas.data, e.canvas.version

    def broken(*args, **kwargs):
        raise FloatingPointError("the learner's function blew up")

    monkeypatch.setattr(explorer_module, "run", broken)
    update(e.controls["steps"], value=60)  # no exception escapes to the kernel's log
    assert e.canvas.error.startswith("recomputing failed (FloatingPointError: the learner's function blew up")
    assert e.canvas.stale and e.canvas.data == data and e.canvas.version == version
    with pytest.raises(FloatingPointError):  # from Python the caller hears it too
        e.controls["steps"].value = 70
    monkeypatch.undo()
    e.controls["steps"].value = 80
    assert e.canvas.error == "" and not e.canvas.stale and e.trajectory.steps == 80


def test_a_failed_explore_leaves_no_widget_and_prints_nothing_later(monkeypatch):
    """Issue 18 item 4: a failed explore() left 28 widget models open and later printed 'Exception ignored in
    Widget.__del__ ... no attribute controller'."""
    monkeypatch.setattr(explorer_module, "run", lambda *a, **k: 1 / 0)
    gc.collect()
    before = set(_instances)
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    with pytest.raises(ZeroDivisionError):
        live.explore("bowl", "GD", steps=20)
    gc.collect()
    assert set(_instances) == before and unraisable == []


def test_close_releases_every_widget_and_the_buffers():
    e = live.explore("bowl", "GD", steps=30)
    tree = widget_tree(e)
    ids = {w.model_id for w in tree}
    canvas = e.canvas
    assert len(ids) > 20 and ids <= set(_instances)  # boxes, controls, their layouts and styles, the canvas
    e.close()
    assert not ids & set(_instances) and all(w.comm is None for w in tree)
    assert e.sweep is None and e.figure is None and canvas.arrays == {} and canvas.data == b""
    e.close()  # twice is harmless


def test_a_closed_explorer_says_so_whatever_is_asked_of_it():
    """Issue 18 item 12: controller.set raised "'NoneType' object has no attribute 'set'", .alt, .shown() and
    .fallback_png() AttributeError, .optimizer() KeyError 'lr'; displayed, it showed a bare repr."""
    e = live.explore("bowl", "GD", steps=20)
    e.close()
    for ask in (lambda: e.controller.set(lr=0.1), lambda: e.alt, lambda: e.shown("path"), e.fallback_png,
                e.optimizer, lambda: e.text("title")):
        with pytest.raises(ClosedExplorerError, match="this explorer is closed .* run its cell to make a new one"):
            ask()
    bundle = e._repr_mimebundle_()
    assert set(bundle) == {"text/plain"} and "\n" not in bundle["text/plain"] and "closed" in bundle["text/plain"]
    assert e.readout.value == ""


class FakeKernel:
    """What lifetime.current_place reads: the shell's parent message and the execution count."""

    def __init__(self):
        self.parent, self.execution_count = {}, 0
        self.kernel = self

    def get_parent(self, channel):
        return self.parent

    def cell(self, cell_id, count):
        self.parent, self.execution_count = {"header": {"msg_type": "execute_request"},
                                             "metadata": {"cellId": cell_id}}, count

    def comm_message(self, comm_id, msg_id):
        self.parent = {"header": {"msg_type": "comm_msg", "msg_id": msg_id}, "content": {"comm_id": comm_id,
                                                                                           "data": {}}}


@pytest.fixture
def kernel(monkeypatch):
    import IPython

    fake = FakeKernel()
    monkeypatch.setattr(IPython, "get_ipython", lambda: fake)
    monkeypatch.setattr(lifetime, "_BY_PLACE", {})
    return fake


def test_rerunning_a_cell_closes_what_it_made_before_and_nothing_else(kernel):
    kernel.cell("cell-1", 1)
    a, b = live.explore(steps=10), live.explore(steps=10)  # one cell, two explorers
    kernel.cell("cell-1", 2)
    c = live.explore(steps=10)
    assert a._closed and b._closed and not c._closed
    kernel.cell("cell-2", 3)
    d = live.explore(steps=10)
    assert not c._closed and not d._closed


def test_explorers_made_in_a_widget_callback_are_closed_when_it_makes_new_ones(kernel):
    """Issue 18 item 4: 60 moves of an interact slider kept 61 explorers (523 MB). Each message of a control
    is a new run of its callback: what the last run made replaces what the one before made."""
    kernel.comm_message("slider-a", "msg-1")
    first = [live.explore(steps=10), live.compare("bowl", lrs=[0.1])]
    kernel.comm_message("slider-a", "msg-2")
    second = live.explore(steps=10)
    assert first[0]._closed and first[1].figure is None and not second._closed
    kernel.comm_message("slider-b", "msg-3")  # another control's callback: its own place
    other = live.explore(steps=10)
    assert not second._closed and not other._closed


def test_a_rerun_compare_cell_lets_go_of_its_figure(kernel):
    """Issue 18 item 4: re-running a sv.compare cell kept ~4.5 MB each time (its figure, in IPython's Out)."""
    kernel.cell("cmp", 1)
    old = live.compare("bowl", lrs=[0.05, 0.1])
    kernel.cell("cmp", 2)
    new = live.compare("bowl", lrs=[0.05, 0.1])
    assert old.figure is None and new.figure is not None
    assert set(old._repr_mimebundle_()) == {"text/plain"} and "closed" in old._repr_mimebundle_()["text/plain"]
    assert old.summary() == new.summary() and old.trajectories is None  # the summary stays, the runs go


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


def test_rerunning_an_explorer_cell_keeps_widgets_and_figures_flat(kernel):
    kept, widgets_alive, figures_alive = [], [], []
    for run in range(1, 7):
        kernel.cell("cell-1", run)
        e = live.explore("bowl", "GD", lr=0.05, steps=20)
        kept.append(e)  # as IPython's Out does
        gc.collect()
        widgets_alive.append(len(_instances))
        figures_alive.append(sum(isinstance(o, Figure) for o in gc.get_objects()))
    assert len(set(widgets_alive[2:])) == 1, widgets_alive
    assert len(set(figures_alive[2:])) == 1, figures_alive


def test_every_explorer_kind_made_in_a_callback_is_replaced(kernel):
    makers = [lambda: live.explore_update_rule(), lambda: live.saddle_explorer(steps=20),
              lambda: live.schedule_explorer(steps=20), lambda: live.local_limit_explorer(steps=20),
              lambda: live.momentum_explorer(steps=20), lambda: live.explore_sgd(sv.lessons.stochastic_gradients
                                                                                .sgd_data(), steps=20)]
    for i, make in enumerate(makers):
        kernel.comm_message("slider", f"a{i}")
        old = make()
        kernel.comm_message("slider", f"b{i}")
        new = make()
        assert old._closed and not new._closed, type(old).__name__


def test_the_new_scene_leaves_before_the_new_picture():
    """Issue 15 item 8: a surface switch took 394-450 ms to new pixels: matplotlib renders the picture for most of
    it. The runs (the scene) now leave first, with the old picture marked pending, and the picture follows."""
    from .browser import Sent

    e = live.explore("bowl", "GD", lr=0.001, steps=30)
    sent = Sent(e.canvas)
    e.controls["surface"].value = "rosenbrock"
    updates = [d for w, d in sent.messages if d.get("method") == "update"]
    scene = next(i for i, d in enumerate(updates) if "version" in d["state"])
    picture = next(i for i, d in enumerate(updates) if ["picture"] in d.get("buffer_paths", []))
    assert scene < picture
    assert updates[scene]["state"].get("pending") is True and updates[picture]["state"].get("pending") is False
    sent.messages.clear()
    e.controls["decay"].value = 0.01  # the main picture stays: nothing to dim
    assert not any(d.get("state", {}).get("pending") for w, d in sent.messages)


# --- a browser change: the picture follows the runs the browser has drawn ---------------------------------------
def _held_setup():
    """A bowl explorer whose canvas a browser has said hello to, and the messages it sends from now on."""
    from .browser import Sent, custom

    e = live.explore("bowl", "GD", lr=0.001, steps=30)
    custom(e.canvas, {"event": "hello"})
    return e, Sent(e.canvas)


def _pictures(sent, canvas):
    return [d for w, d in sent.messages if w is canvas and ["picture"] in d.get("buffer_paths", [])]


def _choose(e, name, option):
    update(e.controls[name], index=list(e.controls[name].options).index(option))


def test_a_browser_change_sends_the_picture_once_the_browser_has_drawn_its_runs():
    """Issue 15 item 8: rendered at once, the picture took a core from the browser's drawing of the new runs (a
    surface switch showed new pixels after ~260 ms). Now the runs go, the browser says 'drawn', then the picture."""
    import asyncio

    from .browser import custom

    e, sent = _held_setup()
    before = e.canvas.picture

    async def act():
        _choose(e, "surface", "rosenbrock")
        assert e.trajectory.problem.name == "rosenbrock" and e.canvas.pending  # the runs left, the old picture dimmed
        assert not _pictures(sent, e.canvas) and e.canvas.picture == before
        first_stop = e.canvas.version
        assert e.canvas.only == e.controls["lr"].index  # the stop shown leaves alone; the whole sweep waits
        custom(e.canvas, {"event": "drawn", "version": first_stop - 1})  # an older scene: nothing yet
        assert not _pictures(sent, e.canvas) and e.canvas.version == first_stop
        custom(e.canvas, {"event": "drawn", "version": first_stop})  # that stop is on screen: the whole sweep
        assert e.canvas.version == first_stop + 1 and e.canvas.only == -1 and not _pictures(sent, e.canvas)
        custom(e.canvas, {"event": "drawn", "version": first_stop + 1})  # the sweep is on screen: the picture
        assert len(_pictures(sent, e.canvas)) == 1 and not e.canvas.pending
        assert e.canvas.picture != before and e.canvas.picture == e.picture.render()
        assert e.pictures_sent == {"after drawn": 1}

    asyncio.run(act())


def test_a_held_picture_comes_after_a_short_wait_if_the_browser_never_says_drawn():
    """A hidden tab draws nothing (no animation frames): neither the whole sweep nor the picture may wait for it
    for ever."""
    import asyncio

    from stepviz.live.canvas import WHOLE_WAIT
    from stepviz.live.figure import PICTURE_WAIT

    e, sent = _held_setup()

    async def act():
        _choose(e, "surface", "saddle")
        assert not _pictures(sent, e.canvas) and e.canvas.only >= 0
        await asyncio.sleep(WHOLE_WAIT + 0.1)
        assert e.canvas.only == -1 and e.canvas.texts == e.canvas.scene.texts
        await asyncio.sleep(PICTURE_WAIT)
        assert len(_pictures(sent, e.canvas)) == 1 and not e.canvas.pending
        assert e.pictures_sent == {"after wait": 1}

    asyncio.run(act())


def test_a_held_picture_that_fails_to_render_is_said_in_the_explorer():
    import asyncio

    from .browser import custom

    e, sent = _held_setup()

    def broken():
        raise MemoryError("no room for the picture")

    async def act():
        _choose(e, "surface", "rosenbrock")
        e.picture.render = broken
        custom(e.canvas, {"event": "drawn", "version": e.canvas.version})  # the first stop: the whole sweep goes
        custom(e.canvas, {"event": "drawn", "version": e.canvas.version})  # the whole sweep: the picture
        assert "drawing the picture failed (MemoryError: no room for the picture)" in e.canvas.error
        assert e.canvas.stale and not e.canvas.pending and not _pictures(sent, e.canvas)

    asyncio.run(act())


def test_a_change_made_in_python_renders_its_picture_at_once():
    """Without a browser's 'drawn' to wait for (a change from Python, tests, nbval), nothing is held back."""
    e, sent = _held_setup()
    e.controls["surface"].value = "rosenbrock"
    assert len(_pictures(sent, e.canvas)) == 1 and not e.canvas.pending and e.pictures_sent == {"at once": 1}


def test_switching_back_to_a_surface_reuses_its_contours():
    e = live.explore("bowl", "GD", lr=0.001, steps=30)
    bowl_contours = e._surface_artists["contour"]
    e.controls["surface"].value = "rosenbrock"
    assert not bowl_contours.get_visible() and e._surface_artists["contour"].get_visible()
    e.controls["surface"].value = "bowl"
    assert e._surface_artists["contour"] is bowl_contours and bowl_contours.get_visible()
    assert sum(a.get_visible() for a in e.ax_path.collections) == len(
        [a for a in e._surface_artists.values() if a in e.ax_path.collections])
    assert e.ax_path.get_xlim() == tuple(float(v) for v in e.surface.bounds[0])
    # the picture drawn after switching back is the bowl's first picture, pixel for pixel
    first = live.explore("bowl", "GD", lr=0.001, steps=30)
    assert e.picture.render() == first.picture.render()
