"""The SGD explorer of lesson 08, driven headlessly: artists equal independent runs; updated in place."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import analysis, live
from stepviz.lessons.stochastic_gradients import sgd_data
from stepviz.optim.schedules import inverse_time


@pytest.fixture
def ex():
    return live.explore_sgd(sgd_data(), lr=0.1, batch_size=10, steps=100, runs=3)


def expected(e):
    c = e.controls
    lr = c["lr"].value if c["decay"].value == 0 else inverse_time(c["lr"].value, c["decay"].value)
    return sv.run(sv.GD(lr), e.data, start=np.broadcast_to(e.data.start, (c["runs"].value, 2)),
                  steps=c["steps"].value, batch_size=c["batch_size"].value, seed=e.seed)


def test_controls_and_classes(ex):
    c = ex.controls
    assert type(c["lr"]).__name__ == "FloatLogSlider" and "stepviz-lr" in c["lr"]._dom_classes
    assert "stepviz-explorer" in ex._dom_classes
    assert "stepviz-play" in c["play"]._dom_classes and "stepviz-iteration" in c["iteration"]._dom_classes
    assert set(c) >= {"lr", "batch_size", "decay", "steps", "runs", "iteration", "play"}


def test_paths_equal_independent_run(ex):
    fig = ex.figure
    c = ex.controls
    for settings in ({"lr": 0.3}, {"batch_size": 1, "lr": 0.05}, {"decay": 0.05}, {"runs": 5, "steps": 200}):
        for k, v in settings.items():
            c[k].value = v
        assert ex.figure is fig
        ref = expected(ex)
        for i in range(c["runs"].value):
            np.testing.assert_array_equal(np.column_stack(ex.path_lines[i].get_data()), ref.points[:, i])
        for line in ex.path_lines[c["runs"].value:]:
            assert len(line.get_xdata()) == 0
        np.testing.assert_allclose(ex.loss_line.get_ydata(), ref.gap().mean(axis=1))


def test_floor_and_ellipse_follow_prediction(ex):
    ex.controls["lr"].value = 0.2
    ex.controls["batch_size"].value = 5
    C, floor = analysis.sgd_stationary(ex.data, 0.2, 5)
    assert ex.floor_line.get_ydata()[0] == pytest.approx(floor)
    np.testing.assert_allclose(np.column_stack(ex.ellipse.get_data()), analysis.noise_ellipse(C, ex.data.p_star))
    assert f"{floor:.3g}" in ex.readout.value


def test_iteration_truncates_and_moves_fit_line(ex):
    ex.controls["iteration"].value = 7
    ref = expected(ex)
    np.testing.assert_array_equal(np.column_stack(ex.path_lines[0].get_data()), ref.points[:8, 0])
    a, b = ref.points[7, 0]
    xs, ys = ex.fit_line.get_data()
    np.testing.assert_allclose(ys, a * np.asarray(xs) + b)
    assert "iteration 7" in ex.status_text.get_text()


def test_divergence_is_reported_not_raised(ex):
    ex.controls["batch_size"].value = 1
    ex.controls["lr"].value = 0.9
    assert ex.trajectory.diverged.any()
    assert "diverged at step" in ex.readout.value
    assert len(ex.diverged_markers.get_xdata()) == int(ex.trajectory.diverged.sum())
    ex.figure.canvas.draw()
    ex.controls["lr"].value = 0.05
    assert "diverged" not in ex.readout.value


def test_full_batch_has_no_noise(ex):
    ex.controls["batch_size"].value = ex.data.n
    np.testing.assert_allclose(ex.trajectory.points[:, 0], ex.reference.points)
    assert ex.floor_line.get_ydata()[0] == 0.0


def test_bad_input():
    with pytest.raises(ValueError):
        live.explore_sgd(sgd_data(), batch_size=7)
    with pytest.raises(TypeError):
        live.explore_sgd(sv.QuadraticBowl())


def test_png_fallback_renders(ex):
    data = ex._repr_mimebundle_()
    assert data["image/png"]
