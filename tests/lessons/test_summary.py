"""Lesson 10 (10_summary.ipynb): its self-checks accept right answers, name typical mistakes, never raise."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks

from .answers import MORE_JUNK, printed


def test_quiz(capsys):
    assert checks.check_quiz(dict(checks.QUIZ_KEY)) is True
    assert checks.check_quiz({"1": "B", 2: "c ", 3: "a", 4: "a"}) is True
    assert checks.check_quiz({1: "b", 2: "b", 3: "a", 4: "a"}) is False
    assert checks.check_quiz({1: "b", 2: "c", 3: "a"}) is False
    for junk in MORE_JUNK + [{}, {9: "a"}, {1: 3}]:
        assert checks.check_quiz(junk) is False
    printed(capsys)


def test_mystery_surface_minimum_and_gradient():
    s = checks.mystery_surface()
    assert s.f_min == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(s.grad(s.minima[0]), 0.0, atol=1e-12)
    p = np.array([[0.3, -1.2], [-2.0, 2.0]])
    h = 1e-6
    num = np.stack([(s.value(p + [h, 0]) - s.value(p - [h, 0])) / (2 * h),
                    (s.value(p + [0, h]) - s.value(p - [0, h])) / (2 * h)], -1)
    np.testing.assert_allclose(s.grad(p), num, rtol=1e-5)


def test_gd_cannot_pass_and_its_best_is_as_stated(capsys):
    s = checks.mystery_surface()
    lrs = np.geomspace(1e-3, 0.1, 400)
    k = sv.run(sv.GD(lrs), s, steps=checks.MYSTERY_STEPS).steps_to(checks.MYSTERY_TOL)
    best = k[k >= 0].min()
    assert best > checks.MYSTERY_TARGET
    assert abs(best - checks.MYSTERY_GD_BEST) <= 10
    assert checks.check_mystery({"optimizer": "GD", "lr": float(lrs[np.argmin(np.where(k >= 0, k, 10**9))])}) is False
    printed(capsys)


@pytest.mark.parametrize("answer", [
    {"optimizer": "Momentum", "lr": 0.0536, "momentum": 0.629},
    ("Nesterov", {"lr": 0.01, "momentum": 0.9}),
    sv.Momentum(0.045, momentum=0.7),
])
def test_mystery_accepts_good_solutions(answer, capsys):
    assert checks.check_mystery(answer) is True
    assert "✅" in printed(capsys)
    assert 0 < checks.mystery_steps(answer) <= checks.MYSTERY_TARGET


@pytest.mark.parametrize("answer", [
    {"optimizer": "Momentum", "lr": 0.5, "momentum": 0.9},   # diverges
    {"optimizer": "Adam", "lr": 0.9},                        # 180 steps
    {"optimizer": "GD", "lr": 1e-4},                         # never within the budget
    {"optimizer": "Momentum", "lr": 0.0475, "momentum": 0.473},  # theory from the start's Hessian: 106
])
def test_mystery_rejects_weak_solutions(answer, capsys):
    assert checks.check_mystery(answer) is False
    assert "❌" in printed(capsys)


@pytest.mark.parametrize("junk", MORE_JUNK + [{"optimizer": "SGDX", "lr": 0.1}, {"optimizer": "GD"}, {"lr": 0.1},
                                         {"optimizer": "GD", "lr": -1}, {"optimizer": "GD", "lr": np.array([0.1, 0.2])},
                                         ("GD", 0.1), sv.Backtracking(checks.mystery_surface(), lr=1.0),
                                         {"optimizer": "Momentum", "lr": 0.05, "momentum": 2.0}])
def test_mystery_junk(junk, capsys):
    assert checks.check_mystery(junk) is False
    printed(capsys)


def test_mystery_steps_raises_on_malformed():
    with pytest.raises(ValueError):
        checks.mystery_steps("nonsense")
