"""Everything interactive: explorers whose moving layer the browser draws over a matplotlib picture, and
side-by-side comparisons.

The only part of stepviz that imports ipywidgets and anywidget. ``explore()`` and ``compare()`` serve every
surface and optimizer; the other explorers are the special figures of single lessons (the 1-D update rule,
the curved valley, the saddle, schedules, momentum with its presets, minibatch SGD). Every explorer is a
:class:`LiveFigure`: see :mod:`stepviz.live.figure` for the machinery they share and the hooks a new one
fills in, :mod:`stepviz.live.scene` for what the browser draws, :mod:`stepviz.live.controls` for the declared
controls.
"""
from .adaptive_step import EffectiveStepExplorer, effective_step_explorer
from .compare import Comparison, compare
from .compare_live import CompareExplorer, compare_explorer
from .controller import Controller
from .explorer import Explorer, explore
from .figure import ClosedExplorerError, LiveFigure
from .momentum import MomentumExplorer, momentum_explorer
from .saddle import SaddleExplorer, saddle_explorer
from .schedule import ScheduleExplorer, schedule_explorer
from .sgd import SGDExplorer, explore_sgd
from .sweep_explorer import SweepExplorer, sweep_explorer
from .update_rule import UpdateRuleExplorer, explore_update_rule
from .valley import LocalLimitExplorer, local_limit_explorer

__all__ = ["EffectiveStepExplorer", "effective_step_explorer", "Comparison", "compare", "CompareExplorer", "compare_explorer", "Controller", "Explorer", "explore", "LiveFigure", "ClosedExplorerError", "MomentumExplorer",
           "momentum_explorer", "SaddleExplorer", "saddle_explorer", "ScheduleExplorer", "schedule_explorer",
           "SGDExplorer", "explore_sgd", "SweepExplorer", "sweep_explorer", "UpdateRuleExplorer", "explore_update_rule", "LocalLimitExplorer",
           "local_limit_explorer"]
