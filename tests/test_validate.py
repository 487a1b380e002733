"""Issue 12, items 3 and 9: huge integers (10**400), complex and extreme numbers give a clean error that
names the argument, everywhere _validate is used."""
import numpy as np
import pytest

import stepviz as sv
from tests.robust_helpers import BOWL, HUGE, says

HUGE_ARGUMENTS = {
    "GD lr": (lambda: sv.GD(lr=HUGE), "lr"),
    "Momentum momentum": (lambda: sv.Momentum(0.1, momentum=HUGE), "momentum"),
    "Adam beta2": (lambda: sv.Adam(0.1, beta2=HUGE), "beta2"),
    "Adagrad eps": (lambda: sv.Adagrad(0.1, eps=HUGE), "eps"),
    "constant lr": (lambda: sv.constant(HUGE), "lr"),
    "cosine lr_min": (lambda: sv.cosine(0.1, 100, lr_min=-HUGE), "lr_min"),
    "run noise": (lambda: sv.run(sv.GD(0.1), BOWL, noise=HUGE), "noise"),
    "run start": (lambda: sv.run(sv.GD(0.1), BOWL, start=(HUGE, 0)), "start"),
    "bowl curvatures": (lambda: sv.QuadraticBowl((HUGE, 1.0)), "curvatures"),
    "bowl angle": (lambda: sv.QuadraticBowl(angle=HUGE), "angle"),
    "Rosenbrock b": (lambda: sv.Rosenbrock(b=HUGE), "b"),
    "Saddle quartic": (lambda: sv.Saddle(HUGE), "quartic"),
    "LeastSquares x": (lambda: sv.LeastSquares([0, HUGE], [0, 1]), "x"),
    "synthetic slope": (lambda: sv.LeastSquares.synthetic(slope=HUGE), "slope"),
    "gd_rate lr": (lambda: sv.theory.gd_rate(BOWL, HUGE), "lr"),
    "steps_to tol": (lambda: sv.run(sv.GD(0.1), BOWL).steps_to(HUGE), "tol"),
}


@pytest.mark.parametrize("case", HUGE_ARGUMENTS)
def test_3_huge_integers_give_a_clean_error(case):
    call, name = HUGE_ARGUMENTS[case]
    with pytest.raises(ValueError) as e:
        call()
    says(e.value, name, "too large")


@pytest.mark.parametrize("call, name", [
    (lambda: sv.QuadraticBowl((1e308, 1e308)), "curvatures"),
    (lambda: sv.LeastSquares([0, 1e-320], [0, 1]), "x"),
    (lambda: sv.GD(np.complex128(0.1 + 1j)), "lr"),
    (lambda: sv.GD(np.array([0.1 + 0j, 0.2])), "lr"),
], ids=["bowl 1e308", "least squares 1e-320", "numpy complex", "complex array"])
def test_9_extreme_arguments_are_refused_without_a_warning(call, name):
    with pytest.raises((ValueError, TypeError)) as e:
        call()
    says(e.value, name)
