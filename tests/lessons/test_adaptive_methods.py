"""Lesson 07 (07_adaptive_methods.ipynb): its self-checks accept right answers, name typical mistakes, never raise."""
import numpy as np
import pytest

import stepviz as sv
from stepviz.checks import adam_first_step, check_adam_first_step

from .answers import JUNK, printed

START = np.array([-1.2, 1.0])


def test_adam_first_step_by_hand(capsys):
    surface = sv.Rosenbrock()
    g = surface.grad(START)  # (-215.6, -88)
    lr = 0.1
    m_hat, s_hat = g, g * g  # after bias correction at k = 1
    by_hand = START - lr * m_hat / (np.sqrt(s_hat) + 1e-8)
    np.testing.assert_allclose(adam_first_step(surface, START, lr), by_hand)
    assert check_adam_first_step(by_hand, surface, START, lr) is True
    assert "✅" in printed(capsys)
    assert check_adam_first_step([-1.1, 1.1], "rosenbrock", START, lr) is True  # rounded is fine
    printed(capsys)
    assert check_adam_first_step((-1.1, 1.1), "rosenbrock", [-1.2, 1.0], lr) is True
    printed(capsys)


@pytest.mark.parametrize("wrong,word", [
    ([0.1, 0.1], "step"),                    # the step, not the new point
    ([-1.3, 0.9], "direction"),              # uphill
    ([-1.2 + 0.1 * 0.1 / np.sqrt(0.001) * 1, 1.0 + 0.1 * 0.1 / np.sqrt(0.001)], "bias"),
    ([-1.2 + 0.1 * 215.6, 1.0 + 0.1 * 88.0], "GD"),
    ([-1.0, 1.2], "Not yet"),
])
def test_adam_first_step_rejects_wrong(capsys, wrong, word):
    assert check_adam_first_step(wrong, "rosenbrock", START, 0.1) is False
    out = printed(capsys)
    assert "❌" in out and word in out


@pytest.mark.parametrize("junk", JUNK + [0.1, [1.0], [[1.0, 2.0]], [np.inf, 1.0]])
def test_adam_first_step_junk(capsys, junk):
    assert check_adam_first_step(junk, "rosenbrock", START, 0.1) is False
    assert "two numbers" in printed(capsys)


def test_check_rmsprop_and_adam_rules(capsys):
    from stepviz import checks

    from .test_rule_check import adam, rmsprop

    assert checks.check_rmsprop_rule(rmsprop) is True and checks.check_adam_rule(adam) is True
    assert checks.check_adam_rule(lambda theta, m, s, k, grad, lr, beta1, beta2, eps: (theta, m, s)) is False
    assert capsys.readouterr().out.count("✅") == 2
