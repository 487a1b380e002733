"""The palette stays distinct for learners with colour-vision deficiencies.

Colours are compared in CIELAB (delta E 1976) after simulating deuteranopia and protanopia with the
full-severity matrices of Machado, Oliveira & Fernandes (2009), applied in linear RGB. The course's old
palette (matplotlib's tab10 red/green) fails this: its GD red and RMSprop green are 7 apart.
"""
import itertools

import numpy as np
import pytest

from stepviz.viz import style

MACHADO = {
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}
MIN_DELTA_E = 15.0  # clearly different at a glance (2.3 is a just-noticeable difference)


def _linear(hex_color):
    c = np.array([int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear_rgb
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a, b, vision=None):
    la, lb = _linear(a), _linear(b)
    if vision is not None:
        la, lb = np.clip(MACHADO[vision] @ la, 0, 1), np.clip(MACHADO[vision] @ lb, 0, 1)
    return float(np.linalg.norm(_lab(la) - _lab(lb)))


def test_the_simulation_reproduces_the_reported_confusion():
    """tab10 red and green (the old GD and RMSprop colours) collapse under deuteranopia, not in normal vision."""
    assert delta_e("#d62728", "#2ca02c") > 50
    assert delta_e("#d62728", "#2ca02c", "deuteranopia") < MIN_DELTA_E


@pytest.mark.parametrize("vision", [None, "deuteranopia", "protanopia"])
def test_runs_drawn_together_stay_apart(vision):
    colors = style.PATH_COLORS[:6]  # compare() draws up to five runs in the notebooks
    for a, b in itertools.combinations(colors, 2):
        assert delta_e(a, b, vision) >= MIN_DELTA_E, (a, b, vision)


@pytest.mark.parametrize("vision", [None, "deuteranopia", "protanopia"])
def test_theory_lines_path_and_lookahead_stay_apart(vision):
    pairs = [(style.LIMIT_COLOR, style.OPTIMAL_COLOR), (style.PATH_COLOR, style.LIMIT_COLOR),
             (style.PATH_COLOR, style.OPTIMAL_COLOR), (style.PATH_COLOR, style.LOOKAHEAD_COLOR),
             (style.PATH_COLOR, style.GHOST_COLOR)]
    for a, b in pairs:
        assert delta_e(a, b, vision) >= MIN_DELTA_E, (a, b, vision)


def test_runs_also_differ_in_line_style_and_marker():
    n = len(style.PATH_COLORS)
    assert len(set(map(str, style.PATH_LINESTYLES))) == len(style.PATH_LINESTYLES) == n
    assert len(set(style.PATH_MARKERS)) == len(style.PATH_MARKERS) == n
    assert style.LIMIT_STYLE != style.OPTIMAL_STYLE
    assert style.run_style(n + 1) == style.run_style(1)
    assert style.PATH_COLOR == style.PATH_COLORS[0]
