"""Lesson 10, stochastic gradients (10_stochastic_gradients.ipynb): the data set, the noise floor against the
batch size, the lower stable step of minibatch SGD, Robbins-Monro."""
from __future__ import annotations

import numpy as np

from ..problems.least_squares import LeastSquares
from .feedback import feedback, parse_number
#: The explorer's controls shown first, the rest behind 'more controls':
#: Try this 2 moves the batch size.
EXPLORER_FIRST = ("batch_size",)


def sgd_data(n: int = 200, noise: float = 1.0, seed: int = 0) -> LeastSquares:
    """The seeded data set of lesson 10: ``LeastSquares.synthetic(n, noise=noise, seed=seed)`` (true line
    y = 2x - 1, x uniform in [-1, 3]) with the start (slope, intercept) = (1, 0), so the plot window is
    small enough to show the noise ball."""
    raw = LeastSquares.synthetic(n=n, noise=noise, seed=seed)
    return LeastSquares(raw.x, raw.y, name=f"least squares (n={n})", start=(1.0, 0.0))


def divergence_lrs() -> np.ndarray:
    """The step sizes of the divergence figure: 0.1 to 0.7 in steps of 0.02."""
    return np.round(np.linspace(0.1, 0.7, 31), 10)


def _c_b(n, b):
    return (n - b) / (b * (n - 1))


def check_batch_factor(answer, n: int = 200, b_from: int = 10, b_to: int = 40) -> bool:
    """By what factor does SGD's noise floor change when the batch grows from b_from to b_to (same alpha)?

    The floor is proportional to the minibatch gradient *variance*, c_b = (n - b) / (b (n - 1)) times the
    per-point variance: about b_from / b_to, exactly c_{b_to} / c_{b_from}. Both are accepted (10 %).
    """
    exact, rough = _c_b(n, b_to) / _c_b(n, b_from), b_from / b_to
    x = parse_number(answer)
    right = (f"The floor is proportional to the gradient variance, which shrinks like 1/b: about {rough:.3g} "
             f"(exactly {exact:.3g}, since batches of distinct points from n = {n} vary a little less).")
    hint = ("The floor E[J] - J* is proportional to the variance of the minibatch gradient. "
            "How does the variance of a mean of b samples depend on b?")
    if x is None:
        return feedback(False, "", f"Your answer should be a number such as 0.5; got {answer!r}. {hint}")
    if abs(x - (b_from / b_to) ** 0.5) < 0.02:
        hint = ("That is how the standard deviation of the gradient shrinks (1/sqrt(b)). "
                "The floor is a loss, proportional to the variance.")
    elif x > 1:
        hint = "A factor above 1 means the floor grows; a bigger batch averages out more noise. " + hint
    ok = min(exact, rough) * 0.9 <= x <= max(exact, rough) * 1.1
    return feedback(ok, right, hint)


#: The schedules of the Robbins-Monro self-check in 08, alpha_t for t = 0, 1, 2, ...
RM_OPTIONS = {
    "a": ("0.1 (constant)", "sum of alpha_t^2 is infinite: the noise never averages out"),
    "b": ("0.2 / (1 + 0.05 t)", None),
    "c": ("0.2 * 0.95^t", "sum of alpha_t is finite (4): the iterates stop before they reach the minimum"),
    "d": ("0.2 / (1 + t)^0.75", None),
    "e": ("0.2 / sqrt(1 + t)", "sum of alpha_t^2 ~ sum 1/t is infinite: the noise does not average out"),
    "f": ("0.2 / (1 + t)^2", "sum of alpha_t is finite: it stops short of the minimum"),
}


RM_CORRECT = frozenset({"b", "d"})


def _letters(answer):
    if isinstance(answer, str):
        items = [c for c in answer.lower() if c.isalpha()]
    elif isinstance(answer, (list, tuple, set, frozenset)):
        if not all(isinstance(a, str) for a in answer):
            return None
        items = [c for a in answer for c in a.lower() if c.isalpha()]
    else:
        return None
    return set(items) if items else None


def check_robbins_monro(answer) -> bool:
    """Which schedules of :data:`RM_OPTIONS` satisfy sum alpha_t = inf and sum alpha_t^2 < inf?
    ``answer``: letters such as 'b, d' or {'b', 'd'}."""
    got = _letters(answer)
    options = ", ".join(RM_OPTIONS)
    if got is None:
        return feedback(False, "", f"Answer with the letters of the schedules, e.g. 'a, c' or {{'a', 'c'}}; got {answer!r}.")
    unknown = got - set(RM_OPTIONS)
    if unknown:
        return feedback(False, "", f"Use only the letters {options}; got {', '.join(sorted(unknown))}.")
    if got == RM_CORRECT:
        return feedback(True, "alpha_t ~ c / t^p works for 1/2 < p <= 1: (b) has p = 1, (d) has p = 0.75.", "")
    wrong = sorted(got - RM_CORRECT)
    missing = sorted(RM_CORRECT - got)
    if wrong:
        k = wrong[0]
        hint = f"({k}) alpha_t = {RM_OPTIONS[k][0]}: {RM_OPTIONS[k][1]}."
    else:
        hint = (f"You missed {len(missing)} that qualif{'ies' if len(missing) == 1 else 'y'}. For alpha_t ~ 1/t^p, "
                f"sum alpha_t = inf needs p <= 1 and sum alpha_t^2 < inf needs p > 1/2.")
    return feedback(False, "", hint)


__all__ = ["sgd_data", "check_batch_factor", "RM_OPTIONS", "RM_CORRECT", "check_robbins_monro"]
