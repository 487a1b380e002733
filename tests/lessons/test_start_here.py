"""Lesson 00 (00_start_here.ipynb): its self-checks accept right answers, name typical mistakes, never raise."""
import numpy as np

from stepviz import checks  # noqa: F401  (sv.checks: every lesson's checks)

JUNK = [None, "0.5", [1, 2, 3], {"a": 1}, float("nan"), ..., object()]


def verdict(capsys, fn, *args):
    ok = fn(*args)
    out = capsys.readouterr().out
    assert out.startswith("✅ Correct." if ok else "❌ Not yet."), out
    return ok, out


def test_gd_step(capsys):
    theta, grad, lr = [1.0, 2.0], [2.0, -4.0], 0.1
    assert verdict(capsys, checks.check_gd_step, [0.8, 2.4], theta, grad, lr)[0]
    assert verdict(capsys, checks.check_gd_step, np.array([0.8, 2.4]), theta, grad, lr)[0]
    ok, out = verdict(capsys, checks.check_gd_step, [1.2, 1.6], theta, grad, lr)
    assert not ok and "uphill" in out
    ok, out = verdict(capsys, checks.check_gd_step, [-1.0, 6.0], theta, grad, lr)
    assert not ok and "step size" in out
    assert not verdict(capsys, checks.check_gd_step, [0.8, 2.5], theta, grad, lr)[0]
    for junk in JUNK + [0.8, True]:
        assert not verdict(capsys, checks.check_gd_step, junk, theta, grad, lr)[0]
