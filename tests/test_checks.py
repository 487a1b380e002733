"""Learner feedback: right answers accepted, wrong ones get a hint, junk never raises."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks

BOWL = sv.QuadraticBowl((1.0, 10.0), angle=30.0)   # 2 / L = 0.2


@pytest.mark.parametrize("answer", [0.2, 2 / 10, np.float64(0.2), 0.2005, 0.1985], ids=repr)
def test_right_answer_is_accepted(answer, capsys):
    assert checks.check_lr_limit(answer, BOWL) is True
    out = capsys.readouterr().out
    assert "Correct" in out and "Not yet" not in out
    assert "0.2" in out


def test_right_answer_for_other_bowls(capsys):
    for curv in [(2.0, 5.0), (40.0, 0.5), (3.0, 3.0)]:
        bowl = sv.QuadraticBowl(curv, angle=15.0)
        assert checks.check_lr_limit(2 / max(curv), bowl) is True
        assert checks.check_lr_limit(2 / max(curv) * 1.05, bowl) is False
    out = capsys.readouterr().out
    assert out.count("Correct") == 3 and out.count("Not yet") == 3


@pytest.mark.parametrize("answer, hint", [
    (0.1, "1/L"),                  # 1 / L
    (2.0, "smallest curvature"),   # 2 / mu
    (0.5, "largest curvature"),    # anything else: the general hint
    (-0.2, "largest curvature"),
    (0.25, "largest curvature"),
    (0, "largest curvature"),
], ids=repr)
def test_wrong_answer_gets_a_hint(answer, hint, capsys):
    assert checks.check_lr_limit(answer, BOWL) is False
    out = capsys.readouterr().out
    assert "Not yet" in out and "Correct" not in out
    assert hint in out


@pytest.mark.parametrize("answer", [None, "abc", "", float("nan"), float("inf"), -float("inf"), [0.2], [0.1, 0.2],
                                    (0.2,), {}, {"lr": 0.2}, np.array([0.2, 0.3]), np.array([0.2]), object(), 1j,
                                    True, ..., sv.GD, BOWL], ids=repr)
def test_junk_never_raises(answer, capsys):
    assert checks.check_lr_limit(answer, BOWL) is False
    out = capsys.readouterr().out
    assert "Not yet" in out and "number" in out


def test_check_number(capsys):
    assert checks.check_number(1.005, 1.0, right="yes", hint="no") is True
    assert checks.check_number(1.02, 1.0, right="yes", hint="no") is False
    assert checks.check_number(1.02, 1.0, rtol=0.05) is True
    assert checks.check_number("x", 1.0, hint="no") is False
    out = capsys.readouterr().out.splitlines()
    assert "Correct" in out[0] and "yes" in out[0]
    assert "Not yet" in out[1] and "no" in out[1]
    assert "Correct" in out[2]
    assert "Not yet" in out[3] and "number" in out[3]
