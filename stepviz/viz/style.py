"""The course's colours, line styles and symbols: the palette lives here and nowhere else.

Figures and explorers refer to these names, never to hex codes, so that the palette can change in one place.
The colours are Okabe and Ito's palette for colour-vision deficiencies (Okabe & Ito 2008, "Color Universal
Design"), and runs drawn together also differ in line style and marker, so no two of them rely on hue alone:
tests/viz/test_style.py checks that they stay apart under simulated deuteranopia and protanopia.
"""

#: Okabe-Ito, by name: every hue below is one of these.
OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7"}
_O = OKABE_ITO

#: Neutral inks: text-coloured lines and edges, reference lines and grids, white on colour fills.
INK = _O["black"]
MUTED = "#808080"          # reference lines (1.0 on a rate axis, a tolerance, a threshold)
GHOST_COLOR = "#7F7F7F"    # a reference drawn behind the main curve (e.g. the constant step next to a schedule)
PAPER = "#FFFFFF"
#: Cells of a map where a run did not converge.
NOT_CONVERGING_COLOR = "#BBBBBB"
#: The iteration marker of an explorer's loss axes.
ITERATION_COLOR = "#555555"
#: Warnings in text ('diverged at step k'), dark enough for 4.5:1 contrast on white.
WARNING_COLOR = "#AA4400"

#: Colours of the runs of a batch, in order (yellow left out: too pale on white).
PATH_COLORS = (_O["vermillion"], _O["blue"], _O["bluish green"], _O["orange"], _O["reddish purple"], _O["sky blue"],
               _O["black"], GHOST_COLOR)
#: Line styles of the runs of a batch, in the same order: a second cue besides the colour.
PATH_LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)), (0, (1, 1)), (0, (3, 1, 1, 1)))
#: Markers of the runs of a batch (a third cue, used where points are marked).
PATH_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: The one path of an explorer: vermillion, apart from the blue contours and the theory lines.
PATH_COLOR = _O["vermillion"]
#: A stability limit (2/L, 2/lambda_max): solid.
LIMIT_COLOR = _O["blue"]
LIMIT_STYLE = "-"
#: An optimum or a suggestion (2/(mu + L), the best value found): dashed.
OPTIMAL_COLOR = _O["bluish green"]
OPTIMAL_STYLE = "--"
#: Nesterov's look-ahead points (hollow circles).
LOOKAHEAD_COLOR = _O["reddish purple"]
#: The minimum's star.
MINIMUM_COLOR = _O["yellow"]
#: The two classes of a classifier's data points (class 0, class 1).
CLASS_COLORS = (_O["blue"], _O["vermillion"])
#: A mark read off a curve (the lowest loss of a range test).
READING_COLOR = _O["reddish purple"]
#: Filled contours of a surface, from its lowest band to its highest: a light blue-to-cream ramp (the blue-yellow
#: axis that deuteranopia and protanopia keep, as in cividis), light enough that PATH_COLOR keeps 3:1 contrast
#: with every band (WCAG's bar for graphics) and adjacent bands stay apart (tests/viz/test_contours_readable.py).
SURFACE_FILL_COLORS = ("#D6E8FA", "#FFEFAA")
#: The level lines over that fill (3:1 against it).
CONTOUR_LINE_COLOR = "#6F8499"
#: The four regimes of the 1-D model, shaded behind a step-size axis (each also labelled in words).
REGIME_COLORS = {"creeping": "#D2E6F5", "smooth": "#C2E8DA", "oscillating": "#F8E2B0", "diverging": "#F2C3AE"}


def run_style(i: int) -> dict:
    """Colour, line style and marker of run ``i`` of a batch (matplotlib keyword arguments)."""
    n = len(PATH_COLORS)
    return {"color": PATH_COLORS[i % n], "linestyle": PATH_LINESTYLES[i % n], "marker": PATH_MARKERS[i % n]}
