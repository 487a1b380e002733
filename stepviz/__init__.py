"""stepviz: the step size of gradient descent, made visible.

Problems (surfaces, least squares, a tiny network) and update rules feed :func:`run`, which returns a
:class:`Trajectory`; :mod:`stepviz.analysis` computes what the course says about runs (``sv.theory`` holds
the closed forms on bowls); :mod:`stepviz.viz` draws; :mod:`stepviz.live` makes it interactive;
:mod:`stepviz.lessons` holds each notebook's presets and self-checks (all checks also as ``sv.checks``).

The layers that need matplotlib's pyplot or ipywidgets load on first use (``sv.viz``, ``sv.live``,
``sv.explore``, ``sv.checks`` ...), so ``import stepviz`` imports neither.
"""
import importlib
import sys

from . import analysis
from ._version import __version__
from .analysis import quadratic as theory
from .analysis.tuning import grid_search, lr_range_test
from .engine import Trajectory, run
from .optim import (
    GD,
    OPTIMIZERS,
    Adadelta,
    Adagrad,
    Adam,
    Backtracking,
    Momentum,
    Nesterov,
    Optimizer,
    RMSprop,
    constant,
    cosine,
    exponential,
    inverse_time,
    make_optimizer,
    step_decay,
)
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


def _figures_with_alt_text():
    """In IPython (a notebook), show every matplotlib figure also as an image with alt text that says what it
    shows: JupyterLab and the static pages prefer that HTML to the bare PNG, which stays for other viewers.

    matplotlib's inline backend resets the figure formats when it is switched on, which happens lazily, at
    the first figure: it is switched on here when matplotlib is already imported with the inline backend
    (the notebooks import pyplot before stepviz), and the format is registered again before every cell.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return

    def as_html(figure):
        from .viz.figure import figure_html

        return figure_html(figure)

    def register(*_):
        shell.display_formatter.formatters["text/html"].for_type_by_name("matplotlib.figure", "Figure", as_html)

    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is not None:
        try:
            backend = matplotlib.get_backend(auto_select=False)
        except TypeError:  # matplotlib < 3.10
            backend = matplotlib.rcParams._get("backend")
        if backend in ("inline", "module://matplotlib_inline.backend_inline"):
            importlib.import_module("matplotlib_inline.backend_inline")  # switches the backend on, once
    register()
    shell.events.register("pre_run_cell", register)


_figures_with_alt_text()


def __getattr__(name):
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
    raise AttributeError(f"module 'stepviz' has no attribute {name!r}")


__all__ = [
    "Problem", "Surface", "QuadraticBowl", "Rosenbrock", "Saddle", "SURFACES", "get_surface", "LeastSquares",
    "MLP", "NetworkLoss", "two_moons", "spirals",
    "Optimizer", "GD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adadelta", "Adam", "OPTIMIZERS",
    "make_optimizer", "Backtracking", "constant", "inverse_time", "step_decay", "exponential", "cosine",
    "run", "Trajectory", "grid_search", "lr_range_test", "explore", "compare", "Explorer",
    "theory", "analysis", "viz", "live", "lessons", "checks", "__version__",
]
