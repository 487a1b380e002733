"""The checker of learner-written update rules: correct code passes, every catalogued mistake is named."""
import numpy as np
import pytest

from stepviz.lessons.rule_check import MISTAKES, RULES, check_rule


# Correct implementations, written from the formulas (not from stepviz).
def gd(theta, grad, lr):
    return theta - lr * grad(theta)


def momentum(theta, v, grad, lr, momentum):
    v = momentum * v + lr * grad(theta)
    return theta - v, v


def nesterov(theta, v, grad, lr, momentum):
    v = momentum * v + lr * grad(theta - momentum * v)
    return theta - v, v


def rmsprop(theta, s, grad, lr, rho, eps):
    g = grad(theta)
    s = rho * s + (1 - rho) * g ** 2
    return theta - lr * g / (np.sqrt(s) + eps), s


def adam(theta, m, s, k, grad, lr, beta1, beta2, eps):
    g = grad(theta)
    m = beta1 * m + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g ** 2
    m_hat, s_hat = m / (1 - beta1 ** k), s / (1 - beta2 ** k)
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), m, s


CORRECT = {"GD": gd, "Momentum": momentum, "Nesterov": nesterov, "RMSprop": rmsprop, "Adam": adam}


@pytest.mark.parametrize("rule", list(RULES))
def test_a_correct_rule_passes(rule, capsys):
    assert check_rule(CORRECT[rule], rule) is True
    out = capsys.readouterr().out
    assert out.startswith("✅") and "Rosenbrock" in out


@pytest.mark.parametrize("rule, name", [(r, m[0]) for r, ms in MISTAKES.items() for m in ms])
def test_each_typical_mistake_is_named(rule, name, capsys):
    wrong, hint = {m[0]: m[1:] for m in MISTAKES[rule]}[name]
    assert check_rule(wrong, rule) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out
    assert "Step " in out and "yours θ" in out and "stepviz θ" in out


def test_a_mistake_outside_the_catalogue_gets_the_first_differing_step(capsys):
    def half_step(theta, grad, lr):
        return theta - 0.5 * lr * grad(theta)

    assert check_rule(half_step, "GD") is False
    out = capsys.readouterr().out
    assert "Step 1 differs" in out and "Compare each line with the formula of GD" in out


def test_the_heavy_ball_passed_as_nesterov_is_named(capsys):
    assert check_rule(momentum, "Nesterov") is False
    assert "looks ahead first" in capsys.readouterr().out


@pytest.mark.parametrize("bad, word", [
    (lambda theta, v, grad, lr, momentum: None, "returns None"),
    (lambda theta, v, grad, lr, momentum: theta, "should return"),
    (lambda theta, v, grad, lr, momentum: (theta, v, v), "should return"),
    (lambda theta, v, grad, lr, momentum: ("a", "b"), "arrays of numbers"),
    (lambda theta, v, grad, lr, momentum: (theta[:1], v), "shape"),
    (lambda theta, v, grad, lr, momentum: 1 / 0, "raised ZeroDivisionError at step 1"),
    (lambda theta, grad, lr: theta, "raised TypeError"),  # the wrong signature
    ("not a function", "Pass your function"),
    (None, "Pass your function"),
])
def test_unfinished_or_broken_code_gets_a_hint_never_an_exception(bad, word, capsys):
    assert check_rule(bad, "Momentum") is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and word in out
