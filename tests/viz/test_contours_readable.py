"""Readable contours on every surface (issue 16, item 3), read off the rendered pixels: the filled bands show the
surface's shape across its whole window (several bands, none taking most of it), the fill is light enough that
the path's vermillion keeps WCAG's 3:1 contrast for graphics with every band, and the bands stay apart under
simulated deuteranopia and protanopia."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import stepviz as sv
from stepviz import viz
from stepviz.viz import style

from .test_style import delta_e

SURFACES = [sv.QuadraticBowl(), sv.QuadraticBowl((0.8, 60.0)), sv.QuadraticBowl((1.0, 10.0), angle=30),
            sv.Rosenbrock(), sv.Saddle(), sv.Surface.from_function(lambda x, y: np.exp(x) + y ** 4, name="exp")]
IDS = ["bowl", "steep bowl", "rotated bowl", "rosenbrock", "saddle", "learner's function"]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def luminance(rgb):
    c = np.asarray(rgb, dtype=float) / 255
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(lin @ [0.2126, 0.7152, 0.0722])


def contrast(a, b):
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def hex_rgb(h):
    return [int(h[i:i + 2], 16) for i in (1, 3, 5)]


def fill_areas(surface):
    """{colour: share of the plot window} of the colours that fill at least 1% of it, as drawn (Agg)."""
    fig, ax = plt.subplots(figsize=(4, 4), dpi=100)
    viz.plot_surface(surface, ax)
    ax.set_title("")
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    x0, y0, x1, y1 = np.round(ax.get_window_extent().extents).astype(int)
    h = pixels.shape[0]
    inside = pixels[h - y1 + 2:h - y0 - 2, x0 + 2:x1 - 2].reshape(-1, 3)
    colours, counts = np.unique(inside, axis=0, return_counts=True)
    share = counts / len(inside)
    return {tuple(int(v) for v in c): float(s) for c, s in zip(colours, share) if s >= 0.01}


def test_the_measure_fails_the_old_dark_fill():
    """The explorers' old fill (Blues_r, evenly spaced levels): few bands carry the window, and dark ones the
    vermillion path is lost on."""
    bowl = sv.QuadraticBowl()
    fig, ax = plt.subplots(figsize=(4, 4), dpi=100)
    X, Y, Z = viz.surface_grid(bowl)
    ax.contourf(X, Y, Z, levels=np.linspace(Z.min(), Z.max(), 16)[1:-1], cmap="Blues_r", extend="both", alpha=0.85)
    fig.canvas.draw()
    px = np.asarray(fig.canvas.buffer_rgba())[60:340, 60:340, :3].reshape(-1, 3)
    colours, counts = np.unique(px, axis=0, return_counts=True)
    worst = min(contrast(hex_rgb(style.PATH_COLOR), c) for c, n in zip(colours, counts) if n / len(px) >= 0.01)
    assert worst < 3 and counts.max() / len(px) > 0.15


@pytest.mark.parametrize("surface", SURFACES, ids=IDS)
def test_bands_cover_the_window_evenly(surface):
    areas = fill_areas(surface)
    big = [s for s in areas.values() if s >= 0.02]
    assert len(big) >= 8, sorted(areas.values())  # the shape shows across the window, not in the corners only
    assert max(areas.values()) <= 0.15, sorted(areas.values())
    assert sum(areas.values()) >= 0.6  # the rest: level lines and their anti-aliased edges


@pytest.mark.parametrize("surface", SURFACES, ids=IDS)
def test_the_path_stands_out_on_every_band(surface):
    path = hex_rgb(style.PATH_COLOR)
    for colour in fill_areas(surface):
        assert contrast(path, colour) >= 3.0, (colour, contrast(path, colour))
        assert contrast(hex_rgb(style.CONTOUR_LINE_COLOR), colour) >= 2.5


@pytest.mark.parametrize("vision", [None, "deuteranopia", "protanopia"])
def test_neighbouring_bands_stay_apart(vision):
    from stepviz.viz.contours import fill_colors

    bands = fill_colors(15)  # the default levels of a smooth surface: 14 levels, 15 bands
    for a, b in zip(bands, bands[1:]):
        assert delta_e(a, b, vision) >= 2.3, (a, b, vision)  # at least a just-noticeable difference
    assert delta_e(bands[0], bands[-1], vision) >= 30
    for band in bands:
        assert delta_e(style.PATH_COLOR, band, vision) >= 40


def test_levels_have_equal_areas_and_rosenbrock_keeps_its_valley_floor():
    bowl = sv.QuadraticBowl()
    Z = viz.surface_grid(bowl)[2]
    levels = viz.contour_levels(bowl, Z)
    share = np.bincount(np.searchsorted(levels, Z.ravel()), minlength=len(levels) + 1) / Z.size
    np.testing.assert_allclose(share, 1 / 15, atol=0.005)
    r = sv.Rosenbrock()
    Z = viz.surface_grid(r)[2]
    levels = viz.contour_levels(r, Z)
    assert levels[0] < 0.1 and np.all(np.diff(levels) > 0)  # log-spaced levels inside the valley
    floor = levels[levels < np.quantile(Z, 1 / 15)]
    np.testing.assert_allclose(floor[1:] / floor[:-1], floor[1] / floor[0])
