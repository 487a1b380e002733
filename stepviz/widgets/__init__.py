"""Interactive explorers: live figures whose controls update them in place.

The only part of stepviz that imports ipywidgets. ``explorer`` holds :func:`explore` and :func:`compare`;
each course part adds its widgets in a module of its own, all available as ``stepviz.widgets.<name>``.
"""
from .explorer import *  # noqa: F401,F403
from .update_rule import *  # noqa: F401,F403
from .choosing import *  # noqa: F401,F403
from .momentum_adaptive import *  # noqa: F401,F403
from .stochastic_nn import *  # noqa: F401,F403
