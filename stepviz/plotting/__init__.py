"""Static matplotlib views: contours, paths, loss curves, animations, stability maps.

``core`` holds the shared pieces; each course part adds its figures in a module of its own, and every
public name is available as ``stepviz.plotting.<name>``. Works with any matplotlib backend.
"""
from .core import *  # noqa: F401,F403
from .update_rule import *  # noqa: F401,F403
from .choosing import *  # noqa: F401,F403
from .momentum_adaptive import *  # noqa: F401,F403
from .stochastic_nn import *  # noqa: F401,F403
