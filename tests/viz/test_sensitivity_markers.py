"""09's sensitivity plot tells its six methods apart by line style and marker as well as colour (issue 16 item 6):
no two methods share a colour, a dash or a marker, and the markers of neighbouring methods do not stack."""
from __future__ import annotations

import numpy as np
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from stepviz import viz
from stepviz.analysis import sensitivity
from stepviz.viz.style import PATH_COLORS, PATH_LINESTYLES, PATH_MARKERS


def test_each_method_has_its_own_colour_dash_and_marker():
    ax = Figure().add_subplot()
    sens = viz.plot_lr_sensitivity("bowl", lrs=np.geomspace(1e-3, 1.0, 13), steps=30, ax=ax)
    methods = list(sens.final)
    assert len(methods) == len(sensitivity.DEFAULT_METHODS) == 6
    handles = [h for h in ax.get_legend().legend_handles if not h.get_label().startswith("good:")]
    assert [h.get_label().split(" (")[0] for h in handles] == methods
    assert [to_hex(h.get_color()) for h in handles] == [to_hex(c) for c in PATH_COLORS[:6]]
    assert [h.get_marker() for h in handles] == list(PATH_MARKERS[:6])
    for h, style in zip(handles, PATH_LINESTYLES):  # the palette's dash, at the line's width
        assert h._dash_pattern == Line2D([], [], ls=style, lw=h.get_linewidth())._dash_pattern
    assert len({str(h._dash_pattern) for h in handles}) == 6
    lines = [ln for ln in ax.get_lines() if ln.get_label() in {h.get_label() for h in handles}]
    starts = [ln.get_markevery()[0] for ln in lines]
    assert len(lines) == 6 and len(set(starts)) == 6  # shifted: two methods' markers do not sit on each other
