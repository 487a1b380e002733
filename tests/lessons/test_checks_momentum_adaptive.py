"""Self-checks of notebooks 06 and 07: accept the right answer, reject wrong ones and junk, never raise."""
import numpy as np
import pytest

import stepviz as sv
from stepviz.checks import adam_first_step, check_adam_first_step, check_heavy_ball_optimum, check_momentum_stable

BOWL = sv.QuadraticBowl((1.0, 50.0), angle=30)
JUNK = [None, "yes", "0.1", [1, 2, 3], {"a": 1}, np.nan, ..., object()]


def verdict(capsys):
    out = capsys.readouterr().out
    assert out.count("\n") >= 1
    return out


@pytest.mark.parametrize("lr,gamma,stable", [(0.03, 0.0, True), (0.05, 0.0, False), (0.05, 0.5, True),
                                             (0.07, 0.5, False), (0.075, 0.9, True), (0.077, 0.9, False)])
def test_momentum_stable(capsys, lr, gamma, stable):
    assert check_momentum_stable(stable, BOWL, lr, gamma) is True
    assert "✅" in verdict(capsys)
    assert check_momentum_stable(not stable, BOWL, lr, gamma) is False
    assert "❌" in verdict(capsys)
    assert check_momentum_stable(np.bool_(stable), BOWL, lr, gamma) is True
    verdict(capsys)


def test_momentum_stable_hint_mentions_raised_limit(capsys):
    check_momentum_stable(False, BOWL, 0.05, 0.5)  # alpha L = 2.5 > 2 but < 3
    assert "2 + 2γ" in verdict(capsys)


@pytest.mark.parametrize("junk", JUNK + [1, 0, "stable"])
def test_momentum_stable_junk(capsys, junk):
    assert check_momentum_stable(junk, BOWL, 0.05, 0.5) is False
    assert "True" in verdict(capsys)


def test_heavy_ball_optimum(capsys):
    lr, gamma = sv.theory.optimal_momentum(BOWL)
    sl, sm = np.sqrt(50.0), 1.0
    assert check_heavy_ball_optimum((4 / (sl + sm) ** 2, ((sl - sm) / (sl + sm)) ** 2), BOWL) is True
    assert "✅" in verdict(capsys)
    assert check_heavy_ball_optimum([round(lr, 4), round(gamma, 4)], BOWL) is True
    verdict(capsys)
    assert check_heavy_ball_optimum((gamma, lr), BOWL) is False
    assert "swapped" in verdict(capsys)
    assert check_heavy_ball_optimum((lr, np.sqrt(gamma)), BOWL) is False
    assert "square" in verdict(capsys)
    assert check_heavy_ball_optimum((2 / 51, gamma), BOWL) is False
    assert "GD's optimum" in verdict(capsys)
    assert check_heavy_ball_optimum((lr * 1.1, gamma), BOWL) is False
    assert "❌" in verdict(capsys)


@pytest.mark.parametrize("junk", JUNK + [0.06, (0.06,), (0.06, None)])
def test_heavy_ball_optimum_junk(capsys, junk):
    assert check_heavy_ball_optimum(junk, BOWL) is False
    assert "pair" in verdict(capsys)


START = np.array([-1.2, 1.0])


def test_adam_first_step_by_hand(capsys):
    surface = sv.Rosenbrock()
    g = surface.grad(START)  # (-215.6, -88)
    lr = 0.1
    m_hat, s_hat = g, g * g  # after bias correction at k = 1
    by_hand = START - lr * m_hat / (np.sqrt(s_hat) + 1e-8)
    np.testing.assert_allclose(adam_first_step(surface, START, lr), by_hand)
    assert check_adam_first_step(by_hand, surface, START, lr) is True
    assert "✅" in verdict(capsys)
    assert check_adam_first_step([-1.1, 1.1], "rosenbrock", START, lr) is True  # rounded is fine
    verdict(capsys)
    assert check_adam_first_step((-1.1, 1.1), "rosenbrock", [-1.2, 1.0], lr) is True
    verdict(capsys)


@pytest.mark.parametrize("wrong,word", [
    ([0.1, 0.1], "step"),                    # the step, not the new point
    ([-1.3, 0.9], "direction"),              # uphill
    ([-1.2 + 0.1 * 0.1 / np.sqrt(0.001) * 1, 1.0 + 0.1 * 0.1 / np.sqrt(0.001)], "bias"),
    ([-1.2 + 0.1 * 215.6, 1.0 + 0.1 * 88.0], "GD"),
    ([-1.0, 1.2], "Not yet"),
])
def test_adam_first_step_rejects_wrong(capsys, wrong, word):
    assert check_adam_first_step(wrong, "rosenbrock", START, 0.1) is False
    out = verdict(capsys)
    assert "❌" in out and word in out


@pytest.mark.parametrize("junk", JUNK + [0.1, [1.0], [[1.0, 2.0]], [np.inf, 1.0]])
def test_adam_first_step_junk(capsys, junk):
    assert check_adam_first_step(junk, "rosenbrock", START, 0.1) is False
    assert "two numbers" in verdict(capsys)
