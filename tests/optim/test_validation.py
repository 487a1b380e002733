"""Issue 12 for optim: hyperparameter shapes checked at construction, schedules refuse t = inf."""
import numpy as np
import pytest

import stepviz as sv
from tests.robust_helpers import says


def test_6_hyperparameters_of_incompatible_shapes_are_refused_at_once():
    with pytest.raises(ValueError) as e:
        sv.Momentum(lr=[0.1, 0.2, 0.3], momentum=[0.1, 0.2, 0.3, 0.4])
    says(e.value, "lr", "momentum", "(3,)", "(4,)")


def test_9_schedule_at_infinite_t_is_refused():
    with pytest.raises(ValueError) as e:
        sv.constant(0.1)(np.inf)
    says(e.value, "t", "iteration")
