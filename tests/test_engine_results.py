"""What a Trajectory says must be true (issue 18 items 7, 8, 9, 16): the rate of a run that lands on the
minimum, divergence measured from the plot window wherever it lies, steps to a tolerance only where there is
a minimum to measure from, indexing only the runs, and a line search on the surface it is run on."""
import numpy as np
import pytest

import stepviz as sv
from tests.robust_helpers import says

BOWL = sv.QuadraticBowl((1.0, 10.0))


# --- item 7: a run that lands exactly on the minimum converged at rate 0, not 1 ---------------------------

def test_7_a_run_that_lands_on_the_minimum_has_rate_0():
    tr = sv.run(sv.GD(1.0), sv.QuadraticBowl((1.0, 1.0)), steps=20)   # alpha = 1/L: one step to the minimum
    assert tr.points[1].tolist() == [0.0, 0.0]
    assert float(tr.rate()) == 0.0


def test_7_landing_on_the_minimum_in_one_direction_keeps_the_other_directions_rate():
    tr = sv.run(sv.GD(0.1), BOWL, steps=200)   # alpha = 1/L wipes out the steep direction: rate 1 - 0.1 * 1
    assert float(tr.rate()) == pytest.approx(0.9, rel=1e-6)


def test_7_a_run_of_0_steps_has_no_rate():
    assert np.isnan(float(sv.run(sv.GD(1.0), sv.QuadraticBowl((1.0, 1.0)), steps=0).rate()))


def test_7_a_batch_mixes_landed_and_geometric_runs():
    tr = sv.run(sv.GD(np.array([1.0, 0.5, 0.25])), sv.QuadraticBowl((1.0, 1.0)), steps=60)
    np.testing.assert_allclose(tr.rate(), [0.0, 0.5, 0.75], rtol=1e-6)


def test_7_the_explorer_says_the_gap_is_0_not_nan():
    e = sv.explore(sv.QuadraticBowl((1.0, 1.0)), lr=1.0)
    try:
        assert e.controls["lr"].value == pytest.approx(1.0, rel=0.05)
        stop = float(e.controls["lr"].value)
        gap = sv.run(sv.GD(stop), e.surface, start=e.surface.start, steps=e.trajectory.steps).gap()[-1]
        assert "nan" not in e.readout.value and "nan" not in e.alt
        assert f"= {float(gap):.3g}" in e.readout.value
        assert "measured 1.000" not in e.readout.value
    finally:
        e.close()


# --- item 8: divergence is measured from the plot window, in window sizes; a start past it is refused -----

OFF = sv.Surface.from_function(lambda p: 0.5 * ((p[..., 0] - 1000) ** 2 + 10 * p[..., 1] ** 2),
                               bounds=((998.0, 1002.0), (-2.0, 2.0)), minima=[(1000.0, 0.0)], start=(999.0, 1.0))


def test_8_a_start_past_the_bound_is_refused():
    with pytest.raises(ValueError) as e:
        sv.run(sv.GD(0.01), BOWL, start=(1000.0, 0.0), steps=5)
    says(e.value, "start", "(1000, 0)", "window")


def test_8_a_run_that_converges_is_never_called_diverged():
    tr = sv.run(sv.GD(0.01), BOWL, start=(150.0, -150.0), steps=50)   # within the bound, converging
    assert not tr.diverged
    assert tr.gap()[-1] < tr.gap()[0]


def test_8_the_bound_is_100_window_sizes_from_a_window_off_the_origin():
    """Window x in 998..1002: measured from its point nearest the origin, (998, 0), it reaches 4 (its width):
    the bound lies 400 from there, not at 100 x 1002 = 100,200."""
    assert OFF.divergence_bound == 400.0 and OFF.divergence_center.tolist() == [998.0, 0.0]
    lr = 0.21   # |1 - 10 lr| = 1.1: y grows by 1.1 per step from 1
    tr = sv.run(sv.GD(lr), OFF, steps=120)
    ys = 1.1 ** np.arange(121)
    assert int(tr.diverged_at) == int(np.argmax(ys > 400.0))
    with pytest.raises(ValueError):   # 502 from (998, 0): past the bound
        sv.run(sv.GD(0.01), OFF, start=(1500.0, 0.0), steps=5)
    assert not sv.run(sv.GD(0.01), OFF, start=(1300.0, 0.0), steps=5).diverged


def test_8_windows_around_the_origin_keep_their_bound():
    tr = sv.run(sv.GD(0.21), BOWL, start=(0.0, 1.0), steps=120)
    ys = 1.1 ** np.arange(121)
    assert int(tr.diverged_at) == int(np.argmax(ys > 200.0))


# --- item 9: steps_to needs a minimum; indexing a trajectory indexes runs, never coordinates -----------------

def test_9_steps_to_without_a_known_minimum_is_refused():
    tr = sv.run(sv.GD(0.1), sv.Saddle(quartic=0.0), steps=100)
    with pytest.raises(ValueError) as e:
        tr.steps_to(1e-3)
    says(e.value, "minimum", "losses")


@pytest.mark.parametrize("index", [(slice(None), 0), (0, 0), (0, ..., 0), (None, 0)], ids=str)
def test_9_indexing_past_the_batch_axes_is_refused(index):
    tr = sv.run(sv.GD([0.1, 0.2, 0.3]), BOWL, steps=10)
    with pytest.raises(IndexError) as e:
        tr[index]
    says(e.value, "batch")


@pytest.mark.parametrize("index", [0, -1, slice(0, 2), [0, 2], np.array([True, False, True]), ..., (..., 0)],
                         ids=str)
def test_9_indexing_the_batch_gives_those_runs(index):
    """traj[..., 0] is run 0 (the batch's last axis), not the x coordinates of every run."""
    tr = sv.run(sv.GD([0.1, 0.2, 0.3]), BOWL, steps=10)
    sub = tr[index]
    runs = index[0] if isinstance(index, tuple) and index[0] is not Ellipsis else \
        (index[-1] if isinstance(index, tuple) else index)
    np.testing.assert_array_equal(sub.points, tr.points[:, runs])
    np.testing.assert_array_equal(sub.lrs, tr.lrs[:, runs])
    assert sub.points.shape[-1] == 2 and sub.batch_shape == tr.losses[:, runs].shape[1:]


def test_9_a_2d_grid_is_indexed_on_both_batch_axes():
    tr = sv.run(sv.Momentum(np.full((2, 1), 0.05), momentum=np.array([0.0, 0.5, 0.9])), BOWL, steps=5)
    assert tr[1, 2].batch_shape == () and tr[..., 2].batch_shape == (2,)
    np.testing.assert_array_equal(tr[..., 2].points, tr.points[:, :, 2])


# --- item 16: a line search runs on the surface it evaluates, and its function must give numbers ---------

def test_16_backtracking_on_another_surface_is_refused():
    with pytest.raises(ValueError) as e:
        sv.run(sv.Backtracking(BOWL), sv.Rosenbrock(), steps=5)
    says(e.value, "Backtracking", "surface", "Rosenbrock")


def test_16_backtracking_with_a_function_that_returns_none_is_refused():
    with pytest.raises(TypeError) as e:
        sv.run(sv.Backtracking(lambda p: None), BOWL, steps=5)
    says(e.value, "Backtracking", "None")


def test_16_backtracking_with_a_function_of_the_surfaces_values_runs():
    tr = sv.run(sv.Backtracking(BOWL.value), BOWL, steps=30)
    ref = sv.run(sv.Backtracking(BOWL), BOWL, steps=30)
    np.testing.assert_array_equal(tr.points, ref.points)
    assert tr.gap()[-1] < 1e-6
