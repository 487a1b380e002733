"""stepviz.lessons.grading: a check's verdict as an autograder test (the same hint as the self-check notebooks),
the hidden cases, and the two functions learners write only in the graded sets, each against an independent
implementation written here from its formula."""
from __future__ import annotations

import math

import numpy as np
import pytest

import stepviz as sv
from stepviz.lessons import grading, rule_check

from ..lessons.test_rule_check import CORRECT


def _flat(text: str) -> str:
    """The text with its line breaks undone (the raised verdict is wrapped to 88 characters)."""
    return " ".join(text.split())


def test_verdict_returns_what_the_check_prints(capsys):
    v = grading.verdict(sv.checks.check_iterate, 0.216, lam=4.0, lr=0.1, theta0=1.0, k=3)
    assert v.ok and v.message.startswith("Correct.") and "0.216" in v.message
    assert capsys.readouterr().out == ""
    v = grading.verdict(sv.checks.check_iterate, 0.6, lam=4.0, lr=0.1, theta0=1.0, k=3)
    assert not v.ok and "That is θ after one step" in v.message


def test_expect_raises_the_checks_own_message_and_prints_a_pass(capsys):
    grading.expect(sv.checks.check_largest_stable_step, 0.25, lam=8.0)
    assert capsys.readouterr().out.startswith("Correct. The limit is 2/λ = 0.25")
    with pytest.raises(AssertionError) as err:
        grading.expect(sv.checks.check_largest_stable_step, 0.125, lam=8.0)
    assert str(err.value).startswith("Not yet. That is 1/λ")
    with pytest.raises(AssertionError, match="Not yet"):  # a check that raises inside is a 'not yet', too
        grading.expect(sv.checks.check_local_limit, 0.1, "not a surface", (0, 0))


@pytest.mark.parametrize("check, good, bads", [
    (grading.expect_number, 0.5, [None, "0.5", [1.0, 2.0], True, float("nan")]),
    (lambda a: grading.expect_numbers(a, 2), [0.5, 1], [None, 0.5, [1.0], ["a", "b"], [1.0, np.inf]]),
    (grading.expect_bool, False, [None, 0, "True"]),
    (lambda a: grading.expect_choice(a, ["constant", "cosine"]), " Cosine", [None, "sine", 3]),
])
def test_the_visible_form_checks(check, good, bads):
    check(good)
    for bad in bads:
        with pytest.raises(AssertionError, match="Not yet"):
            check(bad)


def cosine_lr(t, lr, total, lr_min):  # written from the formula, not from stepviz
    t = np.asarray(t, dtype=float)
    out = [lr_min + (lr - lr_min) * (1 + math.cos(math.pi * min(x, total) / total)) / 2 for x in t.ravel()]
    return np.array(out).reshape(t.shape) if t.ndim else out[0]


def minibatch_grad(theta, x, y, idx):  # a plain loop over the batch
    g = np.zeros(2)
    for i in idx:
        r = theta[0] * x[i] + theta[1] - y[i]
        g += r * np.array([x[i], 1.0])
    return g / len(idx)


CORRECT_ALL = {**CORRECT, "cosine": cosine_lr, "minibatch gradient": minibatch_grad}


def test_every_kind_is_covered_here():
    assert set(grading.kinds()) == set(CORRECT_ALL) == set(rule_check.RULES) | {"cosine", "minibatch gradient"}


@pytest.mark.parametrize("kind", sorted(CORRECT_ALL))
def test_a_correct_function_passes_the_visible_and_the_hidden_tests(kind, capsys):
    grading.expect_rule(CORRECT_ALL[kind], kind)
    grading.expect_rule_more(CORRECT_ALL[kind], kind)
    assert capsys.readouterr().out.count("Correct.") == 2


@pytest.mark.parametrize("kind, name", [(k, m[0]) for k in sorted(CORRECT_ALL) for m in grading.mistakes(k)])
def test_each_catalogued_mistake_fails_both_tests_with_its_hint(kind, name):
    hint = next(h for n, _, h in grading.mistakes(kind) if n == name)
    for expect in (grading.expect_rule, grading.expect_rule_more):
        with pytest.raises(AssertionError) as err:
            expect(grading.mistake(kind, name), kind)
        assert hint in _flat(str(err.value)), (expect.__name__, str(err.value))


def test_the_rule_mistakes_are_rule_checks_own_catalogue():
    for rule in rule_check.RULES:
        assert grading.mistakes(rule) == tuple(rule_check.MISTAKES.get(rule, ()))


def test_the_hidden_tests_catch_what_the_visible_ones_cannot():
    def gd_2d(theta, grad, lr):
        g = grad(theta)
        return np.array([theta[0] - lr * g[0], theta[1] - lr * g[1]])

    def cosine_scalar(t, lr, total, lr_min):
        return lr_min + (lr - lr_min) * (1 + math.cos(math.pi * min(t, total) / total)) / 2

    def gradient_unique(theta, x, y, idx):  # drops a repeated index
        idx = np.unique(idx)
        r = theta[0] * x[idx] + theta[1] - y[idx]
        return np.array([np.mean(r * x[idx]), np.mean(r)])

    for fn, kind, words in ((gd_2d, "GD", "whole-array operations"), (cosine_scalar, "cosine", "np.minimum"),
                            (gradient_unique, "minibatch gradient", "[5, 5, 9]")):
        grading.expect_rule(fn, kind)
        with pytest.raises(AssertionError, match="Not yet") as err:
            grading.expect_rule_more(fn, kind)
        assert words in _flat(str(err.value))


@pytest.mark.parametrize("kind", sorted(CORRECT_ALL))
@pytest.mark.parametrize("bad", ["not a function", lambda *a: None, lambda *a: 1 / 0, lambda *a: ("a", "b"),
                                 lambda *a, **k: np.zeros(7)])
def test_a_broken_function_is_a_not_yet_never_another_error(kind, bad):
    for expect in (grading.expect_rule, grading.expect_rule_more):
        with pytest.raises(AssertionError, match="Not yet"):
            expect(bad, kind)


def test_an_unknown_kind_is_named():
    with pytest.raises(ValueError, match="'GD'.*'cosine'"):
        grading.expect_rule(CORRECT["GD"], "Gd")
    with pytest.raises(ValueError, match="no catalogued mistake 'sine'"):
        grading.mistake("cosine", "sine")
