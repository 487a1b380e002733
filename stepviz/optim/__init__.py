"""Update rules (GD, Momentum, Nesterov, Adagrad, RMSprop, Adadelta, Adam), step-size schedules and the
backtracking line search. Each rule is a small class with ``init(p) -> state`` and
``step(p, grad_fn, state, t) -> (p_next, state)``; its docstring writes the algorithm out, and its methods
answer what the course asks about it (:mod:`stepviz.optim.base`). Every rule of ``OPTIMIZERS`` is exported
by its name."""
from .base import Optimizer
from .line_search import Backtracking
from .rules import *  # noqa: F403  (every rule of OPTIMIZERS, by its name)
from .rules import OPTIMIZERS, make_optimizer, optimizer_class
from .rules import __all__ as _rules
from .schedules import (
                    SCHEDULE_KINDS,
                    Schedule,
                    by_epoch,
                    constant,
                    cosine,
                    exponential,
                    from_decay,
                    inverse_time,
                    step_decay,
                    warmup,
)

__all__ = [*_rules, "Backtracking", "Schedule", "constant", "inverse_time", "step_decay", "exponential", "cosine",
           "warmup", "by_epoch", "SCHEDULE_KINDS", "from_decay"]
