"""Issue 12 item 10 for problems: extreme parameters are refused naming the parameter at fault."""
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
