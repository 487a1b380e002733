"""What every lesson's self-checks share: reading the learner's answer and printing the verdict.

A check prints '✅ Correct. ...' or '❌ Not yet. <hint>', returns True/False and never raises, whatever the
answer (None, a string, a list ...), so a notebook still runs top to bottom with unfinished answers.
"""
from __future__ import annotations

import numpy as np


def feedback(ok: bool, right: str, hint: str) -> bool:
    """Print a verdict line: 'Correct' with ``right``, or 'Not yet' with ``hint``; return ``ok``."""
    print(f"✅ Correct. {right}" if ok else f"❌ Not yet. {hint}")
    return bool(ok)


def parse_number(answer):
    """A finite float, or None for anything else. Text is not a number: '0.5' (with quotes) is None, so the
    learner is told to write the number itself."""
    if isinstance(answer, (bool, np.bool_, str, bytes)) or answer is None or answer is ...:
        return None
    try:
        x = float(answer)
    except (TypeError, ValueError, OverflowError):
        return None
    return x if np.isfinite(x) else None


def parse_vector(answer, n=2):
    """``answer`` as a finite float array of shape (n,), or None."""
    if answer is None or isinstance(answer, (str, bytes, bool, np.bool_, dict, set)):
        return None
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return None
    if arr.shape != (n,) or not np.isfinite(arr).all():
        return None
    return arr


def parse_bool(answer):
    """True or False (Python or numpy booleans), or None for anything else."""
    if isinstance(answer, (bool, np.bool_)):
        return bool(answer)
    return None


def check_number(answer, expected: float, *, rtol: float = 1e-2, right: str = "", hint: str = "") -> bool:
    """Feedback on a numeric answer within a relative tolerance ``rtol`` of ``expected``."""
    x = parse_number(answer)
    if x is None:
        quoted = " (without quotes)" if isinstance(answer, str) else ""
        return feedback(False, "", f"Your answer should be a number{quoted}; got {answer!r}. {hint}".strip())
    return feedback(abs(x - expected) <= rtol * abs(expected), right, hint)


__all__ = ["feedback", "parse_number", "parse_vector", "parse_bool", "check_number"]
