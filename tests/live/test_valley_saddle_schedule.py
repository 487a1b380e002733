"""The explorers of lessons 03 (local limit, saddle) and 05 (schedules): what the browser draws is the runs
and the formulas, checked against stepviz.run and hand-written closed forms."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import live
from stepviz.live.sweep_controls import StepSizeSlider
from stepviz.optim.schedules import from_decay

MAKERS = {
    "valley": lambda: live.local_limit_explorer("rosenbrock", lr=1e-3, steps=300),
    "saddle": lambda: live.saddle_explorer(lr=0.1, offset=1e-3, steps=80),
    "schedule": lambda: live.schedule_explorer("bowl", "inverse_time", lr=0.1, decay=0.05, steps=120),
}


@pytest.fixture(params=sorted(MAKERS))
def make(request):
    return MAKERS[request.param]


def test_browser_contract_classes_and_controls(make):
    e = make()
    assert "stepviz-explorer" in e._dom_classes
    assert isinstance(e.controls["lr"], StepSizeSlider) and "stepviz-lr" in e.controls["lr"]._dom_classes
    assert "stepviz-play" in e.controls["play"]._dom_classes
    assert "stepviz-iteration" in e.controls["iteration"]._dom_classes
    assert "stepviz-steps" in e.controls["steps"]._dom_classes
    assert len([w for w in e.controls.values() if isinstance(w, StepSizeSlider)]) == 1


def test_iteration_cuts_the_path_and_a_new_sweep_shows_it_whole(make):
    e = make()
    e.controls["iteration"].value = 7
    np.testing.assert_array_equal(e.shown("path"), e.trajectory.points[:8])
    assert e.text("status").startswith("iteration 7")
    e.controls["steps"].value = e.controls["steps"].value + 10
    assert e.controls["iteration"].value == e.controls["steps"].value
    assert len(e.shown("path")) == e.controls["steps"].value + 1


def test_every_control_at_both_ends(make):
    e = make()
    c = e.controls
    for name, w in c.items():
        if name in ("play", "iteration") or not hasattr(w, "min"):
            continue
        for end in ((w.base ** w.min, w.base ** w.max) if hasattr(w, "base") else (w.min, w.max)):
            w.value = end
            assert e.readout.value and e.trajectory.steps == c["steps"].value
    e.fallback_png()


def test_local_limit_explorer_matches_the_run_and_theory():
    e = live.local_limit_explorer("rosenbrock", lr=3e-3, steps=300)
    r = sv.Rosenbrock()
    ref = sv.run(sv.GD(lr=3e-3), r, steps=300)
    np.testing.assert_allclose(e.shown("path"), ref.points, rtol=1e-12)
    # 2 / lambda_max of the Hessian, by numpy's eigenvalues of the hand-written Hessian of Rosenbrock
    x, y = ref.points[:, 0], ref.points[:, 1]
    H = np.stack([np.stack([2 - 400 * (y - x ** 2) + 800 * x ** 2, -400 * x], -1),
                  np.stack([-400 * x, np.full_like(x, 200.0)], -1)], -2)
    np.testing.assert_allclose(e.limits, 2 / np.linalg.eigvalsh(H)[:, -1], rtol=1e-9)
    over = int(np.sum(3e-3 > e.limits))
    assert over > 0 and f"α above the local limit at {over} of 301 iterates" in e.readout.value
    assert any(m["kind"] == "above" for m in e.canvas.marks)


def test_local_limit_explorer_says_diverged():
    e = live.local_limit_explorer("rosenbrock", lr=1e-3, steps=200)
    e.controls["lr"].value = e.controls["lr"].max
    assert e.trajectory.diverged
    assert f"diverged at step {int(e.trajectory.diverged_at)}" in e.readout.value
    e.controls["iteration"].value = 200
    assert "diverged at step" in e.text("status")


def test_saddle_explorer_matches_the_run_and_the_linear_prediction():
    e = live.saddle_explorer(lr=0.3, offset=1e-5, steps=80)
    ref = sv.run(sv.GD(lr=0.3), sv.Saddle(0.25), np.array([1.8, 1e-5]), 80)
    np.testing.assert_allclose(e.shown("path"), ref.points, rtol=1e-12)
    np.testing.assert_allclose(e.shown("y"), np.maximum(np.abs(ref.points[:, 1]), 1e-12))
    k = np.arange(81)
    pred = e.shown("prediction")
    shown = np.isfinite(pred)
    np.testing.assert_allclose(pred[shown], 1e-5 * 1.3 ** k[shown], rtol=1e-6)
    first = int(np.argmax(np.abs(ref.points[:, 1]) >= 0.5))
    assert e.escape_step() == first and f"escaped at step {first}" in e.readout.value


def test_saddle_explorer_on_the_stable_line_never_escapes():
    e = live.saddle_explorer(lr=0.1, on_line=True, steps=100)
    assert e.controls["offset"].disabled and np.all(e.trajectory.points[:, 1] == 0)
    assert e.escape_step() == -1 and "never escapes" in e.readout.value
    e.controls["on_line"].value = False
    assert not e.controls["offset"].disabled and e.escape_step() > 0


@pytest.mark.parametrize("kind", ["constant", "inverse_time", "step_decay", "exponential", "cosine"])
def test_schedule_explorer_matches_the_run_with_each_schedule(kind):
    e = live.schedule_explorer("bowl", kind, lr=0.1, decay=0.05, steps=150)
    sched = from_decay(kind, 0.1, 0.05, 150)
    ref = sv.run(sv.GD(lr=sched), sv.QuadraticBowl(), steps=150)
    const = sv.run(sv.GD(lr=0.1), sv.QuadraticBowl(), steps=150)
    np.testing.assert_allclose(e.shown("path"), ref.points, rtol=1e-12)
    np.testing.assert_allclose(e.shown("loss"), np.where(ref.gap() > 0, ref.gap(), np.nan), rtol=1e-5)
    np.testing.assert_allclose(e.shown("reference"), np.where(const.gap() > 0, const.gap(), np.nan), rtol=1e-5)
    np.testing.assert_allclose(e.shown("rel"), sched(np.arange(150)) / 0.1, rtol=1e-6)  # alpha_t / alpha_0
    assert e.controls["decay"].disabled == (kind in ("constant", "cosine"))


def test_schedule_explorer_with_noise_compares_like_with_like():
    e = live.schedule_explorer("bowl", "inverse_time", lr=0.1, decay=0.05, noise=0.5, steps=100, seed=3)
    assert "mean loss" in e.readout.value  # noisy: averaged, not a lucky single value
    e.controls["decay"].value = 0.0  # the schedule is then the constant step: the same noise, the same run
    np.testing.assert_allclose(e.trajectory.points, e.reference.points)


def test_schedule_explorer_readout_and_diverged():
    e = live.schedule_explorer("bowl", "constant", lr=0.1, steps=200)
    k = int(e.trajectory.steps_to(1e-3))
    assert k > 0 and f"within 0.001 from step {k} on" in e.readout.value
    e.controls["lr"].value = 0.5
    assert e.trajectory.diverged and "diverged at step" in e.readout.value


@pytest.mark.parametrize("make_bad, error, words", [
    (lambda: live.schedule_explorer(schedule="bogus"), ValueError, "choose one of"),
    (lambda: live.schedule_explorer(schedule=3), TypeError, "one of"),
    (lambda: live.schedule_explorer(lr=[0.1, 0.2]), TypeError, "single number"),
    (lambda: live.schedule_explorer(decay=1.0), ValueError, "from 0 to 0.3"),
    (lambda: live.schedule_explorer(steps=10 ** 6), ValueError, "from 1 to 2000"),
    (lambda: live.saddle_explorer(offset=0.9), ValueError, "from 1e-08 to 0.316"),
    (lambda: live.saddle_explorer(on_line="yes"), TypeError, "True or False"),
    (lambda: live.local_limit_explorer(lr=0.5), ValueError, "from 0.0001 to 0.0316"),
    (lambda: live.local_limit_explorer(steps=-3), ValueError, "from 1 to 5000"),
])
def test_bad_arguments_raise_one_clean_error_that_says_the_range(make_bad, error, words):
    with pytest.raises(error, match=words):
        make_bad()
