"""Lesson 00 (00_start_here.ipynb): its self-checks accept right answers, name typical mistakes, never raise."""
import numpy as np

from stepviz import checks  # noqa: F401  (sv.checks: every lesson's checks)

from .answers import JUNK, verdict_of


def test_gd_step(capsys):
    theta, grad, lr = [1.0, 2.0], [2.0, -4.0], 0.1
    assert verdict_of(capsys, checks.check_gd_step, [0.8, 2.4], theta, grad, lr)[0]
    assert verdict_of(capsys, checks.check_gd_step, np.array([0.8, 2.4]), theta, grad, lr)[0]
    ok, out = verdict_of(capsys, checks.check_gd_step, [1.2, 1.6], theta, grad, lr)
    assert not ok and "uphill" in out
    ok, out = verdict_of(capsys, checks.check_gd_step, [-1.0, 6.0], theta, grad, lr)
    assert not ok and "step size" in out
    assert not verdict_of(capsys, checks.check_gd_step, [0.8, 2.5], theta, grad, lr)[0]
    for junk in JUNK + [0.8, True]:
        assert not verdict_of(capsys, checks.check_gd_step, junk, theta, grad, lr)[0]
