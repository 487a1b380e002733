"""The feedback helpers every lesson's checks share: answers parsed, verdicts printed, junk never raises."""
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import stepviz as sv
from stepviz.lessons.feedback import MAX_LINE
from stepviz.lessons.feedback import (
    check_number,
    feedback,
    guard,
    not_a_number,
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
    assert "Not yet" in out[3] and "without quotes" in out[3]


@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_check_number_never_raises_on_junk(answer, capsys):
    assert check_number(answer, 0.2) is False
    assert "Not yet" in capsys.readouterr().out


# --- issue 12: any answer, any argument ---------------------------------------------------------------------
@pytest.mark.parametrize("answer, value", [(Fraction(1, 4), 0.25), (Decimal("0.5"), 0.5), (np.float32(0.5), 0.5),
                                           (np.uint8(3), 3.0), (10 ** 20, 1e20)], ids=repr)
def test_parse_number_reads_every_kind_of_real_number(answer, value):
    assert parse_number(answer) == value


@pytest.mark.parametrize("answer, why", [
    (None, "replace None"), ("0.5", "without quotes"), (True, "yes/no"), (0.5 + 1j, "complex"),
    (np.complex128(0.5 + 0j), "complex"), (10 ** 400, "too large"), (float("nan"), "finite"),
    (np.array([0.5]), "one number"), ([0.1, 0.2], "list of 2"), (object(), "not a object"),
], ids=repr)
def test_not_a_number_says_why_without_a_warning(answer, why):
    assert parse_number(answer) is None   # pytest turns a ComplexWarning or DeprecationWarning into a failure
    assert why in not_a_number(answer)


def test_parse_vector_refuses_complex_without_a_warning():
    assert parse_vector(np.array([1 + 0j, 2 + 0j])) is None
    assert parse_vector([np.complex128(1), 2.0]) is None
    np.testing.assert_array_equal(parse_vector([Fraction(1, 2), np.float32(2)]), [0.5, 2.0])


def test_check_number_at_zero_and_without_a_finite_expected_value(capsys):
    assert check_number(0.0, 0.0) is True
    assert check_number(1e-13, 0.0) is True and check_number(1e-3, 0.0) is False
    assert check_number(1.0, float("nan")) is False
    out = capsys.readouterr().out.splitlines()
    assert "no finite answer" in out[-1]


def test_guard_turns_an_exception_into_feedback_naming_the_arguments(capsys):
    def check_half(answer, lam):
        """A check that divides by an argument."""
        return feedback(answer == 1 / lam, "", "no")

    guarded = guard(check_half)
    assert guarded(0.5, 2.0) is True
    assert guarded(0.5, 0) is False
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("Not yet.") and "lam=0" in out[1] and "ZeroDivisionError" in out[1]
    assert guarded.__wrapped__ is check_half and guarded.__doc__ == check_half.__doc__


def test_guard_silences_numpy_warnings_inside_a_check(capsys):
    guarded = guard(lambda answer: feedback(bool(np.log(answer) < 0), "", "no"))
    assert guarded(np.float64(0.0)) is True    # log(0): a RuntimeWarning without the guard
    assert guarded(np.float64(-1.0)) is False  # log(-1): nan


def test_every_check_of_sv_checks_is_guarded():
    names = [n for n in sv.checks.__all__ if n.startswith("check_")]
    assert len(names) > 20
    assert all(getattr(getattr(sv.checks, n), "guarded", False) for n in names)


# --- issue 18 item 14: a learner's answer is echoed shortened, on one line ---------------------------------

def test_14_a_check_called_from_its_lesson_module_unguarded_prints_one_short_line(capsys):
    from stepviz.lessons.the_update_rule import check_largest_stable_step

    assert check_largest_stable_step(list(range(100_000)), 10) is False
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and len(out) <= MAX_LINE + 1


def test_14_through_sv_checks_the_answer_is_described_not_quoted(capsys):
    assert sv.checks.check_largest_stable_step(list(range(100_000)), 10) is False
    out = capsys.readouterr().out
    assert "a list of 100,000 items" in out and "99999" not in out


def test_14_an_answer_whose_repr_fails_still_gets_a_verdict(capsys):
    class Weird:
        def __repr__(self):
            raise RuntimeError("no repr")

    assert sv.checks.check_iterate(Weird(), 2.0, 0.3, 1.5, 3) is False
    assert capsys.readouterr().out.startswith("Not yet.")


def test_14_a_two_dimensional_array_answer_is_echoed_on_one_line(capsys):
    assert sv.checks.check_gd_step(np.zeros((2, 2)), (1.0, 2.0), (0.5, -1.0), 0.1) is False
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "[[0., 0.], [0., 0.]]" in out
