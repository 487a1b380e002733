"""Feedback for learners' exercises: each check prints a verdict and a hint, returns True/False, never raises.

``core`` holds :func:`feedback` and :func:`check_number`; each course part adds its checks in a module of
its own, all available as ``stepviz.checks.<name>``.
"""
from .core import *  # noqa: F401,F403
from .update_rule import *  # noqa: F401,F403
from .choosing import *  # noqa: F401,F403
from .momentum_adaptive import *  # noqa: F401,F403
from .stochastic_nn import *  # noqa: F401,F403
