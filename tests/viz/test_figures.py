"""Static views: the artists carry exactly the data of the runs they show."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import stepviz as sv
from stepviz import viz


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_surface_marks_minima_and_saddles_and_fixes_window():
    for surface in (sv.QuadraticBowl(), sv.Rosenbrock(), sv.Saddle()):
        art = viz.plot_surface(surface)
        ax = art["contour"].axes
        assert ax.get_xlim() == surface.bounds[0] and ax.get_ylim() == surface.bounds[1]
        np.testing.assert_array_equal(np.column_stack(art["minima"].get_data()), surface.minima)
        np.testing.assert_array_equal(np.column_stack(art["saddles"].get_data()), surface.saddles)


def test_contour_grid_is_computed_once_per_surface():
    s = sv.Rosenbrock()
    g1 = viz.surface_grid(s)
    g2 = viz.surface_grid(s)
    assert g1[2] is g2[2]
    X, Y, Z = g1
    np.testing.assert_allclose(Z, (1 - X) ** 2 + 100 * (Y - X ** 2) ** 2)


def test_rosenbrock_levels_are_log_spaced_in_the_valley_and_bowl_levels_split_the_window_evenly():
    r = sv.Rosenbrock()
    lv = viz.contour_levels(r, viz.surface_grid(r)[2])
    ratios = lv[1:5] / lv[:4]  # the valley floor (tests/viz/test_contours_readable.py: the rest)
    np.testing.assert_allclose(ratios, ratios[0])
    b = sv.QuadraticBowl()
    Z = viz.surface_grid(b)[2]
    lv = viz.contour_levels(b, Z)
    np.testing.assert_allclose([np.mean(Z < v) for v in lv], np.arange(1, 15) / 15, atol=0.005)


def test_plot_path_one_line_per_run_with_its_points_and_labels():
    bowl = sv.QuadraticBowl()
    lrs = np.array([0.05, 0.15, 0.25])
    tr = sv.run(sv.GD(lrs), bowl, steps=40)
    arts = viz.plot_path(tr)
    assert len(arts) == 3
    for i, a in enumerate(arts[:2]):
        np.testing.assert_array_equal(np.column_stack(a["path"].get_data()), tr.points[:, i])
    labels = [a["path"].get_label() for a in arts]
    assert labels[0] == "α=0.05" and labels[1] == "α=0.15"
    assert labels[2].startswith("α=0.25 (diverged at step") and str(int(tr.diverged_at[2])) in labels[2]
    # the diverged run is drawn up to its first iterate outside the window, ending on the border where that
    # step crosses it (issue 10: the far-out segments drew a band across the window), with the cross there
    (x0, x1), (y0, y1) = bowl.bounds
    drawn = np.column_stack(arts[2]["path"].get_data())
    pts = tr.points[:, 2]
    out = np.nonzero((np.abs(pts) > 2).any(axis=-1))[0][0]
    np.testing.assert_array_equal(drawn[:-1], pts[:out])
    assert np.all((drawn[:, 0] >= x0) & (drawn[:, 0] <= x1) & (drawn[:, 1] >= y0) & (drawn[:, 1] <= y1))
    assert np.isclose(np.abs(drawn[-1]).max(), 2.0)  # on the border
    d, e = pts[out] - pts[out - 1], drawn[-1] - pts[out - 1]
    assert np.isclose(d[0] * e[1] - d[1] * e[0], 0.0, atol=1e-9)  # along that step
    end = np.array([d[0] for d in arts[2]["end"].get_data()])
    np.testing.assert_allclose(end, drawn[-1])


def test_inside_window_keeps_paths_inside_and_cuts_at_the_border():
    bounds = ((-2.0, 2.0), (-2.0, 2.0))
    inside = np.array([[0.0, 0.0], [1.0, 1.0]])
    np.testing.assert_array_equal(viz.inside_window(inside, bounds), inside)
    cut = viz.inside_window(np.array([[0.0, 0.0], [1.0, -1.0], [3.0, 0.0], [9.0, 9.0]]), bounds)
    np.testing.assert_allclose(cut, [[0.0, 0.0], [1.0, -1.0], [2.0, -0.5]])
    np.testing.assert_allclose(viz.inside_window(np.array([[0.0, 0.0], [np.nan, np.nan]]), bounds), [[0.0, 0.0]])


def test_plot_losses_draws_gap_on_log_axis():
    bowl = sv.QuadraticBowl()
    tr = sv.run(sv.Momentum(0.05, momentum=np.array([0.0, 0.5])), bowl, steps=30)
    lines = viz.plot_losses(tr)
    assert lines[0].axes.get_yscale() == "log"
    np.testing.assert_allclose(lines[1].get_ydata(), tr.losses[:, 1] - bowl.f_min)
    assert [l.get_label() for l in lines] == ["γ=0", "γ=0.5"]


def test_run_labels_name_what_varies():
    tr = sv.run(sv.Momentum(lr=np.array([[0.1], [0.2]]), momentum=np.array([0.0, 0.9])), sv.QuadraticBowl(), steps=2)
    assert viz.run_labels(tr) == ["α=0.1, γ=0", "α=0.1, γ=0.9", "α=0.2, γ=0", "α=0.2, γ=0.9"]
    single = sv.run(sv.Adam(0.1), sv.Rosenbrock(), steps=2)
    assert viz.run_labels(single) == ["Adam, α=0.1"]


def test_stability_map_matches_separate_runs_and_draws_theory_boundary():
    bowl = sv.QuadraticBowl((1.0, 10.0))
    lrs = np.geomspace(0.01, 0.5, 12)
    momenta = np.linspace(0, 0.9, 7)
    sm = viz.stability_map(bowl, "Momentum", lrs, momenta, steps=150)
    assert sm.grid.rates.shape == (7, 12)
    for i, j in [(0, 0), (3, 5), (6, 11), (2, 9)]:
        ref = sv.run(sv.Momentum(lrs[j], momentum=momenta[i]), bowl, steps=150)
        assert bool(sm.grid.diverged[i, j]) == bool(ref.diverged)
        if not ref.diverged:
            assert sm.grid.rates[i, j] == pytest.approx(float(ref.rate()))
    boundary = [l for l in sm.ax.get_lines() if "theory" in l.get_label()][0]
    m = boundary.get_ydata()
    np.testing.assert_allclose(boundary.get_xdata(), (2 + 2 * m) / bowl.L)
    # far inside the boundary converges, far outside diverges
    assert not sm.grid.diverged[0, 0] and sm.grid.diverged[0, -1]


def test_stability_map_rejects_adaptive_methods():
    with pytest.raises(ValueError, match="momentum method"):
        viz.stability_map("bowl", "Adam")


def test_animate_plays_in_a_static_page():
    tr = sv.run(sv.GD(0.1), sv.QuadraticBowl(), steps=30)
    anim = viz.animate(tr, frames=10)
    html = anim.to_jshtml()
    assert "<script" in html and html.count("data:image/png;base64") == 10
    plt.close(anim._fig)


def test_plot_path_rejects_non_trajectory():
    with pytest.raises(TypeError, match="stepviz.run"):
        viz.plot_path(np.zeros((3, 2)))


def test_nesterov_stability_map_draws_nesterov_boundary():
    bowl = sv.QuadraticBowl((1.0, 10.0))
    lrs = np.geomspace(0.02, 0.4, 40)
    momenta = np.array([0.0, 0.5, 0.9])
    sm = viz.stability_map(bowl, "Nesterov", lrs, momenta, steps=2000)
    boundary = [l for l in sm.ax.get_lines() if "theory" in l.get_label()][0]
    m = boundary.get_ydata()
    np.testing.assert_allclose(boundary.get_xdata(), (2 + 2 * m) / ((1 + 2 * m) * bowl.L))
    for i, g in enumerate(momenta):  # simulation agrees with the boundary away from the edge
        edge = (2 + 2 * g) / ((1 + 2 * g) * bowl.L)
        inside, outside = lrs < 0.97 * edge, lrs > 1.03 * edge
        assert not sm.grid.diverged[i, inside].any() and sm.grid.diverged[i, outside].all()


def test_animation_html_fetches_nothing_from_outside():
    tr = sv.run(sv.GD(0.15), sv.QuadraticBowl(), steps=20)
    anim = viz.animate(tr, frames=5)
    html = viz.animation_html(anim).data
    assert "font-awesome" in anim.to_jshtml()  # matplotlib's own player links the CDN ...
    assert "http://" not in html and "https://" not in html  # ... ours does not
    assert html.count("data:image/png;base64") == 5 and "<script" in html
