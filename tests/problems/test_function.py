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


# --- issue 18 items 1, 2, 5: f and grad are checked once, on the shapes the course uses -----------------

S = sv.Surface.from_function
BOWL_F = lambda p: 0.5 * (p[..., 0] ** 2 + 10 * p[..., 1] ** 2)   # noqa: E731  the bowl (1, 10)


def _bowl_gd(lr, start, steps):
    """Gradient descent on 1/2 (x^2 + 10 y^2), written out: x <- (1 - lr) x, y <- (1 - 10 lr) y."""
    x, y = start
    for _ in range(steps):
        x, y = (1 - lr) * x, (1 - 10 * lr) * y
    return np.array([x, y])


@pytest.mark.parametrize("f", [lambda p: np.sum(p ** 2), lambda p: np.linalg.norm(p) ** 2,
                               lambda p: (p ** 2).sum(), lambda p: np.mean(p[..., 0] ** 2 + p[..., 1] ** 2)],
                         ids=["np.sum", "norm", ".sum()", "np.mean"])
def test_1_a_function_that_sums_over_the_batch_is_refused_with_what_to_write(f):
    with pytest.raises(ValueError) as e:
        S(f)
    says(e.value, "f", "axis=-1", "one number for")


def test_1_a_constant_function_may_return_one_number():
    s = S(lambda p: 3.0)
    np.testing.assert_array_equal(s.value(np.zeros((4, 3, 2))), np.full((4, 3), 3.0))


def test_1_a_function_that_raises_in_part_of_the_window_says_where_not_math():
    def f(p):   # numpy throughout; undefined (it raises) on a thin strip the try-out grid misses
        x, y = p[..., 0], p[..., 1]
        if np.any((x > 0.3) & (x < 0.4)):
            raise ZeroDivisionError("no value on the strip")
        return x ** 2 + y ** 2

    s = S(f)
    grid = np.stack(np.meshgrid(np.linspace(-2, 2, 160), np.linspace(-2, 2, 160)), axis=-1)  # the contour grid
    with pytest.raises(ValueError) as e:
        s.value(grid)
    msg = says(e.value, "f", "ZeroDivisionError", "no value on the strip", "(x, y) = (0.3")
    assert "math" not in msg and "single points" not in msg


def test_1_math_functions_get_the_numpy_advice():
    import math

    with pytest.raises(TypeError) as e:
        S(lambda x, y: math.exp(x) + y ** 2)
    says(e.value, "f", "np.exp", "math")


@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_2_a_gradient_written_components_first_is_never_transposed(n):
    """grad(p) = np.array([gx, gy]) has shape (2, n): with n = 2 that is also (n, 2); stepviz decides the
    layout once, on a batch where it is not ambiguous, and applies it to every batch."""
    g = lambda p: np.array([p[..., 0], 10 * p[..., 1]])   # noqa: E731
    lrs = np.linspace(0.01, 0.05, n)
    tr = sv.run(sv.GD(lrs), S(BOWL_F, grad=g), start=(1, 1), steps=20)
    want = np.array([_bowl_gd(lr, (1.0, 1.0), 20) for lr in lrs])
    np.testing.assert_allclose(tr.points[-1], want, rtol=1e-12, atol=1e-15)


def test_2_the_issues_example_ends_where_gradient_descent_does():
    g = lambda p: np.array([p[..., 0], 10 * p[..., 1]])   # noqa: E731
    tr = sv.run(sv.GD([0.01, 0.05]), S(BOWL_F, grad=g), start=(1, 1), steps=20)
    np.testing.assert_allclose(tr.points[-1], [_bowl_gd(0.01, (1, 1), 20), _bowl_gd(0.05, (1, 1), 20)], rtol=1e-12)
    assert not np.allclose(tr.points[-1], tr.points[-1][:, ::-1])   # a transposed answer would differ


@pytest.mark.parametrize("shape", [(), (1,), (2,), (3,), (2, 2), (5, 5), (2, 3, 4)], ids=str)
def test_2_every_way_to_write_a_gradient_gives_the_same_gradient(shape):
    p = np.random.default_rng(0).uniform(-2, 2, shape + (2,))
    want = np.stack([p[..., 0], 10 * p[..., 1]], axis=-1)
    for grad in (lambda p: np.array([p[..., 0], 10 * p[..., 1]]),
                 lambda p: np.stack([p[..., 0], 10 * p[..., 1]], axis=-1),
                 lambda p: (p[..., 0], 10 * p[..., 1]),
                 lambda x, y: np.array([x, 10 * y]),
                 lambda x, y: (x, 10 * y),
                 lambda p: p * [1.0, 10.0]):
        np.testing.assert_allclose(S(BOWL_F, grad=grad).grad(p), want, rtol=1e-15)


@pytest.mark.parametrize("f", [lambda p: p[:, 0] ** 2 + 10 * p[:, 1] ** 2,
                               lambda p: p[0] ** 2 + 10 * p[1] ** 2],
                         ids=["p[:, 0]", "p[0]"])
def test_5_a_function_that_indexes_the_batch_axis_is_refused_at_once(f):
    with pytest.raises((ValueError, TypeError)) as e:
        S(f)
    says(e.value, "f", "p[..., 0]")


def test_5_unpacking_x_y_from_p_is_refused():
    def f(p):
        x, y = p
        return x ** 2 + 10 * y ** 2

    with pytest.raises((ValueError, TypeError)) as e:
        S(f)
    says(e.value, "f", "p[..., 0]", "x, y = p")


@pytest.mark.parametrize("grad", [lambda p: np.array([p[:, 0], 10 * p[:, 1]]),
                                  lambda p: np.sum(p * [1.0, 10.0], axis=0),
                                  lambda p: np.array([p[0], 10 * p[1]])],
                         ids=["p[:, 0]", "summed", "p[0]"])
def test_5_a_gradient_with_the_same_mistakes_is_refused(grad):
    with pytest.raises((ValueError, TypeError)) as e:
        S(BOWL_F, grad=grad)
    says(e.value, "grad")


def test_5_the_refusals_happen_where_the_surface_is_made_not_in_run():
    calls = []

    def f(p):
        calls.append(np.shape(p))
        return p[:, 0] ** 2 + 10 * p[:, 1] ** 2

    with pytest.raises((ValueError, TypeError)):
        S(f)
    assert len(calls) < 200   # a handful of shapes and a few dozen single points, once


def test_a_gradient_that_does_not_match_f_is_refused():
    with pytest.raises(ValueError) as e:
        S(BOWL_F, grad=lambda p: np.stack([p[..., 0], 5 * p[..., 1]], axis=-1))   # forgot the 2 of 10 y^2 / 2... twice
    says(e.value, "grad", "finite differences", "(x, y) =")


def test_a_gradient_at_a_kink_of_f_is_not_called_wrong():
    s = S(lambda p: np.abs(p[..., 0]) + p[..., 1] ** 2, grad=lambda p: np.stack([np.sign(p[..., 0]), 2 * p[..., 1]], -1))
    np.testing.assert_allclose(s.grad([0.5, 1.0]), [1.0, 2.0])


def test_a_function_that_changes_its_argument_in_place_is_refused():
    def f(p):
        p -= 1.0
        return np.sum(p ** 2, axis=-1)

    with pytest.raises((ValueError, TypeError)) as e:
        S(f)
    says(e.value, "f", "in place")


def test_10_a_function_too_large_to_draw_in_its_window_is_refused():
    with pytest.raises(ValueError) as e:
        S(lambda x, y: 1e306 * (x ** 2 + y ** 2))
    says(e.value, "f", "1e+30", "window")
