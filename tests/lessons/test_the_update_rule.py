"""Lesson 01 (01_the_update_rule.ipynb): its self-checks accept right answers, name typical mistakes, never raise."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks  # noqa: F401  (sv.checks: every lesson's checks)

from .answers import JUNK, verdict_of


@pytest.mark.parametrize("lam, lr, theta0, k", [(1.0, 0.5, 2.0, 3), (4.0, 0.4, 1.0, 5), (2.0, 0.5, 1.5, 2)])
def test_iterate(capsys, lam, lr, theta0, k):
    expected = (1 - lr * lam) ** k * theta0
    ref = sv.analysis.iterates(lam, lr, theta0, k)[-1]
    assert np.isclose(expected, ref)
    assert verdict_of(capsys, checks.check_iterate, expected, lam, lr, theta0, k)[0]
    assert verdict_of(capsys, checks.check_iterate, float(ref), lam, lr, theta0, k)[0]
    assert not verdict_of(capsys, checks.check_iterate, expected + 0.1, lam, lr, theta0, k)[0]
    ok, out = verdict_of(capsys, checks.check_iterate, (1 - lr * lam) * theta0 if expected else 1.0, lam, lr, theta0, k)
    assert not ok
    if expected:
        assert "after one step" in out
    ok, out = verdict_of(capsys, checks.check_iterate, (1 + lr * lam) ** k * theta0, lam, lr, theta0, k)
    assert not ok and "subtracts" in out
    for junk in JUNK:
        assert not verdict_of(capsys, checks.check_iterate, junk, lam, lr, theta0, k)[0]


@pytest.mark.parametrize("lam", [0.5, 1.0, 4.0, 25.0])
def test_largest_stable_step(capsys, lam):
    assert verdict_of(capsys, checks.check_largest_stable_step, 2 / lam, lam)[0]
    assert verdict_of(capsys, checks.check_largest_stable_step, np.float64(2 / lam) * (1 + 1e-4), lam)[0]
    ok, out = verdict_of(capsys, checks.check_largest_stable_step, 1 / lam, lam)
    assert not ok and "1/λ" in out
    if lam not in (1.0,):
        ok, out = verdict_of(capsys, checks.check_largest_stable_step, 2 * lam, lam)
        assert not ok and "divide" in out
    for wrong in (0.0, -2 / lam, 3 / lam, 1.9 / lam):
        assert not verdict_of(capsys, checks.check_largest_stable_step, wrong, lam)[0]
    for junk in JUNK:
        assert not verdict_of(capsys, checks.check_largest_stable_step, junk, lam)[0]


def test_largest_stable_step_is_the_measured_edge():
    lam = 4.0
    th = sv.analysis.iterates(lam, np.array([0.99, 1.01]) * 2 / lam, 1.0, 400)
    assert abs(th[-1, 0]) < 1e-1 and not np.isfinite(th[-1, 1])


@pytest.mark.parametrize("lr, lam, name", [(0.05, 1.0, "creeping"), (0.3, 1.0, "smooth"), (0.25, 4.0, "smooth"),
                                           (1.5, 1.0, "oscillating"), (0.7, 3.0, "diverging"), (2.0, 1.0, "diverging")])
def test_regime(capsys, lr, lam, name):
    assert sv.analysis.regime(lr, lam) == name
    assert verdict_of(capsys, checks.check_regime, name, lr, lam)[0]
    assert verdict_of(capsys, checks.check_regime, name.upper() + " ", lr, lam)[0]
    for other in checks.REGIME_NAMES:
        if other != name:
            assert not verdict_of(capsys, checks.check_regime, other, lr, lam)[0]
    for junk in JUNK + ["fast", 1]:
        assert not verdict_of(capsys, checks.check_regime, junk, lr, lam)[0]


def test_exported():
    for name in ("check_gd_step", "check_iterate", "check_largest_stable_step", "check_regime", "check_converges",
                 "check_optimal_rate"):
        assert callable(getattr(sv.checks, name))


def test_check_gd_rule(capsys):
    from .test_rule_check import gd

    assert checks.check_gd_rule(gd) is True
    assert checks.check_gd_rule(lambda theta, grad, lr: theta + lr * grad(theta)) is False
    assert "uphill" in capsys.readouterr().out
