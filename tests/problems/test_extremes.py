"""Issue 12 item 10 for problems: extreme parameters are refused naming the parameter at fault."""
import numpy as np
import pytest

import stepviz as sv
from tests.robust_helpers import says


def test_10_synthetic_blames_the_intercept():
    with pytest.raises(ValueError) as e:
        sv.LeastSquares.synthetic(intercept=1e308)
    msg = says(e.value, "intercept")
    assert "start" not in msg


def test_10_rosenbrock_a_too_large_is_a_value_error():
    with pytest.raises(ValueError) as e:
        sv.Rosenbrock(a=1e308)
    says(e.value, "a must")


# --- issue 18 item 10: a surface whose values in its window cannot be drawn is refused, naming why ------

@pytest.mark.parametrize("make, words", [
    (lambda: sv.QuadraticBowl((1, 1e40)), ("curvatures", "1e+40")),
    (lambda: sv.Rosenbrock(b=1e100), ("b=1e+100",)),
    (lambda: sv.Rosenbrock(a=1e20), ("a=1e+20",)),
    (lambda: sv.Saddle(quartic=1e40), ("quartic",)),
    (lambda: sv.LeastSquares([0.0, 1.0], [0.0, 1e40]), ("x, y",)),
    (lambda: sv.Surface.from_function(lambda x, y: 1e306 * (x ** 2 + y ** 2)), ("f",)),
], ids=["bowl", "rosenbrock b", "rosenbrock a", "saddle", "least squares", "function"])
def test_10_values_too_large_to_draw_are_refused(make, words):
    with pytest.raises(ValueError) as e:
        make()
    says(e.value, *words, "1e+30", "plot window")


def test_10_the_largest_drawable_surfaces_are_still_made():
    for s in (sv.QuadraticBowl((1, 2e29)), sv.Rosenbrock(b=1e27), sv.Saddle(quartic=1e28),
              sv.Surface.from_function(lambda x, y: 1e29 * (x ** 2 + y ** 2))):
        assert np.isfinite(s.value(s.start))
