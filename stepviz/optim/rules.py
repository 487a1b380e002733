"""Update rules of gradient descent, one small class each.

Every class has ``init(p) -> state`` and ``update(p, grad_fn, state, alpha, t) -> (p_next, state)`` (called by
:meth:`~stepviz.optim.base.Optimizer.step`, which evaluates alpha_t = lr(t) or lr once per step), with
``g = grad_fn(p)``. The rules work elementwise on parameter arrays of any length (a 2-D point or a
network's weights). Each also says what the course needs to know about it (its effective step, its rate
on a quadratic where theory has one, how a legend names it): see :mod:`stepviz.optim.base`.

Hyperparameters are floats or arrays. Arrays index the *batch* axes, never the coordinate axis: for
points of shape (*batch, d), a hyperparameter of shape ``batch`` (or broadcastable to it) gives each run
its own value, so one call to :func:`stepviz.run` runs a whole sweep.
"""
from __future__ import annotations

import numpy as np

from .. import _validate
from .base import Optimizer, col, curvature_axis, spectral_radius


class GD(Optimizer):
    r"""Plain gradient descent.

    .. math:: p \leftarrow p - \alpha_t g

    Args:
        lr: step size alpha > 0, an array of them, or a schedule t -> alpha_t (no default).

    On a quadratic with curvatures lambda_i (mu the smallest, L the largest): rate max_i |1 - alpha lambda_i|,
    stable iff alpha < 2 / L, fastest at alpha = 2 / (mu + L).
    """

    name = "GD"
    limit_label, optimum_label = "limit 2/L", "optimal 2/(μ+L)"

    def __init__(self, lr):
        self._set_lr(lr)
        self._check_shapes()

    def update(self, p, grad_fn, state, alpha, t):
        return p - alpha * grad_fn(p), state

    def effective_step(self, state, new_state, t):
        """alpha_t."""
        return col(new_state["lr"])

    def quadratic_rate(self, curvatures):
        """max_i |1 - alpha lambda_i|."""
        with np.errstate(over="ignore"):  # lr = 1e308: the rate is inf, quietly
            return np.max(np.abs(1.0 - self._constant_lr() * curvature_axis(curvatures)), axis=-1)

    def quadratic_limit(self, curvatures):
        """2 / L."""
        return 2.0 / curvature_axis(curvatures).max()

    def quadratic_optimum(self, curvatures):
        """{'lr': 2 / (mu + L)}."""
        lam = curvature_axis(curvatures)
        return {"lr": 2.0 / (lam.min() + lam.max())}


class Momentum(Optimizer):
    r"""Heavy-ball momentum in the velocity form (Polyak 1964; the seed article's form).

    .. math:: v \leftarrow \gamma v + \alpha_t g, \qquad p \leftarrow p - v, \qquad v_0 = 0

    Args:
        lr: step size alpha > 0, array or schedule (no default).
        momentum: gamma in [0, 1) (default: 0.9). momentum = 0 is plain gradient descent.

    On a quadratic, per eigenvalue lambda, (x, v) evolves by [[1 - alpha lambda, -gamma], [alpha lambda, gamma]]
    with characteristic polynomial z^2 - (1 + gamma - alpha lambda) z + gamma: stable iff
    alpha L < 2 + 2 gamma; fastest at alpha = 4 / (sqrt(L) + sqrt(mu))^2,
    gamma = ((sqrt(L) - sqrt(mu)) / (sqrt(L) + sqrt(mu)))^2.
    """

    name = "Momentum"
    hyperparameter_names = ("lr", "momentum")
    label_hyperparameters = ("lr", "momentum")
    limit_label, optimum_label = "limit (2+2γ)/L", "optimal (best γ)"

    def __init__(self, lr, momentum=0.9):
        self._set_lr(lr)
        self.momentum = _validate.unit_interval("momentum", momentum)
        self._check_shapes()

    def init(self, p):
        return {"v": np.zeros_like(np.asarray(p, dtype=float))}

    def update(self, p, grad_fn, state, alpha, t):
        v = self._hp("momentum", p) * state["v"] + alpha * grad_fn(p)
        return p - v, {"v": v}

    def effective_step(self, state, new_state, t):
        """alpha_t (the factor in front of each gradient the velocity sums)."""
        return col(new_state["lr"])

    def _per_eigenvalue(self, curvatures):
        """(alpha lambda, gamma) with the eigenvalues on the last axis."""
        with np.errstate(over="ignore"):
            return self._constant_lr() * curvature_axis(curvatures), col(self.momentum)

    def quadratic_rate(self, curvatures):
        """Largest |root| of z^2 - (1 + gamma - alpha lambda) z + gamma over the eigenvalues."""
        a, g = self._per_eigenvalue(curvatures)
        trace, det = np.broadcast_arrays(1 + g - a, g)
        return np.max(spectral_radius(trace, det), axis=-1)

    def quadratic_limit(self, curvatures):
        """(2 + 2 gamma) / L."""
        return (2.0 + 2.0 * np.asarray(self.momentum, dtype=float)) / curvature_axis(curvatures).max()

    def quadratic_optimum(self, curvatures):
        """{'lr': 4 / (sqrt(L) + sqrt(mu))^2, 'momentum': ((sqrt(L) - sqrt(mu)) / (sqrt(L) + sqrt(mu)))^2}."""
        lam = curvature_axis(curvatures)
        sl, sm = np.sqrt(lam.max()), np.sqrt(lam.min())
        return {"lr": 4.0 / (sl + sm) ** 2, "momentum": ((sl - sm) / (sl + sm)) ** 2}


class Nesterov(Momentum):
    r"""Nesterov accelerated gradient in the velocity form (Sutskever et al. 2013).

    .. math:: v \leftarrow \gamma v + \alpha_t \nabla J(p - \gamma v), \qquad p \leftarrow p - v

    The gradient is taken at the look-ahead point p - gamma v.

    Args:
        lr: step size alpha > 0, array or schedule (no default).
        momentum: gamma in [0, 1) (default: 0.9).

    On a quadratic, per eigenvalue: z^2 - (1 + gamma)(1 - alpha lambda) z + gamma (1 - alpha lambda) = 0;
    stable iff alpha L < (2 + 2 gamma) / (1 + 2 gamma) (Jury: p(-1) = 1 + (1 + 2 gamma)(1 - alpha L) > 0).
    The course states no closed-form optimum.
    """

    name = "Nesterov"
    limit_label, optimum_label = "limit (2+2γ)/((1+2γ)L)", None

    def update(self, p, grad_fn, state, alpha, t):
        gamma = self._hp("momentum", p)
        v = gamma * state["v"] + alpha * grad_fn(p - gamma * state["v"])
        return p - v, {"v": v}

    def quadratic_rate(self, curvatures):
        """Largest |root| of z^2 - (1 + gamma)(1 - alpha lambda) z + gamma (1 - alpha lambda)."""
        a, g = self._per_eigenvalue(curvatures)
        with np.errstate(over="ignore", invalid="ignore"):
            trace, det = (1 + g) * (1 - a), g * (1 - a)
        return np.max(spectral_radius(trace, det), axis=-1)

    def quadratic_limit(self, curvatures):
        """(2 + 2 gamma) / ((1 + 2 gamma) L)."""
        g = np.asarray(self.momentum, dtype=float)
        return (2.0 + 2.0 * g) / ((1.0 + 2.0 * g) * curvature_axis(curvatures).max())

    def quadratic_optimum(self, curvatures):
        return None


class _Adaptive(Optimizer):
    """A rule that rescales alpha per coordinate: no rate on a quadratic that the course states."""

    no_theory_note = "{name} rescales α per coordinate"


class _SquaredGradients(_Adaptive):
    """Adagrad and RMSprop: g / (sqrt(s) + eps), s a sum or an average of squared gradients."""

    def init(self, p):
        return {"s": np.zeros_like(np.asarray(p, dtype=float))}

    def effective_step(self, state, new_state, t):
        """alpha_t / (sqrt(s) + eps), s after the step."""
        return col(new_state["lr"]) / (np.sqrt(new_state["s"]) + col(self.eps))


class Adagrad(_SquaredGradients):
    r"""Adagrad (Duchi et al. 2011): each coordinate's step shrinks with its summed squared gradients.

    .. math:: s \leftarrow s + g^2, \qquad p \leftarrow p - \alpha_t g / (\sqrt{s} + \epsilon)

    Args:
        lr: step size alpha > 0, array or schedule (no default).
        eps: > 0, keeps the division finite (default: 1e-10).
    """

    name = "Adagrad"
    hyperparameter_names = ("lr", "eps")

    def __init__(self, lr, eps=1e-10):
        self._set_lr(lr)
        self.eps = _validate.positive("eps", eps, example="1e-10")
        self._check_shapes()

    def update(self, p, grad_fn, state, alpha, t):
        g = grad_fn(p)
        s = state["s"] + g * g
        return p - alpha * g / (np.sqrt(s) + self._hp("eps", p)), {"s": s}


class RMSprop(_SquaredGradients):
    r"""RMSprop (Tieleman & Hinton 2012): a moving average of squared gradients scales each coordinate.

    .. math:: s \leftarrow \rho s + (1 - \rho) g^2, \qquad p \leftarrow p - \alpha_t g / (\sqrt{s} + \epsilon)

    Args:
        lr: step size alpha > 0, array or schedule (no default).
        rho: decay of the average in [0, 1) (default: 0.99).
        eps: > 0 (default: 1e-8).
    """

    name = "RMSprop"
    hyperparameter_names = ("lr", "rho", "eps")

    def __init__(self, lr, rho=0.99, eps=1e-8):
        self._set_lr(lr)
        self.rho = _validate.unit_interval("rho", rho, example="0.99")
        self.eps = _validate.positive("eps", eps, example="1e-8")
        self._check_shapes()

    def update(self, p, grad_fn, state, alpha, t):
        g = grad_fn(p)
        rho = self._hp("rho", p)
        s = rho * state["s"] + (1 - rho) * g * g
        return p - alpha * g / (np.sqrt(s) + self._hp("eps", p)), {"s": s}


class Adadelta(_Adaptive):
    r"""Adadelta (Zeiler 2012): the step's units come from a running average of past updates.

    .. math::
        s \leftarrow \rho s + (1 - \rho) g^2, \qquad
        d = \frac{\sqrt{u + \epsilon}}{\sqrt{s + \epsilon}} g, \qquad
        u \leftarrow \rho u + (1 - \rho) d^2, \qquad p \leftarrow p - \alpha_t d

    Args:
        lr: scale of the step, > 0, array or schedule (default: 1.0, Zeiler's unit-free method: a label
            leaves it out at 1).
        rho: decay of both averages in [0, 1) (default: 0.9).
        eps: > 0, also sets the size of the first steps (default: 1e-6).
    """

    name = "Adadelta"
    hyperparameter_names = ("lr", "rho", "eps")
    implicit_defaults = ("lr",)

    def __init__(self, lr=1.0, rho=0.9, eps=1e-6):
        self._set_lr(lr)
        self.rho = _validate.unit_interval("rho", rho)
        self.eps = _validate.positive("eps", eps, example="1e-6")
        self._check_shapes()

    def init(self, p):
        z = np.zeros_like(np.asarray(p, dtype=float))
        return {"s": z, "u": z.copy()}

    def update(self, p, grad_fn, state, alpha, t):
        g = grad_fn(p)
        rho, eps = self._hp("rho", p), self._hp("eps", p)
        s = rho * state["s"] + (1 - rho) * g * g
        d = np.sqrt(state["u"] + eps) / np.sqrt(s + eps) * g
        u = rho * state["u"] + (1 - rho) * d * d
        return p - alpha * d, {"s": s, "u": u}

    def effective_step(self, state, new_state, t):
        """alpha_t sqrt(u + eps) / sqrt(s + eps), u from before the step, s after it."""
        eps = col(self.eps)
        return col(new_state["lr"]) * np.sqrt(state["u"] + eps) / np.sqrt(new_state["s"] + eps)


class Adam(_Adaptive):
    r"""Adam (Kingma & Ba 2014): momentum on the gradient, RMSprop on its square, both bias-corrected.

    .. math::
        m \leftarrow \beta_1 m + (1 - \beta_1) g, \qquad s \leftarrow \beta_2 s + (1 - \beta_2) g^2, \\
        p \leftarrow p - \alpha_t \hat m / (\sqrt{\hat s} + \epsilon), \quad
        \hat m = m / (1 - \beta_1^k), \quad \hat s = s / (1 - \beta_2^k), \quad k = t + 1

    Args:
        lr: step size alpha > 0, array or schedule (no default).
        beta1: decay of the gradient average in [0, 1) (default: 0.9).
        beta2: decay of the squared-gradient average in [0, 1) (default: 0.999).
        eps: > 0 (default: 1e-8).
    """

    name = "Adam"
    hyperparameter_names = ("lr", "beta1", "beta2", "eps")

    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        self._set_lr(lr)
        self.beta1 = _validate.unit_interval("beta1", beta1)
        self.beta2 = _validate.unit_interval("beta2", beta2, example="0.999")
        self.eps = _validate.positive("eps", eps, example="1e-8")
        self._check_shapes()

    def init(self, p):
        z = np.zeros_like(np.asarray(p, dtype=float))
        return {"m": z, "s": z.copy()}

    def update(self, p, grad_fn, state, alpha, t):
        g = grad_fn(p)
        b1, b2 = self._hp("beta1", p), self._hp("beta2", p)
        k = t + 1
        m = b1 * state["m"] + (1 - b1) * g
        s = b2 * state["s"] + (1 - b2) * g * g
        m_hat = m / (1 - b1 ** k)
        s_hat = s / (1 - b2 ** k)
        return p - alpha * m_hat / (np.sqrt(s_hat) + self._hp("eps", p)), {"m": m, "s": s}

    def effective_step(self, state, new_state, t):
        """alpha_t / (sqrt(s_hat) + eps) (it multiplies m_hat), s_hat = s / (1 - beta2^(t + 1))."""
        s_hat = new_state["s"] / (1 - col(self.beta2) ** (t + 1))
        return col(new_state["lr"]) / (np.sqrt(s_hat) + col(self.eps))


OPTIMIZERS = {"GD": GD, "Momentum": Momentum, "Nesterov": Nesterov, "Adagrad": Adagrad,
              "RMSprop": RMSprop, "Adadelta": Adadelta, "Adam": Adam}


def optimizer_class(name: str) -> type:
    """The update rule's class from its name, case-insensitive: 'gd', 'Momentum', 'adam', ..."""
    if not isinstance(name, str):
        raise TypeError(f"optimizer name must be a string, one of {tuple(OPTIMIZERS)}; got {name!r}")
    cls = {k.lower(): v for k, v in OPTIMIZERS.items()}.get(name.lower())
    if cls is None:
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}")
    return cls


def make_optimizer(name: str, **hyperparameters) -> Optimizer:
    """An optimizer from its name (case-insensitive), e.g. ``make_optimizer('adam', lr=0.1)``.

    Hyperparameters the chosen rule does not take are ignored, so one set of slider values fits all.
    """
    cls = optimizer_class(name)
    return cls(**{k: v for k, v in hyperparameters.items() if k in cls.hyperparameter_names})


__all__ = ["Optimizer", *OPTIMIZERS, "OPTIMIZERS", "optimizer_class", "make_optimizer"]
