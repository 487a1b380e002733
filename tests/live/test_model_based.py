"""One source of truth (issue 15 item 2), checked on random sequences of control changes on every explorer
class: from Python, from the browser (comm messages), several at once (``controller.set``), values the browser
sends out of range (refused), changes while Play runs, and a recomputation that fails and the change after it.
After each step the controls, the run shown (against ``sv.run`` or a closed form, computed here from the
control values), the scene the browser holds, the title, the readout and the aria-label agree."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import stepviz as sv
from stepviz import live
from stepviz.analysis.parabola import parabola_run
from stepviz.live import controls as ctl
from stepviz.live import render
from stepviz.live.scene import fmt
from stepviz.live.sweep_controls import StepSizeSlider
from stepviz.optim.schedules import from_decay, inverse_time

from .browser import update


def explorer_run(e):
    c = e.controls
    lr = c["lr"].value if not c["decay"].value else inverse_time(c["lr"].value, c["decay"].value)
    opt = sv.make_optimizer(c["optimizer"].value, lr=lr, momentum=c["momentum"].value)
    return sv.run(opt, sv.get_surface(c["surface"].value), (c["x0"].value, c["y0"].value), c["steps"].value,
                  noise=e.noise, seed=e.seed)


def schedule_run(e):
    c = e.controls
    sched = from_decay(c["schedule"].value, c["lr"].value, c["decay"].value, c["steps"].value)
    return sv.run(sv.GD(lr=sched), e.surface, e.start, c["steps"].value, noise=c["noise"].value, seed=e.seed)


def sgd_run(e):
    c = e.controls
    lr = c["lr"].value if not c["decay"].value else inverse_time(c["lr"].value, c["decay"].value)
    return sv.run(sv.GD(lr=lr), e.data, start=np.broadcast_to(e.data.start, (c["runs"].value, 2)),
                  steps=c["steps"].value, batch_size=c["batch_size"].value, seed=e.seed)


SMALL_NETWORK = sv.lessons.neural_networks.network_loss()

CASES = {
    "explore": (lambda: live.explore("bowl", "GD", lr=0.05, steps=40), explorer_run),
    "momentum": (lambda: live.momentum_explorer("bowl", "Momentum", lr=0.02, momentum=0.5, steps=40), explorer_run),
    "update rule": (lambda: live.explore_update_rule(steps=20),
                    lambda e: parabola_run(e.controls["lam"].value, e.controls["lr"].value,
                                           e.controls["theta0"].value, e.controls["steps"].value)),
    "saddle": (lambda: live.saddle_explorer(steps=40),
               lambda e: sv.run(sv.GD(lr=e.controls["lr"].value), e.surface, e.start, e.controls["steps"].value)),
    "schedule": (lambda: live.schedule_explorer(steps=40), schedule_run),
    "local limit": (lambda: live.local_limit_explorer(steps=60),
                    lambda e: sv.run(sv.GD(lr=e.controls["lr"].value), e.surface, e.start, e.controls["steps"].value)),
    "compare": (lambda: live.compare("bowl", lrs=[0.05, 0.3, 0.1], steps=40, live=True), explorer_run),
    "effective step": (lambda: live.effective_step_explorer("bowl", "Adam", lr=0.05, steps=40),
                       lambda e: sv.run(sv.make_optimizer(e.controls["optimizer"].value, lr=e.controls["lr"].value),
                                        e.surface, e.start, e.controls["steps"].value)),
    "sweep": (lambda: live.sweep_explorer(sv.run(sv.GD(np.array([0.3, 3.0, 30.0])), SMALL_NETWORK, steps=20)),
              lambda e: sv.run(sv.GD(lr=e.controls["lr"].value), e.problem, steps=e.controls["steps"].value)),
    "sgd": (lambda: live.explore_sgd(sv.lessons.stochastic_gradients.sgd_data(), steps=40, runs=2), sgd_run),
}
MOST_STEPS = 80  # the random changes keep runs short: the test is about agreement, not size


def draw_value(data, w):
    """A value inside the control's range, as the learner could set it."""
    if isinstance(w, StepSizeSlider):
        # exp(log(10)) is 10.000000000000002: kept within the range, as the slider and a typed value are
        return float(np.clip(np.exp(data.draw(st.floats(np.log(w.min), np.log(w.max)))), w.min, w.max))
    if isinstance(w, ctl.LogNumberSlider):
        return float(w.base ** data.draw(st.floats(w.min, w.max)))
    if isinstance(w, ctl.NumberSlider):
        return data.draw(st.sampled_from([w.min, w.max]) | st.floats(w.min, w.max))
    if isinstance(w, ctl.WholeSlider):
        top = w.max if w.description == "iteration" else min(w.max, MOST_STEPS)
        return data.draw(st.integers(w.min, max(w.min, top)).map(lambda v: v - (v - w.min) % w.step))
    if isinstance(w, (ctl.ChoiceDropdown, ctl.ChoiceSlider)):
        return data.draw(st.sampled_from(list(w.options)))
    if isinstance(w, (ctl.SwitchBox, ctl.SwitchButton)):
        return data.draw(st.booleans())
    return None


def from_browser(w, value):
    """What the widget's front end sends for ``value``."""
    if isinstance(w, (ctl.ChoiceDropdown, ctl.ChoiceSlider)):
        update(w, index=list(w.options).index(value))
    elif isinstance(w, StepSizeSlider):
        update(w, value=value, index=int(np.argmin(np.abs(np.log(np.asarray(w.stops) / value)))))
    else:
        update(w, value=value)


def check_agreement(e, oracle):
    c = e.controls
    lr = c["lr"]
    assert not e.canvas.stale
    assert e._shipped_stops == list(lr.stops) and lr.stops[lr.index] == lr.value
    np.testing.assert_array_equal(e.canvas.arrays["stops"][0], np.asarray(lr.stops, dtype=float))
    want = oracle(e)
    np.testing.assert_allclose(e.trajectory.points, want.points, rtol=1e-9, atol=1e-12, equal_nan=True)
    path = "theta" if "theta" in e.canvas.arrays else "path0" if "path0" in e.canvas.arrays else "path"
    if path not in e.canvas.arrays:  # no plane to draw a path on (a network): the loss curve is what is sent
        np.testing.assert_allclose(render.row(e.canvas.arrays["loss"], lr.index), want.losses, rtol=1e-5)
    else:
        shown = render.row(e.canvas.arrays[path], lr.index)
        expected = want.points[..., 0] if path == "theta" else want.points[:, 0] if path == "path0" else want.points
        tol = 1e-3 * (np.nanmax(np.abs(expected)) + 1) if path == "path0" else 1e-5  # int16 codes / float32
        np.testing.assert_allclose(shown, expected, rtol=1e-5, atol=tol, equal_nan=True)
    assert c["iteration"].max == c["steps"].value
    diverged = bool(np.any(want.diverged))
    # a comparison lists its pinned runs after the run shown; the schedule explorer compares with constant α₀ after it
    shown_run = e.readout.value.split("\nPinned:")[0].split(" · constant α₀")[0]
    assert ("diverged at step" in shown_run) == diverged, e.readout.value  # the warning: the run shown
    if diverged:
        assert f"diverged at step {int(np.min(want.diverged_at[want.diverged]))}" in shown_run
    title = e.text("title")
    if "λ =" in title:  # the update rule names λ and the regime
        assert f"λ = {fmt(c['lam'].value)}" in title and e.regime in title
    else:
        assert f"{fmt(lr.value)}" in title, (title, lr.value)
    assert e.alt == e.canvas.texts["alt"][min(lr.index, len(e.canvas.texts["alt"]) - 1)]
    if "x0" in c:
        assert f"from ({c['x0'].value:.2f}, {c['y0'].value:.2f})" in e.alt and f"α = {fmt(lr.value)}" in e.alt
        assert c["momentum"].disabled == (c["optimizer"].value not in ("Momentum", "Nesterov"))
    for name, w in c.items():
        if isinstance(w, (ctl.NumberSlider, ctl.WholeSlider)):
            assert w.min <= w.value <= w.max, name


@contextlib.contextmanager
def failing_recomputation(e):
    """The next recomputation raises (what a learner's function or a bug would do)."""
    original, calls = e._compute, []

    def broken(changed):
        calls.append(changed)
        raise RuntimeError("injected failure")

    e._compute = broken
    try:
        yield calls
    finally:
        e._compute = original


@pytest.mark.parametrize("case", sorted(CASES))
@settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck),
          phases=(Phase.explicit, Phase.generate))  # no shrinking: each step recomputes a sweep
@given(data=st.data())
def test_controls_run_title_readout_and_label_agree_after_every_change(case, data):
    make, oracle = CASES[case]
    e = make()
    kinds = (StepSizeSlider, ctl.NumberSlider, ctl.LogNumberSlider, ctl.WholeSlider, ctl.ChoiceDropdown,
             ctl.ChoiceSlider, ctl.SwitchBox, ctl.SwitchButton)
    names = [n for n, w in e.controls.items() if isinstance(w, kinds)]
    check_agreement(e, oracle)
    for _ in range(data.draw(st.integers(3, 6))):
        how = data.draw(st.sampled_from(["python", "browser", "batch", "refused", "playing", "failure"]))
        name = data.draw(st.sampled_from(names))
        w = e.controls[name]
        if how == "python":
            w.value = draw_value(data, w)
        elif how == "browser":
            from_browser(w, draw_value(data, w))
        elif how == "batch":
            others = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
            e.controller.set(**{n: draw_value(data, e.controls[n]) for n in others if n != "iteration"})
        elif how == "refused" and isinstance(w, (ctl.NumberSlider, StepSizeSlider, ctl.WholeSlider)):
            before = w.value
            update(w, value=(w.max * 10 + 5) if not isinstance(w, ctl.WholeSlider) else w.max + 1000)
            assert w.value == before and "takes" in e.canvas.error
        elif how == "playing":
            update(e.controls["play"], playing=True, position=0.5)
            from_browser(w, draw_value(data, w))
            update(e.controls["play"], playing=False)
        elif how == "failure" and name not in ("iteration", "lr", *e.toggles):
            value = draw_value(data, w)
            if value != w.value:
                with failing_recomputation(e) as calls:
                    from_browser(w, value)
                # a value the control rounds to the one it has (decay 1e-40 on a 0.001 grid) recomputes nothing
                assert not calls or (e.canvas.stale and "injected failure" in e.canvas.error)  # said, picture kept
                e.controls["steps"].value = e.controls["steps"].value + e.controls["steps"].step \
                    if e.controls["steps"].value < e.controls["steps"].max else e.controls["steps"].min
        check_agreement(e, oracle)
    e.close()
