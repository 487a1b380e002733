"""A learner's own function (Surface.from_function, issue 12 item 5): every misbehaviour is an error
that names the function and the point."""
import numpy as np
import pytest

import stepviz as sv
from tests.robust_helpers import says


def test_5_a_function_without_return_is_named():
    def f(p):
        p[..., 0] ** 2 + p[..., 1] ** 2   # forgot `return`

    with pytest.raises(TypeError) as e:
        sv.run(sv.GD(1e-6), sv.Surface.from_function(f), steps=5)
    says(e.value, "f", "None", "return")


def test_5_a_function_that_is_nan_at_the_start_is_named_with_the_point():
    s_start = (0.5, -0.25)
    with pytest.raises(ValueError) as e:
        s = sv.Surface.from_function(lambda x, y: np.nan * x, start=s_start)
        sv.run(sv.GD(1e-6), s, steps=5)
    says(e.value, "f", "nan", "(0.5, -0.25)")


def test_5_a_function_of_the_wrong_output_shape_is_named():
    with pytest.raises(ValueError) as e:
        sv.run(sv.GD(1e-2), sv.Surface.from_function(lambda p: np.ones(3)), steps=5)
    says(e.value, "f", "shape (3,)", "one value per point")


def test_5_a_function_that_raises_is_named_with_the_point():
    def f(x, y):
        if np.any(x > 1.0):
            raise ArithmeticError("outside my domain")
        return x ** 2 + y ** 2

    s = sv.Surface.from_function(f, bounds=((-1.0, 1.0), (-1.0, 1.0)), start=(0.9, 0.0))
    assert not sv.run(sv.GD(0.1), s, steps=3).diverged
    with pytest.raises(ValueError) as e:
        sv.run(sv.GD(1.5), s, steps=3)   # x: 0.9 -> -1.8 -> 3.6, where f raises
    says(e.value, "f", "ArithmeticError", "outside my domain", "(3.6, 0)")
    assert isinstance(e.value.__cause__, ArithmeticError)


def test_5_a_function_that_raises_inside_its_window_is_named_at_once():
    def f(x, y):
        if np.any(x > 1.0):
            raise ArithmeticError("outside my domain")
        return x ** 2 + y ** 2

    with pytest.raises(ValueError) as e:
        sv.Surface.from_function(f, start=(0.5, 0.5))   # the default window reaches x = 2
    says(e.value, "f", "ArithmeticError", "(2, -2)")
