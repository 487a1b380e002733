"""Lesson 06 (06_momentum_and_nesterov.ipynb): its self-checks accept right answers, name typical mistakes, never raise."""
import numpy as np
import pytest

import stepviz as sv
from stepviz.checks import check_heavy_ball_optimum, check_momentum_stable

from .answers import JUNK, printed

BOWL = sv.QuadraticBowl((1.0, 50.0), angle=30)


@pytest.mark.parametrize("lr,gamma,stable", [(0.03, 0.0, True), (0.05, 0.0, False), (0.05, 0.5, True),
                                             (0.07, 0.5, False), (0.075, 0.9, True), (0.077, 0.9, False)])
def test_momentum_stable(capsys, lr, gamma, stable):
    assert check_momentum_stable(stable, BOWL, lr, gamma) is True
    assert "✅" in printed(capsys)
    assert check_momentum_stable(not stable, BOWL, lr, gamma) is False
    assert "❌" in printed(capsys)
    assert check_momentum_stable(np.bool_(stable), BOWL, lr, gamma) is True
    printed(capsys)


def test_momentum_stable_hint_mentions_raised_limit(capsys):
    check_momentum_stable(False, BOWL, 0.05, 0.5)  # alpha L = 2.5 > 2 but < 3
    assert "2 + 2γ" in printed(capsys)


@pytest.mark.parametrize("junk", JUNK + [1, 0, "stable"])
def test_momentum_stable_junk(capsys, junk):
    assert check_momentum_stable(junk, BOWL, 0.05, 0.5) is False
    assert "True" in printed(capsys)


def test_heavy_ball_optimum(capsys):
    lr, gamma = sv.theory.optimal_momentum(BOWL)
    sl, sm = np.sqrt(50.0), 1.0
    assert check_heavy_ball_optimum((4 / (sl + sm) ** 2, ((sl - sm) / (sl + sm)) ** 2), BOWL) is True
    assert "✅" in printed(capsys)
    assert check_heavy_ball_optimum([round(lr, 4), round(gamma, 4)], BOWL) is True
    printed(capsys)
    assert check_heavy_ball_optimum((gamma, lr), BOWL) is False
    assert "swapped" in printed(capsys)
    assert check_heavy_ball_optimum((lr, np.sqrt(gamma)), BOWL) is False
    assert "square" in printed(capsys)
    assert check_heavy_ball_optimum((2 / 51, gamma), BOWL) is False
    assert "GD's optimum" in printed(capsys)
    assert check_heavy_ball_optimum((lr * 1.1, gamma), BOWL) is False
    assert "❌" in printed(capsys)


@pytest.mark.parametrize("junk", JUNK + [0.06, (0.06,), (0.06, None)])
def test_heavy_ball_optimum_junk(capsys, junk):
    assert check_heavy_ball_optimum(junk, BOWL) is False
    assert "pair" in printed(capsys)


def test_check_momentum_and_nesterov_rules(capsys):
    from stepviz import checks

    from .test_rule_check import momentum, nesterov

    assert checks.check_momentum_rule(momentum) is True and checks.check_nesterov_rule(nesterov) is True
    assert checks.check_momentum_rule(nesterov) is False and checks.check_nesterov_rule(momentum) is False
    out = capsys.readouterr().out
    assert out.count("✅") == 2 and "looks ahead first" in out
