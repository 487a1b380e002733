"""Problems: anything with a value and a gradient that :func:`stepviz.run` can minimise.

2-D surfaces (bowl, Rosenbrock, saddle, your own function), least squares made from data (with minibatch
gradients), a tiny neural network's loss, and 2-D slices of any of them.
"""
from .base import Problem, central_difference, draw_minibatches
from .least_squares import LeastSquares
from .mlp import MLP, NetworkLoss, spirals, two_moons
from .slices import SliceSurface
from .surfaces import (
           SURFACES,
           FunctionSurface,
           QuadraticBowl,
           Rosenbrock,
           Saddle,
           Surface,
           get_surface,
)

__all__ = ["Problem", "central_difference", "draw_minibatches", "Surface", "QuadraticBowl", "Rosenbrock",
           "Saddle", "FunctionSurface", "SURFACES", "get_surface", "LeastSquares", "MLP", "NetworkLoss",
           "two_moons", "spirals", "SliceSurface"]
