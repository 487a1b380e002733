"""The sharpness of many points at once, by Lanczos on finite-difference Hessian-vector products."""
import numpy as np
import pytest

import stepviz as sv
from stepviz.analysis import curvature


def test_sharpness_batch_on_bowls_and_rosenbrock():
    bowl = sv.QuadraticBowl((2.0, 30.0), angle=40)
    pts = np.random.default_rng(0).normal(size=(5, 2))
    np.testing.assert_allclose(curvature.sharpness_batch(bowl, pts, iters=2), 30.0, rtol=1e-6)
    ros = sv.Rosenbrock()
    pts = np.array([[1.0, 1.0], [-1.2, 1.0], [0.3, 0.2]])
    exact = np.linalg.eigvalsh(ros.hessian(pts))[:, -1]
    np.testing.assert_allclose(curvature.sharpness_batch(ros, pts, iters=2), exact, rtol=1e-5)


def test_sharpness_along_fast_agrees_with_the_full_hessian():
    X, y = sv.spirals(n=60, seed=1)
    loss = sv.NetworkLoss(sv.MLP((2, 6, 1), seed=1), X, y)
    tr = sv.run(sv.GD(1.0), loss, steps=30)
    k, fast = curvature.sharpness_along(loss, tr, 10, iters=20)
    k2, exact = curvature.sharpness_along(loss, tr, 10)
    np.testing.assert_array_equal(k, k2)
    np.testing.assert_allclose(fast, exact, rtol=1e-4)
    with pytest.raises(TypeError):
        curvature.sharpness_batch("bowl", np.zeros((1, 2)))
