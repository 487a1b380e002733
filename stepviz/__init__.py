"""stepviz: the step size of gradient descent, made visible.

Problems (surfaces, least squares, a tiny network) and update rules feed :func:`run`, which returns a
:class:`Trajectory`; :mod:`stepviz.analysis` computes what the course says about runs (``sv.theory`` holds
the closed forms on bowls); :mod:`stepviz.viz` draws; :mod:`stepviz.live` makes it interactive;
:mod:`stepviz.lessons` holds each notebook's presets and self-checks (all checks also as ``sv.checks``).

The layers that need matplotlib's pyplot or ipywidgets load on first use (``sv.viz``, ``sv.live``,
``sv.explore``, ``sv.checks`` ...), so ``import stepviz`` imports neither. Importing stepviz changes
nothing else in the session: stepviz's own figures carry their alt text themselves
(:func:`stepviz.viz.figure.with_alt_text`), a learner's own figures are left as they are.
"""
import importlib

from . import analysis
from ._version import __version__
from .analysis import quadratic as theory
from .analysis.tuning import grid_search, lr_range_test
from .engine import Trajectory, run
from .optim import *  # noqa: F403  (every update rule of OPTIMIZERS by its name, schedules, Backtracking)
from .optim import __all__ as _optim
from .problems import (
    MLP,
    SURFACES,
    LeastSquares,
    NetworkLoss,
    Problem,
    QuadraticBowl,
    Rosenbrock,
    Saddle,
    Surface,
    get_surface,
    spirals,
    two_moons,
)

_LAZY_MODULES = ("viz", "live", "lessons", "checks")
_LAZY_NAMES = {"explore": "live", "compare": "live", "Explorer": "live"}


def __getattr__(name):
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
    raise AttributeError(f"module 'stepviz' has no attribute {name!r}")


__all__ = [
    "Problem", "Surface", "QuadraticBowl", "Rosenbrock", "Saddle", "SURFACES", "get_surface", "LeastSquares",
    "MLP", "NetworkLoss", "two_moons", "spirals",
    *_optim,
    "run", "Trajectory", "grid_search", "lr_range_test", "explore", "compare", "Explorer",
    "theory", "analysis", "viz", "live", "lessons", "checks", "__version__",
]
