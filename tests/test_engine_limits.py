"""run() under stress (issue 12): size limits, a learner's schedule checked at every step, named shape
clashes and seeds, what summary() says when there is no minimum or the loss is undefined."""
import os
import subprocess
import sys

import numpy as np
import pytest

import stepviz as sv
from stepviz import engine
from tests.robust_helpers import BOWL, no_hang, says


def _later(value, at=7):
    return lambda t: 0.1 if t < at else value


@pytest.mark.parametrize("steps", [10 ** 7, 10 ** 30])
def test_2_run_refuses_more_steps_than_the_limit_at_once(steps):
    with no_hang(20), pytest.raises(ValueError) as e:
        sv.run(sv.GD(0.1), BOWL, steps=steps)
    says(e.value, "steps", f"{steps:,}", "at most")


def test_2_run_estimates_memory_before_allocating():
    # a (400, 400) grid x 3e4 steps would need ~115 GiB of points and losses
    opt = sv.Momentum(lr=np.full((400, 1), 0.1), momentum=np.full((1, 400), 0.5))
    with no_hang(20), pytest.raises(ValueError) as e:
        sv.run(opt, BOWL, steps=30_000)
    says(e.value, "steps", "160,000 runs", "GiB")


@pytest.mark.parametrize("value, kind, words", [
    (float("nan"), ValueError, ("nan",)),
    (float("inf"), ValueError, ("inf",)),
    (-0.1, ValueError, ("-0.1", ">= 0")),
    (None, TypeError, ("None",)),
    ("x", TypeError, ("'x'",)),
    (np.full(3, 0.1), ValueError, ("shape (3,)",)),
], ids=["nan", "inf", "negative", "None", "str", "shape"])
def test_4_a_schedule_that_goes_wrong_later_is_named_with_its_step(value, kind, words):
    with pytest.raises(kind) as e:
        sv.run(sv.GD(_later(value)), BOWL, steps=20)
    says(e.value, "schedule", "step 7", *words)


def test_4_a_schedule_that_raises_later_is_named_as_the_cause():
    def schedule(t):
        if t >= 3:
            raise ZeroDivisionError("boom")
        return 0.1

    with pytest.raises(ValueError) as e:
        sv.run(sv.Momentum(schedule), BOWL, steps=20)
    says(e.value, "schedule", "step 3", "ZeroDivisionError", "boom")
    assert isinstance(e.value.__cause__, ZeroDivisionError)


def test_4_the_step_sizes_used_are_the_checked_ones():
    calls = []

    def schedule(t):
        calls.append(t)
        return 0.1 / (1 + t)

    tr = sv.run(sv.GD(schedule), BOWL, steps=5)
    assert calls == [0, 1, 2, 3, 4]   # once per step: checked, recorded and used are the same call
    np.testing.assert_allclose(tr.lrs, [0.1 / (1 + t) for t in range(5)])
    # p_{t+1} = p_t - alpha_t grad(p_t), with the alpha_t the trajectory reports
    p = BOWL.start.copy()
    for t in range(5):
        p = p - tr.lrs[t] * BOWL.grad(p)
    np.testing.assert_allclose(tr.points[-1], p)


@pytest.mark.parametrize("kwargs, name", [
    ({"start": np.zeros((4, 2))}, "start"),
    ({"noise": [0.1, 0.1, 0.1, 0.1]}, "noise"),
], ids=["start", "noise"])
def test_6_run_names_the_arguments_whose_shapes_clash(kwargs, name):
    with pytest.raises(ValueError) as e:
        sv.run(sv.GD([0.1, 0.2, 0.3]), BOWL, **kwargs)
    says(e.value, name, "(4,)", "(3,)", "lr")


@pytest.mark.parametrize("noise", [0.0, 0.1])
@pytest.mark.parametrize("seed", [-1, 0.5, "abc", [1, 2]], ids=repr)
def test_6_bad_seeds_are_refused_with_or_without_noise(seed, noise):
    with pytest.raises((ValueError, TypeError)) as e:
        sv.run(sv.GD(0.1), BOWL, noise=noise, seed=seed)
    says(e.value, "seed", "whole number")


def test_5_a_run_into_a_nan_region_says_where_f_stopped_being_defined():
    s = sv.Surface.from_function(lambda x, y: np.sqrt(x) + y ** 2, bounds=((-1.0, 2.0), (-1.0, 1.0)),
                                 start=(0.5, 0.5))
    tr = sv.run(sv.GD(0.6), s, steps=20)   # x steps past 0 into the region where sqrt(x) is NaN
    assert tr.diverged
    says(tr.summary(), "not defined")


def test_9_rate_with_a_huge_floor():
    tr = sv.run(sv.GD(0.1), BOWL)
    try:
        tr.rate(floor=1e308)
    except ValueError as e:
        says(e, "floor")


def test_10_summary_claims_no_gap_without_a_minimum():
    s = sv.Surface.from_function(lambda x, y: x - 5 + 0 * y)
    text = sv.run(sv.GD(0.1), s).summary()
    assert "reached" not in text
    says(text, "no known minimum")


@pytest.mark.parametrize("lr, start, steps", [
    (0.1, None, 0), (0.1, None, 37), (np.linspace(0.01, 0.2, 7), None, 20),
    (sv.inverse_time(np.array([0.1, 0.2]), 0.1), np.zeros((3, 1, 2)), 15),
    (np.full((4, 5), 0.05), np.ones((4, 1, 2)), 9),
])
def test_the_estimate_covers_what_run_allocates(lr, start, steps):
    """The budget is checked on an estimate made before allocating; it must not undercount the result."""
    tr = sv.run(sv.GD(lr), BOWL, start=start, steps=steps)
    held = tr.points.nbytes + tr.losses.nbytes + np.asarray(tr.lrs).base.nbytes
    estimate = engine.trajectory_bytes(steps, tr.batch_shape, 2)
    assert held <= estimate <= 2 * held + 1024


def test_the_design_grid_fits_the_budget_and_a_larger_one_does_not():
    engine.check_size(500, (200, 200), 2)       # the 200 x 200 x 500 grid of DESIGN.md and the README
    with pytest.raises(ValueError):
        engine.check_size(2000, (200, 200), 2)


@pytest.mark.parametrize("value, budget", [("64", 64), ("junk", 1024), ("-5", 1024), (None, 1024)])
def test_the_budget_comes_from_stepviz_memory_mb(value, budget):
    env = {k: v for k, v in os.environ.items() if k != "STEPVIZ_MEMORY_MB"}
    if value is not None:
        env["STEPVIZ_MEMORY_MB"] = value
    code = ("import stepviz, numpy as np\n"
            "print(stepviz.engine.MEMORY_BUDGET // 2 ** 20)\n"
            "try:\n    stepviz.run(stepviz.GD(np.full(1000, 0.1)), stepviz.QuadraticBowl(), steps=5000)\n"
            "except ValueError as e:\n    print('refused', 'STEPVIZ_MEMORY_MB' in str(e))\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert int(out[0]) == budget
    # 5001 x 1000 runs x 4 floats = 153 MiB: refused under 64 MiB, run under the default 1 GiB
    assert (out[1:] == ["refused", "True"]) == (budget < 153)


def test_undefined_marks_only_runs_that_reached_a_nan_region():
    s = sv.Surface.from_function(lambda x, y: np.sqrt(x) + y ** 2, bounds=((-1.0, 2.0), (-1.0, 1.0)),
                                 start=(0.5, 0.5))
    tr = sv.run(sv.GD(np.array([0.01, 0.6, 1e6])), s, steps=20)   # creeps, steps into x < 0, blows up
    assert tr.diverged.tolist() == [False, True, True]
    assert tr.undefined.tolist() == [False, True, False]
    assert "not defined" in tr[1].summary() and tr[2].summary().startswith("diverged at step")
