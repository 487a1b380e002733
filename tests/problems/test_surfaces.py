"""Surfaces: values, gradients and Hessians against closed forms and central finite differences."""
import numpy as np
import pytest

import stepviz as sv
from stepviz.problems.surfaces import Surface

BATCH_SHAPES = [(), (5,), (2,), (3, 4), (4, 2), (3, 4, 2)]


def random_points(surface, shape, seed=0):
    """Points of shape (*shape, 2) uniformly inside the surface's plot window."""
    rng = np.random.default_rng(seed)
    (x0, x1), (y0, y1) = surface.bounds
    return np.stack([rng.uniform(x0, x1, shape), rng.uniform(y0, y1, shape)], axis=-1)


def fd_grad(fn, p, h=1e-5):
    """Central finite difference of a scalar function of points (..., 2), written out here."""
    p = np.asarray(p, dtype=float)
    out = np.empty(p.shape)
    for i in range(2):
        e = np.zeros(p.shape)
        e[..., i] = h
        out[..., i] = (fn(p + e) - fn(p - e)) / (2 * h)
    return out


def fd_jacobian(fn, p, h=1e-5):
    """J[..., j, i] = d fn_j / d p_i by central differences, fn returning (..., 2)."""
    p = np.asarray(p, dtype=float)
    out = np.empty(p.shape + (2,))
    for i in range(2):
        e = np.zeros(p.shape)
        e[..., i] = h
        out[..., :, i] = (fn(p + e) - fn(p - e)) / (2 * h)
    return out


def rotation(deg):
    a = np.deg2rad(deg)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])


SURFACES = [cls() for cls in sv.SURFACES.values()] + [   # every surface the course offers, and variants
    sv.QuadraticBowl((2.0, 7.0), angle=30.0),
    sv.QuadraticBowl((50.0, 0.5), angle=-70.0),
    sv.Rosenbrock(a=-0.5, b=5.0),
    sv.Saddle(quartic=0.0),
    sv.Saddle(quartic=1.3),
]
IDS = [repr(s) for s in SURFACES]


# ---------------------------------------------------------------- closed forms of the values

def bowl_value_ref(curv, angle, p):
    H = rotation(angle) @ np.diag(curv) @ rotation(angle).T
    return 0.5 * np.einsum("...i,ij,...j->...", p, H, p)


@pytest.mark.parametrize("curv, angle", [((1.0, 10.0), 0.0), ((2.0, 7.0), 30.0), ((50.0, 0.5), -70.0)])
def test_bowl_value_and_hessian_closed_form(curv, angle):
    bowl = sv.QuadraticBowl(curv, angle=angle)
    p = random_points(bowl, (3, 4))
    np.testing.assert_allclose(bowl.value(p), bowl_value_ref(curv, angle, p), rtol=1e-12)
    np.testing.assert_allclose(bowl(p), bowl_value_ref(curv, angle, p), rtol=1e-12)
    H = rotation(angle) @ np.diag(curv) @ rotation(angle).T
    np.testing.assert_allclose(bowl.hessian(p), np.broadcast_to(H, (3, 4, 2, 2)), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bowl.grad(p), p @ H, rtol=1e-12, atol=1e-12)


def test_bowl_rotation_moves_the_eigenvectors():
    """Rotating by angle turns the steep axis: the eigenvector of L is (cos a, sin a) rotated from x."""
    bowl = sv.QuadraticBowl((1.0, 10.0), angle=90.0)
    # rotated by 90 degrees, the steep direction (10, originally y) becomes x
    np.testing.assert_allclose(bowl.value([1.0, 0.0]), 5.0, rtol=1e-12)
    np.testing.assert_allclose(bowl.value([0.0, 1.0]), 0.5, rtol=1e-12)
    bowl = sv.QuadraticBowl((4.0, 9.0), angle=45.0)
    d = np.array([np.cos(np.pi / 4), np.sin(np.pi / 4)])  # the rotated x axis: curvature 4
    np.testing.assert_allclose(bowl.value(d), 2.0, rtol=1e-12)
    np.testing.assert_allclose(bowl.grad(d), 4.0 * d, rtol=1e-12)
    eig = np.linalg.eigvalsh(bowl.hessian(np.zeros(2)))
    np.testing.assert_allclose(eig, [4.0, 9.0], rtol=1e-12)


def test_rosenbrock_value_closed_form():
    for a, b in [(1.0, 100.0), (-0.5, 5.0)]:
        r = sv.Rosenbrock(a=a, b=b)
        p = random_points(r, (6,))
        x, y = p[..., 0], p[..., 1]
        np.testing.assert_allclose(r.value(p), (a - x) ** 2 + b * (y - x ** 2) ** 2, rtol=1e-12)


def test_rosenbrock_gradient_of_a_batch_is_the_formula_bit_for_bit():
    """A batch's gradient is written into one array, with the formula's operations in the formula's order: the
    same numbers as one point at a time, to the last bit (NaN and inf included)."""
    for a, b in [(1.0, 100.0), (-0.5, 5.0)]:
        r = sv.Rosenbrock(a=a, b=b)
        p = np.concatenate([random_points(r, (40,)), [[np.nan, 1.0], [np.inf, 2.0], [1e200, -1e200]]])
        with np.errstate(all="ignore"):
            x, y = p[..., 0], p[..., 1]
            want = np.stack([-2 * (a - x) - 4 * b * x * (y - x ** 2), 2 * b * (y - x ** 2)], axis=-1)
            np.testing.assert_array_equal(r.grad(p), want)
            np.testing.assert_array_equal(r.grad(p.reshape(43, 1, 2))[:, 0], want)
            for q, w in zip(p, want):
                np.testing.assert_array_equal(r.grad(q), w)


@pytest.mark.parametrize("q", [0.25, 0.0, 1.3])
def test_saddle_value_closed_form(q):
    s = sv.Saddle(quartic=q)
    p = random_points(s, (6,))
    x, y = p[..., 0], p[..., 1]
    np.testing.assert_allclose(s.value(p), x ** 2 / 2 - y ** 2 / 2 + q * y ** 4, rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------- derivatives vs finite differences

@pytest.mark.parametrize("surface", SURFACES, ids=IDS)
def test_grad_matches_finite_differences(surface):
    p = random_points(surface, (3, 4), seed=1)
    g = surface.grad(p)
    ref = fd_grad(surface.value, p)
    scale = np.max(np.abs(ref)) + 1.0
    np.testing.assert_allclose(g, ref, rtol=1e-6, atol=1e-7 * scale)


@pytest.mark.parametrize("surface", SURFACES, ids=IDS)
def test_hessian_matches_finite_differences(surface):
    p = random_points(surface, (3, 4), seed=2)
    Hs = surface.hessian(p)
    assert Hs.shape == (3, 4, 2, 2)
    ref = fd_jacobian(surface.grad, p)
    scale = np.max(np.abs(ref)) + 1.0
    np.testing.assert_allclose(Hs, ref, rtol=1e-6, atol=1e-7 * scale)
    np.testing.assert_allclose(Hs, np.swapaxes(Hs, -1, -2), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("surface", SURFACES, ids=IDS)
@pytest.mark.parametrize("shape", BATCH_SHAPES, ids=str)
def test_broadcasting_over_batch_shapes(surface, shape):
    """value/grad/hessian on a batch equal the same methods called one point at a time."""
    p = random_points(surface, shape, seed=3)
    v, g, Hs = surface.value(p), surface.grad(p), surface.hessian(p)
    assert v.shape == shape and g.shape == shape + (2,) and Hs.shape == shape + (2, 2)
    for idx in np.ndindex(*shape):
        q = p[idx]
        np.testing.assert_allclose(v[idx], surface.value(q), rtol=1e-14, atol=1e-14)
        np.testing.assert_allclose(g[idx], surface.grad(q), rtol=1e-14, atol=1e-14)
        np.testing.assert_allclose(Hs[idx], surface.hessian(q), rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("surface", SURFACES, ids=IDS)
def test_single_point_and_list_input(surface):
    p = [0.3, -0.7]
    assert np.shape(surface.value(p)) == ()
    assert surface.grad(p).shape == (2,)
    assert surface.hessian(p).shape == (2, 2)
    np.testing.assert_allclose(surface.grad(p), fd_grad(surface.value, np.array(p)), rtol=1e-6, atol=1e-6)


# ---------------------------------------------------------------- minima and attributes

@pytest.mark.parametrize("surface", SURFACES, ids=IDS)
def test_minima_have_zero_gradient_and_are_minima(surface):
    m = np.asarray(surface.minima, dtype=float)
    assert m.ndim == 2 and m.shape[1] == 2
    for q in m:
        np.testing.assert_allclose(surface.grad(q), 0.0, atol=1e-12)
        # a strict local minimum: positive definite Hessian, and higher values all around
        assert np.all(np.linalg.eigvalsh(surface.hessian(q)) > 0)
        ring = q + 1e-3 * np.stack([np.cos(np.linspace(0, 2 * np.pi, 16)), np.sin(np.linspace(0, 2 * np.pi, 16))], -1)
        assert np.all(surface.value(ring) > surface.value(q))


def test_expected_minima():
    np.testing.assert_allclose(sv.QuadraticBowl((3.0, 5.0), angle=20).minima, [[0.0, 0.0]])
    np.testing.assert_allclose(sv.Rosenbrock().minima, [[1.0, 1.0]])
    np.testing.assert_allclose(sv.Rosenbrock(a=-0.5, b=5.0).minima, [[-0.5, 0.25]])
    assert sv.Rosenbrock().value([1.0, 1.0]) == 0.0
    m = sv.Saddle(quartic=0.25).minima
    np.testing.assert_allclose(sorted(map(tuple, m)), [(0.0, -1.0), (0.0, 1.0)], atol=1e-15)
    m = sv.Saddle(quartic=1.3).minima
    y = 1 / np.sqrt(4 * 1.3)
    np.testing.assert_allclose(sorted(map(tuple, m)), [(0.0, -y), (0.0, y)], atol=1e-15)
    assert np.asarray(sv.Saddle(quartic=0.0).minima).shape == (0, 2)


@pytest.mark.parametrize("q", [0.25, 0.0])
def test_saddle_point_at_origin(q):
    s = sv.Saddle(quartic=q)
    np.testing.assert_allclose(s.grad([0.0, 0.0]), 0.0, atol=1e-15)
    eig = np.linalg.eigvalsh(s.hessian([0.0, 0.0]))
    assert eig[0] < 0 < eig[1]


@pytest.mark.parametrize("curv, mu, L", [((1.0, 10.0), 1.0, 10.0), ((7.0, 2.0), 2.0, 7.0), ((3.0, 3.0), 3.0, 3.0)])
def test_bowl_mu_L_condition_number(curv, mu, L):
    bowl = sv.QuadraticBowl(curv, angle=33.0)
    assert bowl.mu == pytest.approx(mu)
    assert bowl.L == pytest.approx(L)
    assert bowl.condition_number == pytest.approx(L / mu)
    eig = np.linalg.eigvalsh(bowl.hessian([0.1, 0.2]))
    assert eig[0] == pytest.approx(mu) and eig[-1] == pytest.approx(L)


def test_bowl_defaults():
    bowl = sv.QuadraticBowl()
    assert (bowl.mu, bowl.L, bowl.condition_number) == (1.0, 10.0, 10.0)
    np.testing.assert_allclose(bowl.hessian([0.0, 0.0]), np.diag([1.0, 10.0]))


@pytest.mark.parametrize("surface", SURFACES + [sv.Surface.from_function(lambda p: p[..., 0] ** 2)], ids=IDS + ["custom"])
def test_plot_attributes(surface):
    (x0, x1), (y0, y1) = surface.bounds
    assert x0 < x1 and y0 < y1
    assert isinstance(surface.name, str) and surface.name
    start = np.asarray(surface.start, dtype=float)
    assert start.shape == (2,) and np.isfinite(start).all()
    assert x0 <= start[0] <= x1 and y0 <= start[1] <= y1
    for q in np.asarray(surface.minima):
        assert x0 <= q[0] <= x1 and y0 <= q[1] <= y1
    assert isinstance(repr(surface), str)


def test_named_defaults():
    np.testing.assert_allclose(sv.Rosenbrock().start, [-1.2, 1.0])
    assert sv.QuadraticBowl().name == "bowl"
    assert sv.Rosenbrock().name == "rosenbrock"
    assert sv.Saddle().name == "saddle"


# ---------------------------------------------------------------- Surface.from_function

def f_xy(x, y):
    return np.sin(x) * np.cos(2 * y) + x ** 2 * y + 0.3 * y ** 4


def f_p(p):
    return f_xy(p[..., 0], p[..., 1])


def grad_ref(p):
    x, y = p[..., 0], p[..., 1]
    return np.stack([np.cos(x) * np.cos(2 * y) + 2 * x * y,
                     -2 * np.sin(x) * np.sin(2 * y) + x ** 2 + 1.2 * y ** 3], axis=-1)


def hess_ref(p):
    x, y = p[..., 0], p[..., 1]
    fxx = -np.sin(x) * np.cos(2 * y) + 2 * y
    fxy = -2 * np.cos(x) * np.sin(2 * y) + 2 * x
    fyy = -4 * np.sin(x) * np.cos(2 * y) + 3.6 * y ** 2
    return np.stack([np.stack([fxx, fxy], -1), np.stack([fxy, fyy], -1)], -2)


def grad_p_stacked(p):  # f(p) form, returns (..., 2)
    return grad_ref(p)


def grad_xy_tuple(x, y):  # f(x, y) form, returns (gx, gy)
    return (np.cos(x) * np.cos(2 * y) + 2 * x * y, -2 * np.sin(x) * np.sin(2 * y) + x ** 2 + 1.2 * y ** 3)


FROM_FUNCTION = {
    "f(p)": dict(f=f_p),
    "f(x,y)": dict(f=f_xy),
    "f(p)+grad(p)": dict(f=f_p, grad=grad_p_stacked),
    "f(x,y)+grad(x,y)": dict(f=f_xy, grad=grad_xy_tuple),
    "f(p)+grad(x,y)": dict(f=f_p, grad=grad_xy_tuple),
    "lambda x,y": dict(f=lambda x, y: np.sin(x) * np.cos(2 * y) + x ** 2 * y + 0.3 * y ** 4),
}


@pytest.mark.parametrize("kind", list(FROM_FUNCTION))
@pytest.mark.parametrize("shape", BATCH_SHAPES, ids=str)
def test_from_function_value_grad_hessian(kind, shape):
    s = Surface.from_function(**FROM_FUNCTION[kind])
    p = random_points(s, shape, seed=4)
    v = s.value(p)
    assert v.shape == shape
    np.testing.assert_allclose(v, f_p(p), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(s(p), f_p(p), rtol=1e-13, atol=1e-13)
    g = s.grad(p)
    assert g.shape == shape + (2,)
    np.testing.assert_allclose(g, grad_ref(p), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(g, fd_grad(f_p, p), rtol=1e-6, atol=1e-6)
    Hs = s.hessian(p)
    assert Hs.shape == shape + (2, 2)
    # without grad the Hessian is a difference of a difference: looser
    tol = 1e-5 if "grad" in kind else 2e-3
    np.testing.assert_allclose(Hs, hess_ref(p), rtol=tol, atol=tol)


def test_from_function_grad_is_used_when_given():
    """A given grad is called and returned as is: exactly its values, not central differences of f
    (which agree with it only to rounding)."""
    calls = []

    def grad(x, y):
        calls.append(np.shape(x))
        return (np.cos(x) * np.cos(2 * y) + 2 * x * y, -2 * np.sin(x) * np.sin(2 * y) + x ** 2 + 1.2 * y ** 3)

    s = Surface.from_function(f_xy, grad=grad)
    p = random_points(s, (3, 4), seed=5)
    calls.clear()
    g = s.grad(p)
    assert calls == [(3, 4)]
    np.testing.assert_array_equal(g, np.stack(grad(p[..., 0], p[..., 1]), -1))


@pytest.mark.parametrize("shape", BATCH_SHAPES, ids=str)
def test_from_function_grad_with_a_constant_component(shape):
    """grad(x, y) = (2x, 1): a constant component broadcasts to the batch."""
    s = Surface.from_function(lambda x, y: x ** 2 + y, grad=lambda x, y: (2 * x, 1.0))
    p = random_points(s, shape, seed=6)
    g = s.grad(p)
    assert g.shape == shape + (2,)
    np.testing.assert_allclose(g[..., 0], 2 * p[..., 0], rtol=1e-15)
    np.testing.assert_allclose(g[..., 1], 1.0)


@pytest.mark.parametrize("shape", [s for s in BATCH_SHAPES if s != (2,)], ids=str)
def test_from_function_grad_returning_an_array_of_components(shape):
    """grad(x, y) -> np.array([gx, gy]) (components first). With a batch of exactly two points this is
    ambiguous with (..., 2) and not tested."""
    s = Surface.from_function(f_xy, grad=lambda x, y: np.array(grad_xy_tuple(x, y)))
    p = random_points(s, shape, seed=7)
    np.testing.assert_allclose(s.grad(p), grad_ref(p), rtol=1e-13, atol=1e-13)


def test_from_function_attributes():
    s = Surface.from_function(f_xy, bounds=((-1.0, 3.0), (0.0, 2.0)), name="mine")
    assert s.name == "mine"
    np.testing.assert_allclose(s.bounds, [[-1.0, 3.0], [0.0, 2.0]])
    assert np.asarray(s.minima).shape == (0, 2)
    (x0, x1), (y0, y1) = s.bounds
    assert x0 <= s.start[0] <= x1 and y0 <= s.start[1] <= y1
    s = Surface.from_function(f_xy, minima=[0.5, 0.5], start=(1.0, 1.5))
    np.testing.assert_allclose(s.minima, [[0.5, 0.5]])
    np.testing.assert_allclose(s.start, [1.0, 1.5])


def test_from_function_finite_difference_on_a_quadratic_is_accurate():
    """Central differences are exact on a quadratic up to rounding, even far from the origin."""
    s = Surface.from_function(lambda x, y: 3 * x ** 2 - x * y + 0.5 * y ** 2)
    p = np.array([[0.0, 0.0], [1.5, -2.0], [120.0, 80.0]])
    ref = np.stack([6 * p[:, 0] - p[:, 1], -p[:, 0] + p[:, 1]], -1)
    np.testing.assert_allclose(s.grad(p), ref, rtol=1e-7, atol=1e-7)


# ---------------------------------------------------------------- names and bad input

@pytest.mark.parametrize("name, cls", [("bowl", sv.QuadraticBowl), ("rosenbrock", sv.Rosenbrock),
                                       ("saddle", sv.Saddle), ("Rosenbrock", sv.Rosenbrock)])
def test_get_surface_by_name(name, cls):
    assert isinstance(sv.get_surface(name), cls)


def test_get_surface_passes_surfaces_through():
    bowl = sv.QuadraticBowl((2.0, 3.0))
    assert sv.get_surface(bowl) is bowl


@pytest.mark.parametrize("name", ["bowll", "himmelblau", ""])
def test_get_surface_unknown_name(name):
    with pytest.raises(ValueError, match=r"surface.*bowl"):
        sv.get_surface(name)


@pytest.mark.parametrize("bad", [None, 3, sv.GD])
def test_get_surface_wrong_type(bad):
    with pytest.raises(TypeError, match="surface"):
        sv.get_surface(bad)


@pytest.mark.parametrize("curv", [(0.0, 1.0), (-1.0, 10.0), (1.0, -0.5), (np.nan, 1.0), (1.0, np.inf),
                                  (1.0, 2.0, 3.0), (1.0,)])
def test_bowl_rejects_bad_curvatures(curv):
    with pytest.raises(ValueError, match="curvatures"):
        sv.QuadraticBowl(curv)


def test_bowl_rejects_non_numeric_curvatures():
    with pytest.raises(TypeError, match="curvatures"):
        sv.QuadraticBowl("steep")


@pytest.mark.parametrize("angle", [np.nan, np.inf])
def test_bowl_rejects_bad_angle(angle):
    with pytest.raises(ValueError, match="angle"):
        sv.QuadraticBowl(angle=angle)


@pytest.mark.parametrize("b", [0.0, -1.0, np.nan])
def test_rosenbrock_rejects_bad_b(b):
    with pytest.raises(ValueError, match=r"\bb\b"):
        sv.Rosenbrock(b=b)


@pytest.mark.parametrize("q", [-0.1, np.nan, np.inf])
def test_saddle_rejects_bad_quartic(q):
    with pytest.raises(ValueError, match="quartic"):
        sv.Saddle(quartic=q)


def test_from_function_rejects_bad_input():
    with pytest.raises(TypeError, match=r"\bf\b"):
        Surface.from_function(3.0)
    with pytest.raises(TypeError, match="grad"):
        Surface.from_function(f_xy, grad=1.0)
    for bounds in [((1.0, -1.0), (0.0, 1.0)), ((0.0, 1.0),), ((0.0, np.inf), (0.0, 1.0))]:
        with pytest.raises(ValueError, match="bounds"):
            Surface.from_function(f_xy, bounds=bounds)


@pytest.mark.parametrize("bad", [1.0, [1.0, 2.0, 3.0], np.zeros((4, 3))])
def test_methods_reject_points_of_the_wrong_shape(bad):
    s = sv.Rosenbrock()
    for method in (s.value, s.grad, s.hessian):
        with pytest.raises(ValueError, match="shape"):
            method(bad)
