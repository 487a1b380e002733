"""Every check's verdict against an independent oracle (issue 18): right answers in every form a learner
writes them are accepted, near misses and malformed answers refused, and what a check prints stays short.

A new check is covered by one entry in tests/lessons/oracles.py (ORACLES); this module fails until it has
one.
"""
import contextlib
import io

import pytest

from tests.lessons.oracles import HUGE, MALFORMED, ORACLES, cases
from tests.robust_helpers import all_checks, no_hang

#: Most characters a check may print: a verdict and a hint, never a learner's whole answer.
MAX_OUTPUT = 800


def run_check(name, case, answer):
    out = io.StringIO()
    with no_hang(60), contextlib.redirect_stdout(out):
        result = all_checks()[name](answer, *case.args, **case.kwargs)
    return result, out.getvalue()


def test_every_check_has_an_oracle():
    missing = sorted(set(all_checks()) - set(ORACLES))
    assert not missing, f"add an entry to tests/lessons/oracles.py ORACLES for: {missing}"
    assert not set(ORACLES) - set(all_checks()), "an oracle for a check that no longer exists"


def test_every_oracle_has_right_and_wrong_answers():
    for name, entries in ORACLES.items():
        for case in entries:
            verdicts = [case.judge(a) for a in case.answers]
            if name != "check_range_test_pick" or case.args[0].min_lr == case.args[0].min_lr:
                assert True in verdicts, f"{name}: no right answer among {case.answers}"
            assert False in verdicts, f"{name}: no wrong answer"
            if not name.endswith("_rule"):   # MALFORMED holds a GD step function: right for check_gd_rule
                assert not any(case.judge(a) for a in MALFORMED), name


def _check_against_oracle(name, case, answer):
    """What is wrong with the check's response to ``answer`` (empty if nothing)."""
    expected = case.judge(answer)
    result, out = run_check(name, case, answer)
    if not isinstance(result, bool):
        return f"returned {result!r}"
    if not out.startswith("Correct." if result else "Not yet."):
        return f"printed {out[:120]!r} for {result}"
    if out.count("\n") != 1:
        return f"printed {out.count(chr(10))} lines: {out[:120]!r}"
    if len(out) > MAX_OUTPUT:
        return f"printed {len(out)} characters: {out[:120]!r}"
    if expected is not None and result is not expected:
        return f"said {result}, the oracle {expected}: {out.strip()[:200]}"
    return ""


@pytest.mark.parametrize("name, index", [(n, i) for n, entries in ORACLES.items() for i in range(len(entries))])
def test_the_verdict_agrees_with_the_oracle(name, index):
    case = ORACLES[name][index]
    answers = [a for n, i, a in cases() if (n, i) == (name, index)]
    wrong = [f"{a!r:.60}: {why}" for a in answers if (why := _check_against_oracle(name, case, a))]
    assert not wrong, f"{name}{case.args!r:.80}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(ORACLES))
def test_a_huge_answer_is_refused_and_echoed_short(name):
    case = ORACLES[name][0]
    result, out = run_check(name, case, HUGE)
    assert result is False
    assert len(out) <= MAX_OUTPUT, f"{len(out)} characters"
