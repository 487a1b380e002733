"""The feedback helpers every lesson's checks share: answers parsed, verdicts printed, junk never raises."""
import numpy as np
import pytest

import stepviz as sv
from stepviz.lessons.feedback import (
    check_number,
    feedback,
    parse_bool,
    parse_number,
    parse_vector,
)

JUNK = [None, "abc", "", "0.2", float("nan"), float("inf"), -float("inf"), [0.2], [0.1, 0.2], (0.2,), {},
        {"lr": 0.2}, np.array([0.2, 0.3]), object(), 1j, True, np.bool_(False), ..., sv.GD, 10 ** 400]


@pytest.mark.parametrize("answer, value", [(0.2, 0.2), (2, 2.0), (np.float64(-1.5), -1.5), (np.array(0.5), 0.5),
                                           (np.int64(3), 3.0)], ids=repr)
def test_parse_number_reads_numbers(answer, value):
    assert parse_number(answer) == value


@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_parse_number_rejects_everything_else(answer):
    assert parse_number(answer) is None


def test_parse_vector_and_bool():
    np.testing.assert_array_equal(parse_vector([1, 2.5]), [1.0, 2.5])
    np.testing.assert_array_equal(parse_vector((0, 1, 2), n=3), [0.0, 1.0, 2.0])
    for junk in [[1.0], [1, 2, 3], "ab", [np.nan, 1], {"a": 1}, None, True, [[1, 2]], ["a", "b"], [10 ** 400, 1]]:
        assert parse_vector(junk) is None
    assert parse_bool(True) is True and parse_bool(np.bool_(False)) is False
    for junk in [1, 0, "True", None, [True]]:
        assert parse_bool(junk) is None


def test_feedback_prints_the_verdict(capsys):
    assert feedback(True, "well done", "try again") is True
    assert feedback(False, "well done", "try again") is False
    first, second = capsys.readouterr().out.splitlines()
    assert "Correct" in first and "well done" in first and "try again" not in first
    assert "Not yet" in second and "try again" in second and "well done" not in second


def test_check_number(capsys):
    assert check_number(1.005, 1.0, right="yes", hint="no") is True
    assert check_number(1.02, 1.0, right="yes", hint="no") is False
    assert check_number(1.02, 1.0, rtol=0.05) is True
    assert check_number("1.0", 1.0, hint="no") is False
    out = capsys.readouterr().out.splitlines()
    assert "Correct" in out[0] and "yes" in out[0]
    assert "Not yet" in out[1] and "no" in out[1]
    assert "Correct" in out[2]
    assert "Not yet" in out[3] and "number (without quotes)" in out[3]


@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_check_number_never_raises_on_junk(answer, capsys):
    assert check_number(answer, 0.2) is False
    assert "Not yet" in capsys.readouterr().out
