"""What the lesson tests share: answers a careless learner might give, and reading the printed verdict."""
#: Answers that are not answers: every check must print 'Not yet' for them and never raise.
JUNK = [None, "0.5", "yes", [1, 2, 3], {"a": 1}, float("nan"), ..., object()]
#: More of them, for checks whose answer is neither True/False nor a pair of numbers.
MORE_JUNK = JUNK + [True, [1, 2], float("inf")]


def printed(capsys):
    """The check's printed output, which must start with a verdict mark."""
    out = capsys.readouterr().out
    assert out.startswith(("Correct.", "Not yet.")), out
    return out


def verdict(capsys, ok, expect):
    """Assert the check returned ``expect`` and printed the matching verdict; return what it printed."""
    out = capsys.readouterr().out
    assert ok is expect
    assert out.startswith("Correct." if expect else "Not yet."), out
    return out


def verdict_of(capsys, fn, *args):
    """Call a check; return (its result, what it printed), asserting the verdict matches the result."""
    ok = fn(*args)
    out = capsys.readouterr().out
    assert out.startswith("Correct." if ok else "Not yet."), out
    return ok, out
