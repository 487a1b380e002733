"""The course's colours, line styles and symbols: the palette lives here and nowhere else.

Figures and explorers refer to these names, never to hex codes, so that the palette can change in one place
(e.g. to stay distinct under colour-vision deficiencies).
"""

#: Colours of the runs of a batch, in order.
PATH_COLORS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
#: The one path of an explorer: apart from the blue contours and the theory lines.
PATH_COLOR = "#ff7f0e"
#: A stability limit (2/L, 2/lambda_max).
LIMIT_COLOR = "#d62728"
#: An optimum or a suggestion (2/(mu + L), the best value found).
OPTIMAL_COLOR = "#2ca02c"
#: Nesterov's look-ahead points.
LOOKAHEAD_COLOR = "#9467bd"
#: A reference drawn behind the main curve (e.g. the constant step next to a schedule).
GHOST_COLOR = "#7f7f7f"
#: The minimum's star.
MINIMUM_COLOR = "gold"
#: The four regimes of the 1-D model, shaded behind a step-size axis.
REGIME_COLORS = {"creeping": "#c6dbef", "smooth": "#a1d99b", "oscillating": "#fdd0a2", "diverging": "#fcbba1"}
#: Greek letters of the hyperparameters in labels.
SYMBOLS = {"lr": "α", "momentum": "γ", "rho": "ρ", "beta1": "β1", "beta2": "β2", "eps": "ε"}
