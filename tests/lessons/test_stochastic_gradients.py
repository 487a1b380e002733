"""Lesson 08 (08_stochastic_gradients.ipynb): its self-checks accept right answers, name typical mistakes, never raise."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks

from .answers import MORE_JUNK, printed


@pytest.mark.parametrize("answer", [0.25, 0.21, 4 / 19])
def test_batch_factor_accepts(answer, capsys):
    assert checks.check_batch_factor(answer) is True
    assert "✅" in printed(capsys)


@pytest.mark.parametrize("answer", [0.5, 4, 1.0, 0.1, 0.0625, -0.25, "0.25"])
def test_batch_factor_rejects(answer, capsys):
    assert checks.check_batch_factor(answer) is False
    assert "❌" in printed(capsys)


def test_batch_factor_sqrt_hint(capsys):
    checks.check_batch_factor(0.5)
    assert "standard deviation" in capsys.readouterr().out


def test_batch_factor_matches_covariance_of_the_data():
    data = sv.LeastSquares.synthetic(n=200)
    ratio = np.trace(data.minibatch_covariance(data.p_star, 40)) / np.trace(data.minibatch_covariance(data.p_star, 10))
    assert checks.check_batch_factor(ratio) is True


@pytest.mark.parametrize("answer", ["b, d", "bd", {"b", "d"}, ["D", "b"], ("b", "d")])
def test_robbins_monro_accepts(answer, capsys):
    assert checks.check_robbins_monro(answer) is True
    printed(capsys)


@pytest.mark.parametrize("answer", ["b", "a, b, d", "c", "e, b, d", "abcdef", "f"])
def test_robbins_monro_rejects(answer, capsys):
    assert checks.check_robbins_monro(answer) is False
    printed(capsys)


def test_robbins_monro_key_is_right_numerically():
    t = np.arange(1, 200_001, dtype=float)
    rules = {"a": 0.1 + 0 * t, "b": 0.2 / (1 + 0.05 * t), "c": 0.2 * 0.95 ** t, "d": 0.2 / (1 + t) ** 0.75,
             "e": 0.2 / np.sqrt(1 + t), "f": 0.2 / (1 + t) ** 2}
    # sum of alpha keeps growing (second half adds a lot), sum of alpha^2 settles (second half adds little)
    ok = {k for k, a in rules.items() if a[100_000:].sum() > 1.0 and (a[100_000:] ** 2).sum() < 1e-3}
    assert ok == set(checks.RM_CORRECT)


@pytest.mark.parametrize("junk", MORE_JUNK + ["xyz", "", 3])
def test_robbins_monro_junk(junk, capsys):
    assert checks.check_robbins_monro(junk) is False
    printed(capsys)
