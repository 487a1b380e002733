"""Step-size schedules against their closed forms, for scalar and array t."""
import math

import numpy as np
import pytest

import stepviz as sv
from stepviz.optim.schedules import from_decay

T_SCALARS = [0, 1, 2, 7, 10, 99, 250]
T_ARRAYS = [np.arange(300), np.array([[0, 3, 9], [10, 11, 500]]), np.arange(0, 40, 0.5)]

# name: (schedule, closed form for one t written with the math module)
CASES = {
    "constant": (lambda: sv.constant(0.3), lambda t: 0.3),
    "inverse_time": (lambda: sv.inverse_time(0.5, 0.1), lambda t: 0.5 / (1 + 0.1 * t)),
    "inverse_time_no_decay": (lambda: sv.inverse_time(0.5, 0.0), lambda t: 0.5),
    "step_decay": (lambda: sv.step_decay(0.8, 0.5, 10), lambda t: 0.8 * 0.5 ** math.floor(t / 10)),
    "step_decay_every_1": (lambda: sv.step_decay(0.8, 0.9, 1), lambda t: 0.8 * 0.9 ** math.floor(t)),
    "exponential": (lambda: sv.exponential(0.2, 0.97), lambda t: 0.2 * 0.97 ** t),
    "cosine": (lambda: sv.cosine(0.4, 100),
               lambda t: 0.4 * (1 + math.cos(math.pi * min(t, 100) / 100)) / 2),
    "cosine_lr_min": (lambda: sv.cosine(0.4, 50, lr_min=0.05),
                      lambda t: 0.05 + 0.35 * (1 + math.cos(math.pi * min(t, 50) / 50)) / 2),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("t", T_SCALARS)
def test_scalar_t(name, t):
    make, closed = CASES[name]
    sched = make()
    value = sched(t)
    assert np.ndim(value) == 0
    assert float(value) == pytest.approx(closed(t), rel=1e-13, abs=1e-15)
    assert float(sched(np.int64(t))) == pytest.approx(closed(t), rel=1e-13, abs=1e-15)
    assert float(sched(float(t))) == pytest.approx(closed(t), rel=1e-13, abs=1e-15)


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("t", T_ARRAYS, ids=lambda a: str(a.shape))
def test_array_t(name, t):
    make, closed = CASES[name]
    out = np.asarray(make()(t))
    assert out.shape == t.shape
    ref = np.vectorize(lambda s: closed(float(s)))(t)
    np.testing.assert_allclose(out, ref, rtol=1e-13, atol=1e-15)


def test_cosine_endpoints_and_flat_tail():
    sched = sv.cosine(0.4, 80, lr_min=0.01)
    assert sched(0) == pytest.approx(0.4)
    assert sched(40) == pytest.approx((0.4 + 0.01) / 2)
    assert sched(80) == pytest.approx(0.01)
    np.testing.assert_allclose(sched(np.arange(80, 200)), 0.01)
    assert np.all(np.diff(sched(np.arange(81))) < 0)


def test_step_decay_is_piecewise_constant():
    sched = sv.step_decay(1.0, 0.1, 5)
    vals = sched(np.arange(15))
    np.testing.assert_allclose(vals, [1.0] * 5 + [0.1] * 5 + [0.01] * 5, rtol=1e-13)


def test_list_t_is_accepted():
    np.testing.assert_allclose(sv.exponential(1.0, 0.5)([0, 1, 2, 3]), [1.0, 0.5, 0.25, 0.125])


def test_array_hyperparameters_broadcast_against_t():
    lr = np.array([0.1, 0.2, 0.4])
    sched = sv.inverse_time(lr, 0.5)
    np.testing.assert_allclose(sched(2), lr / 2.0)
    t = np.arange(4)[:, None]
    np.testing.assert_allclose(sched(t), lr / (1 + 0.5 * t))
    sched = sv.exponential(0.3, np.array([0.5, 0.9]))
    np.testing.assert_allclose(sched(3), 0.3 * np.array([0.5, 0.9]) ** 3)


@pytest.mark.parametrize("name", list(CASES))
def test_repr_names_the_schedule(name):
    sched = CASES[name][0]()
    assert repr(sched).startswith(sched.name + "(")
    assert callable(sched)


@pytest.mark.parametrize("make, match, exc", [
    (lambda: sv.constant(0.0), r"\blr\b", ValueError),
    (lambda: sv.constant(-1.0), r"\blr\b", ValueError),
    (lambda: sv.constant(np.nan), r"\blr\b", ValueError),
    (lambda: sv.constant("0.1"), r"\blr\b", TypeError),
    (lambda: sv.inverse_time(np.inf, 0.1), r"\blr\b", ValueError),
    (lambda: sv.inverse_time(0.1, -0.1), r"\bdecay\b", ValueError),
    (lambda: sv.inverse_time(0.1, np.nan), r"\bdecay\b", ValueError),
    (lambda: sv.step_decay(0.1, 0.0, 10), r"\bfactor\b", ValueError),
    (lambda: sv.step_decay(0.1, 1.5, 10), r"\bfactor\b", ValueError),
    (lambda: sv.step_decay(0.1, 0.5, 0), r"\bevery\b", ValueError),
    (lambda: sv.step_decay(0.1, 0.5, 2.5), r"\bevery\b", TypeError),
    (lambda: sv.step_decay(-0.1, 0.5, 2), r"\blr\b", ValueError),
    (lambda: sv.exponential(0.1, 0.0), r"\bgamma\b", ValueError),
    (lambda: sv.exponential(0.1, 1.01), r"\bgamma\b", ValueError),
    (lambda: sv.exponential(0.1, -0.5), r"\bgamma\b", ValueError),
    (lambda: sv.cosine(0.1, 0), r"\btotal\b", ValueError),
    (lambda: sv.cosine(0.1, 10.0), r"\btotal\b", TypeError),
    (lambda: sv.cosine(0.1, 10, lr_min=-0.01), r"\blr_min\b", ValueError),
    (lambda: sv.cosine(0.1, 10, lr_min=0.2), r"\blr_min\b", ValueError),
])
def test_bad_arguments(make, match, exc):
    with pytest.raises(exc, match=match):
        make()


@pytest.mark.parametrize("t", ["3", None])
def test_bad_t(t):
    with pytest.raises(TypeError, match=r"\bt\b"):
        sv.constant(0.1)(t)


def test_from_decay_formulas():
    t = np.arange(200)
    np.testing.assert_allclose(from_decay("inverse_time", 0.2, 0.1, 200)(t), 0.2 / (1 + 0.1 * t))
    np.testing.assert_allclose(from_decay("exponential", 0.2, 0.1, 200)(t), 0.2 * np.exp(-0.1 * t))
    step = from_decay("step_decay", 0.2, 0.1, 200)(t)  # halves every round(ln 2 / 0.1) = 7 steps
    np.testing.assert_allclose(step, 0.2 * 0.5 ** (t // 7))
    np.testing.assert_allclose(from_decay("cosine", 0.2, 0.1, 200)(t), 0.1 * (1 + np.cos(np.pi * t / 200)))
    for kind in ("constant", "inverse_time", "exponential", "step_decay"):
        np.testing.assert_allclose(from_decay(kind, 0.2, 0.0, 200)(t), 0.2)
    with pytest.raises(ValueError, match="schedule"):
        from_decay("linear", 0.1, 0.1, 10)
