"""The course's colours, line styles and symbols: the palette lives here and nowhere else.

Figures and explorers refer to these names, never to hex codes, so that the palette can change in one place.
The colours are Okabe and Ito's palette for colour-vision deficiencies (Okabe & Ito 2008, "Color Universal
Design"), and runs drawn together also differ in line style and marker, so no two of them rely on hue alone:
tests/viz/test_style.py checks that they stay apart under simulated deuteranopia and protanopia.
"""

#: Okabe-Ito, by name.
OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7"}

#: Colours of the runs of a batch, in order (yellow left out: too pale on white).
PATH_COLORS = ("#D55E00", "#0072B2", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000", "#7F7F7F")
#: Line styles of the runs of a batch, in the same order: a second cue besides the colour.
PATH_LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)), (0, (1, 1)), (0, (3, 1, 1, 1)))
#: Markers of the runs of a batch (a third cue, used where points are marked).
PATH_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: The one path of an explorer: vermillion, apart from the blue contours and the theory lines.
PATH_COLOR = "#D55E00"
#: A stability limit (2/L, 2/lambda_max): solid.
LIMIT_COLOR = "#0072B2"
LIMIT_STYLE = "-"
#: An optimum or a suggestion (2/(mu + L), the best value found): dashed.
OPTIMAL_COLOR = "#009E73"
OPTIMAL_STYLE = "--"
#: Nesterov's look-ahead points (hollow circles).
LOOKAHEAD_COLOR = "#CC79A7"
#: A reference drawn behind the main curve (e.g. the constant step next to a schedule).
GHOST_COLOR = "#7F7F7F"
#: The minimum's star.
MINIMUM_COLOR = "#F0E442"
#: The two classes of a classifier's data points (class 0, class 1).
CLASS_COLORS = ("#0072B2", "#D55E00")
#: A mark read off a curve (the lowest loss of a range test).
READING_COLOR = "#CC79A7"
#: The four regimes of the 1-D model, shaded behind a step-size axis (each also labelled in words).
REGIME_COLORS = {"creeping": "#D2E6F5", "smooth": "#C2E8DA", "oscillating": "#F8E2B0", "diverging": "#F2C3AE"}
#: Greek letters of the hyperparameters in labels.
SYMBOLS = {"lr": "α", "momentum": "γ", "rho": "ρ", "beta1": "β1", "beta2": "β2", "eps": "ε"}


def run_style(i: int) -> dict:
    """Colour, line style and marker of run ``i`` of a batch (matplotlib keyword arguments)."""
    n = len(PATH_COLORS)
    return {"color": PATH_COLORS[i % n], "linestyle": PATH_LINESTYLES[i % n], "marker": PATH_MARKERS[i % n]}
