"""Lesson 09 (09_neural_networks.ipynb): its self-checks accept right answers, name typical mistakes, never raise."""
import pytest

import stepviz as sv
from stepviz import checks

from .answers import MORE_JUNK, printed


@pytest.fixture(scope="module")
def rt():
    X, y = sv.spirals(n=200, seed=0)
    loss = sv.NetworkLoss(sv.MLP((2, 16, 16, 1), seed=0), X, y)
    return sv.lr_range_test("GD", loss, lr_min=1e-3, lr_max=100.0, steps=200)


def test_range_pick_accepts_suggested(rt, capsys):
    assert checks.check_range_test_pick(rt.suggested_lr, rt) is True
    assert checks.check_range_test_pick(rt.min_lr / 3, rt) is True
    printed(capsys)


@pytest.mark.parametrize("factor", [1.0, 1.2, 5.0, 1 / 50, 1 / 1000])
def test_range_pick_rejects(rt, factor, capsys):
    assert checks.check_range_test_pick(rt.min_lr * factor, rt) is False
    printed(capsys)


@pytest.mark.parametrize("junk", MORE_JUNK + [-1.0, 0])
def test_range_pick_junk(rt, junk, capsys):
    assert checks.check_range_test_pick(junk, rt) is False
    printed(capsys)


def test_range_pick_without_result(capsys):
    assert checks.check_range_test_pick(0.5, None) is False
    printed(capsys)


def test_sharpness_limit(capsys):
    assert checks.check_sharpness_limit(2 / 0.987, 0.987) is True
    assert checks.check_sharpness_limit(1 / 0.987, 0.987) is False
    assert "1/λ" in capsys.readouterr().out
    assert checks.check_sharpness_limit(2 * 0.987, 0.987) is False
    for junk in MORE_JUNK:
        assert checks.check_sharpness_limit(junk, 0.987) is False
    assert checks.check_sharpness_limit(2.0, None) is False
    assert checks.check_sharpness_limit(2.0, -1.0) is False
    printed(capsys)
