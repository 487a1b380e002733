"""Fuzzing what a learner writes (issue 18 item 17): their own f and grad, and their answers to the checks.

- A learner's function, right or written in one of the ways that give wrong numbers on arrays (summing over
  the batch, p[:, 0], x, y = p, the pair (gx, gy) on the wrong axis, a wrong derivative, ...): either the
  surface is refused with an error naming f or grad, or every value and gradient it gives, on every batch
  shape the course uses, is what the learner's function gives for each point alone. Never a silently wrong
  run.
- A check's verdict for generated answers (numbers near the right one in every way of writing a number,
  the oracle's own answers, junk): the oracle's verdict (tests/lessons/oracles.py), one short line.
"""
import contextlib
import io
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import stepviz as sv
from tests.lessons.oracles import MALFORMED, ORACLES, Case
from tests.lessons.test_check_oracles import MAX_OUTPUT
from tests.robust_helpers import CLEAN, FUZZ, all_checks, bounded, junk, names_an_argument
from tests.test_fuzz import check_trajectory

S = sv.Surface.from_function


# --- a learner's f and grad ----------------------------------------------------------------------------------

def intended(a, b, c):
    """The function the learner means, of one point: a x^2 + b y^2 + c sin(x y), and its gradient."""
    return (lambda x, y: a * x * x + b * y * y + c * math.sin(x * y),
            lambda x, y: (2 * a * x + c * y * math.cos(x * y), 2 * b * y + c * x * math.cos(x * y)))


def written(kind, a, b, c):
    """f as a learner writes it: right in several styles, or in one of the ways that break on arrays."""
    if kind == "p[..., i]":
        return lambda p: a * p[..., 0] ** 2 + b * p[..., 1] ** 2 + c * np.sin(p[..., 0] * p[..., 1])
    if kind == "f(x, y)":
        return lambda x, y: a * x ** 2 + b * y ** 2 + c * np.sin(x * y)
    if kind == "axis=-1":
        return lambda p: np.sum(p ** 2 * [a, b], axis=-1) + c * np.sin(np.prod(p, axis=-1))
    if kind == "np.sum":   # sums over the points too
        return lambda p: np.sum(p ** 2 * [a, b]) + c * np.sin(np.prod(p, axis=-1))
    if kind == "p[:, i]":
        return lambda p: a * p[:, 0] ** 2 + b * p[:, 1] ** 2 + c * np.sin(p[:, 0] * p[:, 1])
    if kind == "p[i]":
        return lambda p: a * p[0] ** 2 + b * p[1] ** 2 + c * np.sin(p[0] * p[1])
    if kind == "x, y = p":
        def f(p):
            x, y = p
            return a * x ** 2 + b * y ** 2 + c * np.sin(x * y)
        return f
    if kind == "in place":
        def f(p):
            p *= 1.0
            return a * p[..., 0] ** 2 + b * p[..., 1] ** 2 + c * np.sin(p[..., 0] * p[..., 1])
        return f
    if kind == "math":
        return lambda x, y: a * x ** 2 + b * y ** 2 + c * math.sin(x * y)
    raise AssertionError(kind)


def written_grad(kind, a, b, c):
    if kind is None:
        return None
    gx = lambda x, y: 2 * a * x + c * y * np.cos(x * y)   # noqa: E731
    gy = lambda x, y: 2 * b * y + c * x * np.cos(x * y)   # noqa: E731
    if kind == "stack":
        return lambda p: np.stack([gx(p[..., 0], p[..., 1]), gy(p[..., 0], p[..., 1])], axis=-1)
    if kind == "tuple":
        return lambda x, y: (gx(x, y), gy(x, y))
    if kind == "np.array([gx, gy])":   # the pair on the first axis
        return lambda p: np.array([gx(p[..., 0], p[..., 1]), gy(p[..., 0], p[..., 1])])
    if kind == "p[:, i]":
        return lambda p: np.stack([gx(p[:, 0], p[:, 1]), gy(p[:, 0], p[:, 1])], axis=-1)
    if kind == "summed":
        return lambda p: np.sum(np.stack([gx(p[..., 0], p[..., 1]), gy(p[..., 0], p[..., 1])], axis=-1), axis=0)
    if kind == "wrong derivative":
        return lambda x, y: (a * x + c * y * np.cos(x * y), gy(x, y))
    raise AssertionError(kind)


F_KINDS = ["p[..., i]", "f(x, y)", "axis=-1", "np.sum", "p[:, i]", "p[i]", "x, y = p", "in place", "math"]
G_KINDS = [None, "stack", "tuple", "np.array([gx, gy])", "p[:, i]", "summed", "wrong derivative"]
SHAPES = [(), (1,), (2,), (3,), (2, 2), (7, 7), (2, 3, 4)]


@settings(FUZZ, max_examples=300)
@given(st.sampled_from(F_KINDS), st.sampled_from(G_KINDS), st.floats(0.1, 5.0), st.floats(0.1, 5.0),
       st.sampled_from([0.0, 0.3, 1.0]), st.sampled_from([((-2.0, 2.0), (-2.0, 2.0)), ((-1.0, 3.0), (0.5, 2.5)),
                                                          ((10.0, 12.0), (-1.0, 1.0))]),
       st.sampled_from(SHAPES), st.integers(0, 1000))
def test_a_learners_function_is_refused_or_right_on_every_shape(f_kind, g_kind, a, b, c, bounds, shape, seed):
    f, g = written(f_kind, a, b, c), written_grad(g_kind, a, b, c)
    with bounded():
        try:
            s = S(f, grad=g, bounds=bounds)
        except CLEAN as e:
            names_an_argument(e, "f", "grad")
            return
        rng = np.random.default_rng(seed)
        (x0, x1), (y0, y1) = bounds
        p = np.stack([rng.uniform(x0, x1, shape), rng.uniform(y0, y1, shape)], axis=-1)
        value, gradient = intended(a, b, c)
        want = np.vectorize(value)(p[..., 0], p[..., 1])
        np.testing.assert_allclose(s.value(p), want, rtol=1e-9, atol=1e-12)
        want_g = np.stack(np.vectorize(gradient)(p[..., 0], p[..., 1]), axis=-1)
        tol = 1e-9 if g is not None else 1e-5
        np.testing.assert_allclose(s.grad(p), want_g, rtol=tol, atol=tol)
        check_trajectory(sv.run(sv.GD(np.geomspace(1e-3, 0.5, 3)), s, steps=10), 10)


def test_the_mistakes_are_all_refused():
    """The properties above hold because every mistake is refused, not because it happened to be right."""
    for f_kind in F_KINDS[3:]:
        try:
            S(written(f_kind, 1.0, 2.0, 0.3))
        except CLEAN as e:
            names_an_argument(e, "f")
        else:
            raise AssertionError(f"{f_kind} accepted")
    for g_kind in G_KINDS[4:]:
        try:
            S(written("p[..., i]", 1.0, 2.0, 0.3), grad=written_grad(g_kind, 1.0, 2.0, 0.3))
        except CLEAN as e:
            names_an_argument(e, "grad")
        else:
            raise AssertionError(f"grad {g_kind} accepted")


# --- the checks' verdicts ---------------------------------------------------------------------------------------

CASES = [(name, i) for name, entries in ORACLES.items() for i in range(len(entries))]


@st.composite
def answers(draw, case: Case):
    """Numbers near the right one, written any way; the case's own answers; junk."""
    target = getattr(case, "target", None)
    kinds = ["own", "junk"] + (["near"] if target is not None else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "own":
        return draw(st.sampled_from(case.answers + MALFORMED))
    if kind == "junk":
        return draw(junk)
    u = draw(st.floats(-0.3, 0.3) | st.sampled_from([0.0, 1e-4, -1e-3, 0.02, -0.05]))
    x = np.asarray(target, dtype=float) * (1 + u)
    if x.ndim == 0:
        return draw(st.sampled_from([float(x), np.float64(x), np.float32(x), np.array(x), repr(float(x)), [float(x)]]))
    return draw(st.sampled_from([list(x), tuple(x), x, [repr(v) for v in x], list(x)[:1]]))


@settings(FUZZ, max_examples=400)
@given(st.sampled_from(CASES), st.data())
def test_checks_agree_with_their_oracle_on_generated_answers(where, data):
    name, i = where
    case = ORACLES[name][i]
    answer = data.draw(answers(case), label="answer")
    out = io.StringIO()
    with bounded(60), contextlib.redirect_stdout(out):
        result = all_checks()[name](answer, *case.args, **case.kwargs)
    text = out.getvalue()
    assert isinstance(result, bool) and text.startswith("Correct." if result else "Not yet."), text
    assert text.count("\n") == 1 and len(text) <= MAX_OUTPUT, text[:200]
    expected = case.judge(answer)
    if expected is not None:
        assert result is expected, f"{name} said {result} to {answer!r:.80}; the oracle: {expected}. {text}"


ODD = [0, -1, 1e-320, 1e308, 10 ** 400, float("nan"), float("inf"), None, True, "", "abc", [], (1.0, 2.0, 3.0),
       {}, np.zeros((2, 2)), 1 + 2j, lambda t: 0.1]


@settings(FUZZ, max_examples=200)
@given(st.sampled_from(CASES), junk, st.data())
def test_checks_never_raise_with_odd_arguments_and_stay_short(where, answer, data):
    name, i = where
    case = ORACLES[name][i]
    args = list(case.args)
    if args:
        k = data.draw(st.integers(0, len(args) - 1), label="which")
        args[k] = data.draw(st.sampled_from(ODD), label="value")
    out = io.StringIO()
    with bounded(60), contextlib.redirect_stdout(out):
        result = all_checks()[name](answer, *args, **case.kwargs)
    text = out.getvalue()
    assert isinstance(result, bool) and text.startswith(("Correct.", "Not yet.")), text
    assert text.count("\n") == 1 and len(text) <= MAX_OUTPUT, text[:200]
