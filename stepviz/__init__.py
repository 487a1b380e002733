"""stepviz: the step size of gradient descent, made visible.

Surfaces, optimizers and schedules feed :func:`run`, which returns a :class:`Trajectory`;
``stepviz.plotting`` draws it and ``stepviz.widgets`` makes it interactive. The figure modules load on
first use (``sv.plotting``, ``sv.widgets``, ``sv.explore``), so the core imports neither matplotlib's
pyplot nor ipywidgets.
"""
import importlib

from . import checks, data, nn, schedules, theory, tuning
from .data import LeastSquares, Minibatch
from .optimizers import GD, OPTIMIZERS, Adadelta, Adagrad, Adam, Momentum, Nesterov, Optimizer, RMSprop, make_optimizer
from .run import Trajectory, run
from .schedules import constant, cosine, exponential, inverse_time, step_decay
from .surfaces import SURFACES, QuadraticBowl, Rosenbrock, Saddle, Surface, get_surface
from .tuning import Backtracking, grid_search, lr_range_test

__version__ = "0.1.0"

_LAZY_MODULES = ("plotting", "widgets")
_LAZY_NAMES = {"explore": "widgets", "compare": "widgets", "Explorer": "widgets"}


def __getattr__(name):
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
    raise AttributeError(f"module 'stepviz' has no attribute {name!r}")


__all__ = [
    "Surface", "QuadraticBowl", "Rosenbrock", "Saddle", "SURFACES", "get_surface", "LeastSquares", "Minibatch",
    "Optimizer", "GD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adadelta", "Adam", "OPTIMIZERS",
    "make_optimizer", "Backtracking", "constant", "inverse_time", "step_decay", "exponential", "cosine",
    "run", "Trajectory", "grid_search", "lr_range_test", "explore", "compare", "Explorer",
    "theory", "schedules", "checks", "tuning", "data", "nn", "plotting", "widgets",
]
