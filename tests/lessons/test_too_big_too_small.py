"""Lesson 02 (02_too_big_too_small.ipynb): its self-checks accept right answers, name typical mistakes, never raise."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks  # noqa: F401  (sv.checks: every lesson's checks)

from .answers import JUNK, verdict_of


def test_converges(capsys):
    bowl = sv.QuadraticBowl((1.0, 10.0))
    for lr in (0.01, 0.15, 0.199, 0.2, 0.21, 1.5):
        truth = bool(not sv.run(sv.GD(lr), bowl, steps=3000).diverged) and lr < 0.2
        assert verdict_of(capsys, checks.check_converges, truth, bowl, lr)[0]
        assert not verdict_of(capsys, checks.check_converges, not truth, bowl, lr)[0]
        assert verdict_of(capsys, checks.check_converges, np.bool_(truth), bowl, lr)[0]
    ok, out = verdict_of(capsys, checks.check_converges, True, bowl, 0.5)
    assert not ok and "steep" in out
    for junk in JUNK + ["yes", 1, 0]:
        assert not verdict_of(capsys, checks.check_converges, junk, bowl, 0.1)[0]


def test_converges_measured_on_the_bowl():
    bowl = sv.QuadraticBowl((1.0, 10.0))
    tr = sv.run(sv.GD(np.array([0.199, 0.201])), bowl, steps=3000)
    assert tr.gap()[-1, 0] < 1e-6 and tr.diverged[1]


@pytest.mark.parametrize("curv", [(1.0, 10.0), (2.0, 50.0), (3.0, 3.0)])
def test_optimal_rate(capsys, curv):
    bowl = sv.QuadraticBowl(curv)
    kappa = bowl.condition_number
    rate = (kappa - 1) / (kappa + 1)
    measured = float(sv.run(sv.GD(sv.theory.optimal_lr(bowl)), bowl, steps=300).rate()) if kappa > 1 else 0.0
    assert np.isclose(measured, rate, atol=1e-3)
    assert verdict_of(capsys, checks.check_optimal_rate, rate, bowl)[0]
    assert not verdict_of(capsys, checks.check_optimal_rate, rate + 0.05, bowl)[0]
    if kappa > 1:
        ok, out = verdict_of(capsys, checks.check_optimal_rate, kappa, bowl)
        assert not ok and "κ itself" in out
        ok, out = verdict_of(capsys, checks.check_optimal_rate, 1 - 1 / kappa, bowl)
        assert not ok and "1/L" in out
    for junk in JUNK:
        assert not verdict_of(capsys, checks.check_optimal_rate, junk, bowl)[0]
    assert not verdict_of(capsys, checks.check_optimal_rate, 0.5, "bowl")[0]
