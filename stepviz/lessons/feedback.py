"""What every lesson's self-checks share: reading the learner's answer and printing the verdict.

A check prints 'Correct. ...' or 'Not yet. <hint>', returns True/False and never raises, whatever the
answer (None, a string, a list ...) and whatever the other arguments, so a notebook still runs top to
bottom with unfinished answers. :func:`guard` is that promise for any check (``sv.checks`` applies it to
every lesson's checks): an exception inside becomes a 'Not yet' that names the arguments, and no numpy
warning is printed.
"""
from __future__ import annotations

import contextvars
import decimal
import functools
import inspect
import numbers
import warnings

import numpy as np

from .. import _validate


#: Most characters of a verdict line: a learner's answer is echoed shortened, never whole.
MAX_LINE = 600
#: The words a verdict line starts with: words, not emoji (which render as boxes where no emoji font is
#: installed) and what a screen reader reads out.
CORRECT = "Correct."
NOT_YET = "Not yet."
_NO_ANSWER = object()
#: The answer of the check running under :func:`guard`, so that :func:`feedback` can echo it shortened.
_ANSWER = contextvars.ContextVar("stepviz_answer", default=_NO_ANSWER)


def feedback(ok: bool, right: str, hint: str) -> bool:
    """Print a verdict line: 'Correct' with ``right``, or 'Not yet' with ``hint``; return ``ok``.

    One line of at most MAX_LINE characters: the answer being checked (under :func:`guard`), when the text
    quotes it at length, is shortened to :func:`~stepviz._validate.show`'s form, and anything still too long
    is cut in the middle."""
    print(short_line(f"{CORRECT} {right}" if ok else f"{NOT_YET} {hint}"))
    return bool(ok)


def short_line(text: str) -> str:
    """``text`` on one line, the checked answer's long repr replaced by a short description, at most
    MAX_LINE characters."""
    answer = _ANSWER.get()
    if answer is not _NO_ANSWER and (len(text) > MAX_LINE or "\n" in text):
        for form in (repr, str):
            try:
                quoted = form(answer)
            except Exception:  # a learner's object whose repr fails: nothing to replace
                continue
            if len(quoted) > 60 or "\n" in quoted:
                text = text.replace(quoted, _validate.show(answer))
    if "\n" in text or "  " in text:
        text = " ".join(text.split())
    if len(text) > MAX_LINE:
        text = text[:MAX_LINE // 2 - 2] + " … " + text[-(MAX_LINE // 2 - 2):]
    return text


def _real(answer):
    """``answer`` as one real number (int of any size, float, Fraction, Decimal, numpy scalar, 0-d array),
    or None. Booleans, text, complex numbers and arrays of several numbers are not one real number."""
    if isinstance(answer, np.ndarray):
        if answer.ndim != 0 or answer.dtype.kind not in "iuf":
            return None
        answer = answer.item()
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (numbers.Real, np.integer, np.floating, decimal.Decimal)):
        return None
    try:
        return float(answer)
    except (TypeError, ValueError, OverflowError, ArithmeticError):  # 10**400: too large for a float
        return None


def parse_number(answer):
    """A finite float, or None for anything else. Text is not a number: '0.5' (with quotes) is None, so the
    learner is told to write the number itself."""
    x = _real(answer)
    return x if x is not None and np.isfinite(x) else None


def not_a_number(answer) -> str:
    """Why ``answer`` is not one finite number, for the hint (empty if it is one)."""
    if parse_number(answer) is not None:
        return ""
    if answer is None or answer is ...:
        return f"replace {answer!r} with your answer"
    if isinstance(answer, (str, bytes)):
        return "write the number itself, without quotes"
    if isinstance(answer, (bool, np.bool_)):
        return f"{answer} is a yes/no answer; this question asks for a number"
    if isinstance(answer, (complex, np.complexfloating)):
        return "a real number, not a complex one"
    if isinstance(answer, numbers.Integral) or isinstance(answer, (float, np.floating)):
        return "a finite number (this one is too large or not finite)"
    if isinstance(answer, (list, tuple, np.ndarray, set, dict)):
        return f"one number, not a {type(answer).__name__} of {len(answer) if hasattr(answer, '__len__') else 'several'}"
    return f"a number, not a {type(answer).__name__}"


def parse_vector(answer, n=2):
    """``answer`` as a finite float array of shape (n,), or None."""
    if answer is None or isinstance(answer, (str, bytes, bool, np.bool_, dict, set)) or _validate.is_complex(answer):
        return None
    try:
        arr = np.asarray(answer)
        if arr.dtype.kind not in "iuf":
            arr = np.asarray([_real(v) for v in arr.ravel()], dtype=float).reshape(arr.shape)
        arr = arr.astype(float)
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
    """Feedback on a numeric answer within a relative tolerance ``rtol`` of ``expected`` (an absolute 1e-12
    when expected is 0)."""
    x = parse_number(answer)
    if x is None:
        why = not_a_number(answer)
        return feedback(False, "", f"Your answer should be a number ({why}); got {_validate.show(answer)}. {hint}".strip())
    target = parse_number(expected)
    if target is None:
        return feedback(False, "", f"This exercise has no finite answer to compare with (expected = "
                                   f"{_validate.show(expected)}): look at the numbers it was set up with.")
    return feedback(abs(x - target) <= max(rtol * abs(target), 1e-12), right, hint)


def _arguments(check, args, kwargs) -> str:
    """The arguments after the answer, as 'lam=0, lr=0.1'."""
    try:
        bound = inspect.signature(check).bind_partial(*args, **kwargs).arguments
    except (TypeError, ValueError):
        return "these arguments"
    shown = [f"{k}={_validate.show(v)}" for k, v in list(bound.items())[1:]]
    return ", ".join(shown) if shown else "no other arguments"


def guard(check):
    """``check`` that never raises and prints no numpy warning: an exception (from odd arguments after the
    answer, say lam=0) becomes a 'Not yet' naming the arguments and what went wrong."""
    try:
        first = next(iter(inspect.signature(check).parameters), None)
    except (TypeError, ValueError):
        first = None

    @functools.wraps(check)
    def guarded(*args, **kwargs):
        token = _ANSWER.set(args[0] if args else kwargs.get(first, _NO_ANSWER))
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                warnings.simplefilter("ignore", DeprecationWarning)
                return bool(check(*args, **kwargs))
        except Exception as exc:  # a check never raises: say what it could not work with
            return feedback(False, "", f"This check could not work with {_arguments(check, args, kwargs)} "
                                       f"({type(exc).__name__}: {exc}). Keep the arguments after your answer as "
                                       f"the notebook sets them (or a value they allow).")
        finally:
            _ANSWER.reset(token)

    guarded.guarded = True
    return guarded


__all__ = ["feedback", "short_line", "parse_number", "not_a_number", "parse_vector", "parse_bool", "check_number", "guard"]
