"""stepviz: the step size of gradient descent, made visible.

Surfaces, optimizers and schedules feed :func:`run`, which returns a :class:`Trajectory`; ``stepviz.plotting``
draws it and ``stepviz.widgets`` makes it interactive.
"""
from . import checks, schedules, theory
from .optimizers import GD, OPTIMIZERS, Adadelta, Adagrad, Adam, Momentum, Nesterov, Optimizer, RMSprop, make_optimizer
from .run import Trajectory, run
from .schedules import constant, cosine, exponential, inverse_time, step_decay
from .surfaces import SURFACES, QuadraticBowl, Rosenbrock, Saddle, Surface, get_surface

__version__ = "0.1.0"

__all__ = [
    "Surface", "QuadraticBowl", "Rosenbrock", "Saddle", "SURFACES", "get_surface",
    "Optimizer", "GD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adadelta", "Adam", "OPTIMIZERS",
    "make_optimizer", "constant", "inverse_time", "step_decay", "exponential", "cosine",
    "run", "Trajectory", "theory", "schedules", "checks",
]
