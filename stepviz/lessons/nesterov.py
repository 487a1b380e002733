"""Lesson 07, Nesterov (07_nesterov.ipynb): the look-ahead rule the learner writes, Nesterov's smaller
limit, Nesterov as PyTorch writes it (its point is our look-ahead point), and the two ways of writing momentum's
velocity under a schedule."""
from __future__ import annotations

from ..analysis import quadratic as theory
from ..optim.rules import Nesterov
from ..optim.schedules import step_decay
from .feedback import check_number, feedback, parse_number
from . import momentum as _momentum
from .rule_check import check_rule

#: 07 uses 06's bowl.
bowl = _momentum.bowl

#: The explorer and the comparison of section 3: alpha = 1/L, Nesterov's best case; steps enough for both
#: methods to settle within 1e-6 (the heavy ball stays below from step 173 on).
EXPLORER_LR, EXPLORER_MOMENTUM, EXPLORER_STEPS, COMPARISON_STEPS = 0.02, 0.9, 200, 250
#: Section 4: ours and PyTorch's Nesterov side by side.
PYTORCH_STEPS = 150
#: Section 4: the two velocity forms, a constant step and one tenfold cut at step FORMS_CUT (the run stops
#: before step_decay's second cut at 2 FORMS_CUT).
FORMS_LR, FORMS_MOMENTUM, FORMS_CUT, FORMS_STEPS = 0.02, 0.9, 30, 60
#: The explorer's controls shown first, the rest behind 'more controls':
#: Try this switches the optimizer and looks at the look-ahead points.
EXPLORER_FIRST = ("optimizer", "lookahead")


class PyTorchNesterov(Nesterov):
    r"""Nesterov as ``torch.optim.SGD(params, lr, momentum, nesterov=True)`` computes it (dampening 0, no
    weight decay), written with numpy from its documented update (Bengio et al. 2013's form):

    .. math:: b \leftarrow \gamma b + \nabla J(p), \qquad p \leftarrow p - \alpha_t (\nabla J(p) + \gamma b)

    with b_0 = 0 (so b_1 = g_1, as PyTorch sets it). The gradient is taken at the point itself; for a constant
    alpha its points are the look-ahead points p_k - gamma v_k of :class:`~stepviz.Nesterov`.
    """

    name = "PyTorch's Nesterov"

    def update(self, p, grad_fn, state, alpha, t):
        gamma, g = self._hp("momentum", p), grad_fn(p)
        b = gamma * state["v"] + g
        return p - alpha * (g + gamma * b), {"v": b}


def forms_schedule():
    """The schedule of section 4: FORMS_LR until step FORMS_CUT, a tenth of it from then on."""
    return step_decay(FORMS_LR, 0.1, FORMS_CUT)


def check_nesterov_rule(step) -> bool:
    """Does the learner's ``step(theta, v, grad, lr, momentum) -> (theta, v)`` implement Nesterov,
    v <- momentum v + lr grad(theta - momentum v), theta <- theta - v? Run against stepviz's Nesterov."""
    return check_rule(step, "Nesterov")


def check_nesterov_limit(answer, bowl, momentum) -> bool:
    """The largest stable step size of Nesterov (velocity form) on ``bowl``:
    (2 + 2 momentum) / ((1 + 2 momentum) L), within 2 %."""
    limit = float(theory.nesterov_lr_limit(bowl, momentum))
    heavy = float(theory.momentum_lr_limit(bowl, momentum))
    right = (f"α < (2 + 2γ) / ((1 + 2γ) L) = {limit:.4g}; the heavy ball goes up to (2 + 2γ)/L = {heavy:.3g}, "
             f"{heavy / limit:.1f} times further.")
    hint = ("Nesterov's polynomial z² − (1 + γ)(1 − αL) z + γ(1 − αL) has a root at −1 when "
            "1 + (1 + 2γ)(1 − αL) = 0: solve for α.")
    x = parse_number(answer)
    if x is not None and abs(x - heavy) <= 0.02 * heavy:
        hint = "That is the heavy ball's limit (2 + 2γ)/L. Nesterov's is smaller: divide by 1 + 2γ as well."
    elif x is not None and abs(x - 2 / bowl.L) <= 0.02 * 2 / bowl.L:
        hint = "That is plain GD's limit 2/L. With momentum γ Nesterov's limit is (2 + 2γ) / ((1 + 2γ) L)."
    if x is None:
        return check_number(answer, limit, rtol=0.02, right=right, hint=hint)
    return feedback(abs(x - limit) <= 0.02 * limit, right, hint)


__all__ = ["check_nesterov_rule", "check_nesterov_limit"]
