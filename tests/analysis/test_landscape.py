"""Tests of stepviz.analysis.landscape and problems.slices: directions, planes and 2-D slices of a loss."""
import numpy as np
import pytest

from stepviz import GD, Adam, run
from stepviz.analysis.landscape import (
    LossSlice,
    loss_slice,
    pca_directions,
    project,
    random_directions,
)
from stepviz.problems.mlp import MLP, NetworkLoss, two_moons
from stepviz.problems.slices import SliceSurface


@pytest.fixture(scope="module")
def moons():
    return two_moons(n=200, noise=0.1, seed=0)


@pytest.fixture(scope="module")
def trained(moons):
    X, y = moons
    m = MLP((2, 8, 1))
    loss = NetworkLoss(m, X, y)
    return m, loss, run(Adam(lr=0.05), loss, steps=150)


def test_project_recovers_plane_coordinates():
    rng = np.random.default_rng(0)
    c, d1, d2 = rng.normal(size=(3, 30))
    ab = rng.normal(size=(5, 4, 2))
    pts = c + ab[..., :1] * d1 + ab[..., 1:] * d2  # d1, d2 not orthogonal
    np.testing.assert_allclose(project(pts, c, d1, d2), ab, rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="independent"):
        project(pts, c, d1, 2 * d1)


def test_pca_directions_of_a_training_path(trained):
    m, loss, res = trained
    d1, d2, explained = pca_directions(res.points)
    np.testing.assert_allclose([d1 @ d1, d2 @ d2, d1 @ d2], [1, 1, 0], atol=1e-12)
    assert explained[0] >= explained[1] > 0 and explained.sum() <= 1 + 1e-12
    # reference: eigenvectors of the scatter matrix of the path around its end
    M = res.points - res.points[-1]
    w, v = np.linalg.eigh(M.T @ M)
    assert abs(v[:, -1] @ d1) == pytest.approx(1, abs=1e-8)
    xy = project(res.points, res.points[-1], d1, d2)
    assert xy[0, 0] > 0 and np.allclose(xy[-1], 0)


def test_random_directions_are_filter_normalised(trained):
    m, loss, res = trained
    c = res.points[-1]
    d1, d2 = random_directions(m, c, seed=0)
    for (W, b), (Wc, _) in zip(m.unpack(d1), m.unpack(c)):
        np.testing.assert_allclose(np.linalg.norm(W, axis=0), np.linalg.norm(Wc, axis=0), rtol=1e-12)
        assert not b.any()
    assert not np.allclose(d1, d2)
    np.testing.assert_array_equal(d1, random_directions(m, c, seed=0)[0])
    u1, _ = random_directions(m, c, filter_normalize=False)
    assert np.linalg.norm(u1) == pytest.approx(1.0)


def test_loss_slice_grid_and_surface(trained):
    m, loss, res = trained
    c = res.points[-1]
    d1, d2, _ = pca_directions(res.points)
    sl = loss_slice(loss, c, d1, d2, extent=((-2, 4), (-1, 1)), n=7)
    assert isinstance(sl, LossSlice) and sl.losses.shape == (7, 7)
    j, i = 2, 5
    assert sl.losses[j, i] == pytest.approx(loss.value(c + sl.a[i] * d1 + sl.b[j] * d2), rel=1e-12)
    assert sl.a[3] == 1.0 and sl.b[3] == 0.0
    s = sl.surface
    assert isinstance(s, SliceSurface) and s.bounds == ((-2.0, 4.0), (-1.0, 1.0))
    assert s.value([0, 0]) == pytest.approx(res.final_loss, rel=1e-12)
    # gradient of the slice = chain rule; check against finite differences of its value
    p, h = np.array([0.7, -0.3]), 1e-6
    fd = [(s.value(p + e) - s.value(p - e)) / (2 * h) for e in np.eye(2) * h]
    np.testing.assert_allclose(s.grad(p), fd, rtol=1e-6, atol=1e-9)
    H = s.hessian(p)
    np.testing.assert_allclose(H, H.T)
    np.testing.assert_allclose(sl.project(res.points), project(res.points, c, d1, d2))
    traj = run(GD(lr=0.5), s, steps=20)  # the engine runs on a slice
    assert traj.losses[-1] < traj.losses[0]


def test_bad_input_raises_naming_the_argument(trained):
    m, loss, res = trained
    th = res.points[-1]
    cases = [
        (lambda: loss_slice(loss, th, th, th[:-1]), ValueError, "d2"),
        (lambda: loss_slice(loss, th, th, -th), ValueError, "independent"),
        (lambda: loss_slice(loss, th, *random_directions(m, th), extent=-1), ValueError, "extent"),
        (lambda: loss_slice("loss", th, *random_directions(m, th)), TypeError, "problem"),
        (lambda: pca_directions(np.zeros(5)), ValueError, "path"),
    ]
    for fn, exc, word in cases:
        with pytest.raises(exc, match=word):
            fn()
