"""Update rules (GD, Momentum, Nesterov, Adagrad, RMSprop, Adadelta, Adam), step-size schedules and the
backtracking line search. Each rule is a small class with ``init(p) -> state`` and
``step(p, grad_fn, state, t) -> (p_next, state)``; its docstring writes the algorithm out."""
from .line_search import Backtracking
from .rules import (
                    GD,
                    OPTIMIZERS,
                    Adadelta,
                    Adagrad,
                    Adam,
                    Momentum,
                    Nesterov,
                    Optimizer,
                    RMSprop,
                    make_optimizer,
                    optimizer_class,
)
from .schedules import (
                    SCHEDULE_KINDS,
                    Schedule,
                    constant,
                    cosine,
                    exponential,
                    from_decay,
                    inverse_time,
                    step_decay,
)

__all__ = ["Optimizer", "GD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adadelta", "Adam", "OPTIMIZERS",
           "make_optimizer", "optimizer_class", "Backtracking", "Schedule", "constant", "inverse_time",
           "step_decay", "exponential", "cosine", "SCHEDULE_KINDS", "from_decay"]
