"""Lesson 05 (05_schedules.ipynb): its self-checks accept right answers, name typical mistakes, never raise."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks  # noqa: F401  (sv.checks: every lesson's checks)

from .answers import MORE_JUNK, verdict


@pytest.fixture(scope="module")
def schedules():
    return {"constant": sv.constant(0.1), "inverse_time": sv.inverse_time(0.1, 0.05),
            "step_decay": sv.step_decay(0.1, 0.5, 50), "exponential": sv.exponential(0.1, 0.99),
            "cosine": sv.cosine(0.1, 300)}


NOISY = dict(tol=1e-2, steps=300, noise=1.0, seed=0, repeats=50)


def test_steps_to_tolerance_is_the_mean_of_independent_runs(schedules):
    bowl = sv.QuadraticBowl()
    got = sv.analysis.steps_to_tolerance({"inverse_time": schedules["inverse_time"]}, bowl, **NOISY)
    tr = sv.run(sv.GD(lr=schedules["inverse_time"]), bowl, np.broadcast_to(bowl.start, (50, 2)), 300,
                noise=1.0, seed=0)
    mean = tr.gap().mean(axis=1)
    assert got["inverse_time"] == int(np.argmax(mean <= 1e-2))
    assert mean[got["inverse_time"] - 1] > 1e-2


def test_fastest_schedule_with_noise(capsys, schedules):
    bowl = sv.QuadraticBowl()
    reached = sv.analysis.steps_to_tolerance(schedules, bowl, **NOISY)
    assert reached["constant"] == -1  # stuck in its noise ball
    verdict(capsys, checks.check_fastest_schedule("inverse_time", schedules, bowl, **NOISY), True)
    verdict(capsys, checks.check_fastest_schedule(" Inverse_Time ", schedules, bowl, **NOISY), True)
    out = verdict(capsys, checks.check_fastest_schedule("constant", schedules, bowl, **NOISY), False)
    assert "never" in out
    out = verdict(capsys, checks.check_fastest_schedule("cosine", schedules, bowl, **NOISY), False)
    assert "another schedule is sooner" in out


def test_fastest_schedule_without_noise_is_the_constant_step(capsys, schedules):
    bowl = sv.QuadraticBowl()
    verdict(capsys, checks.check_fastest_schedule("constant", schedules, bowl, tol=1e-6), True)
    verdict(capsys, checks.check_fastest_schedule("inverse_time", schedules, bowl, tol=1e-6), False)


@pytest.mark.parametrize("junk", MORE_JUNK + ["adam", 3])
def test_fastest_schedule_junk(capsys, schedules, junk):
    out = verdict(capsys, checks.check_fastest_schedule(junk, schedules, sv.QuadraticBowl(), tol=1e-6), False)
    assert "one of the names" in out


def test_fastest_schedule_bad_arguments_do_not_raise(capsys, schedules):
    verdict(capsys, checks.check_fastest_schedule("constant", schedules, "bowl?", tol=1e-6), False)
    verdict(capsys, checks.check_fastest_schedule("constant", [1, 2], sv.QuadraticBowl(), tol=1e-6), False)
    verdict(capsys, checks.check_fastest_schedule("constant", schedules, sv.QuadraticBowl(), tol=1e-30, steps=5),
            False)
