"""The SGD explorer: runs of minibatch SGD, their mean loss, the predicted floor and noise ball."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import live
from stepviz.analysis.stochastic import noise_ellipse, sgd_stationary
from stepviz.lessons.stochastic_gradients import sgd_data

from .browser import update


@pytest.fixture(scope="module")
def data():
    return sgd_data()


def test_runs_means_floor_and_ellipse_are_what_the_browser_draws(data):
    ex = live.explore_sgd(data, lr=0.1, batch_size=10, steps=100, runs=3, seed=0)
    tr = ex.trajectory
    assert tr.points.shape == (101, 3, 2)
    for r in range(3):
        np.testing.assert_allclose(ex.shown(f"path{r}"), tr.points[:, r])
    mean = tr.gap().mean(axis=1)
    np.testing.assert_allclose(ex.shown("mean"), np.where(mean > 0, mean, np.nan), rtol=1e-10)
    ref = sv.run(sv.GD(lr=0.1), data, steps=100)
    np.testing.assert_allclose(ex.reference.points, ref.points, rtol=1e-12)
    C, floor = sgd_stationary(data, 0.1, 10)
    assert ex.shown("floor")[0] == pytest.approx(floor)
    np.testing.assert_allclose(ex.shown("ellipse"), noise_ellipse(C, data.p_star, n=60))
    assert f"{floor:.3g}" in ex.readout.value


def test_more_runs_and_a_decaying_step(data):
    ex = live.explore_sgd(data, lr=0.1, steps=60, runs=2)
    ex.controller.set(runs=5, decay=0.05)
    assert ex.trajectory.points.shape == (61, 5, 2) and "path4" in ex.canvas.arrays
    np.testing.assert_allclose(ex.trajectory.lrs[:, 0], 0.1 / (1 + 0.05 * np.arange(60)))
    assert "α at the last step" in ex.readout.value


def test_divergence_names_the_runs(data):
    ex = live.explore_sgd(data, lr=0.1, batch_size=1, steps=200, runs=4)
    ex.controls["lr"].value = 1.0
    assert ex.trajectory.diverged.any()
    first = int(ex.trajectory.diverged_at[ex.trajectory.diverged].min())
    assert f"diverged at step {first}" in ex.readout.value
    ex.controls["iteration"].value = 200
    assert "run(s) diverged, first at step" in ex.text("status")


@pytest.mark.parametrize("kwargs, error, words", [
    ({"batch_size": 7}, ValueError, "one of"), ({"lr": 3.0}, ValueError, "from 0.001 to 1"),
    ({"runs": 20}, ValueError, "from 1 to 8"), ({"steps": 5}, ValueError, "from 10 to 2000"),
])
def test_bad_arguments(data, kwargs, error, words):
    with pytest.raises(error, match=words):
        live.explore_sgd(data, **kwargs)
    with pytest.raises(TypeError, match="LeastSquares"):
        live.explore_sgd(sv.QuadraticBowl())


def test_an_unsettled_run_is_not_compared_with_the_floor_as_if_it_had_arrived(data):
    """Issue 15 item 5: 10's explorer at alpha = 0.024 compared the runs' mean with the floor without saying that the
    walk to the minimum is not over; the readout now says so (and does not where the runs have arrived)."""
    ex = live.explore_sgd(data, lr=0.1, batch_size=10, steps=300, runs=5)
    assert "not settled" not in ex.readout.value
    stops = np.asarray(ex.controls["lr"].stops)
    update(ex.controls["lr"], value=0.024, index=int(np.argmin(np.abs(np.log(stops / 0.024)))))  # typed, Enter
    assert ex.controls["lr"].value == 0.024
    half = ex.trajectory.steps // 2
    still = float(sv.run(sv.GD(lr=0.024), data, steps=300).gap()[half])  # full-batch GD, independently
    _, floor = sgd_stationary(data, 0.024, 10)
    assert still > floor
    assert f"not settled: full-batch GD is still at {still:.3g} at step {half}, above the floor" in ex.readout.value
    update(ex.controls["decay"], value=0.01)  # a decaying step: no constant-alpha claim of arrival either way
    assert "not settled" not in ex.readout.value and "decaying" in ex.readout.value
